import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditEntry } from '../../../api/src/audit/audit-entry.entity.js';
import { Indicator, IndicatorStatus } from '../../../api/src/indicators/indicator.entity.js';
import { ConsultationRound } from '../../../api/src/rounds/round.entity.js';
import { RoundVersion } from '../../../api/src/rounds/round-version.entity.js';
import { demo, startTestApi, type TestApi } from '../../support/api.js';
import type { GraphQLClient } from '../../support/client.js';
import { createFramework, hours, type FrameworkFixture } from './fixtures.js';

let api: TestApi;
let fw: FrameworkFixture;
let facilitator: GraphQLClient;
let stakeholder: GraphQLClient;
let member: GraphQLClient;
beforeAll(async () => {
  api = await startTestApi();
  fw = await createFramework(api.db.orm, { slug: 'setup', areas: 2, perArea: 2 });
  [facilitator, stakeholder, member] = await Promise.all([api.as(demo.facilitator), api.as(demo.stakeholder), api.as(demo.member)]);
});
afterAll(() => api?.stop());

const FIELDS = `id status opensAt closesAt ratingsEnabled title { value } titleTranslations { es en pt fr } instructionsTranslations { es en }
  audience { all workingGroup organizationIds countries } indicators { indicator { code } indicatorVersion { id } }`;
const CREATE = `mutation($input: CreateRoundInput!) { createRound(input: $input) { ${FIELDS} } }`;
const UPDATE = `mutation($id: ID!, $input: UpdateRoundDraftInput!) { updateRoundDraft(id: $id, input: $input) { ${FIELDS} } }`;
const SCHEDULE = `mutation($id: ID!) { scheduleRound(id: $id) { id status opensAt } }`;
const OPEN = `mutation($id: ID!) { openRoundNow(id: $id) { id status opensAt } }`;
const READ = `query($id: ID!) { round(id: $id) { id status } }`;
const LIST = `{ rounds { id } }`;

const draftInput = (extra: Record<string, unknown> = {}) => ({
  frameworkId: fw.id,
  title: { es: 'Ronda en preparación', en: 'Round in preparation', pt: 'Rodada em preparação', fr: 'Tour en préparation' },
  instructions: { es: 'Lea y comente.', en: 'Read and comment.' },
  indicatorVersionIds: [fw.areas[0].indicators[0].versionId, fw.areas[1].indicators[1].versionId],
  opensAt: hours(24),
  closesAt: hours(24 * 14),
  draft: true,
  ...extra,
});

const em = () => api.db.orm.em.fork();
const roundCount = () => em().count(ConsultationRound, {});
const auditActions = async (roundId: string) => (await em().find(AuditEntry, { subjectId: roundId }, { orderBy: { id: 'asc' } })).map((e) => e.action);

describe('a round in draft', () => {
  it('is saved with its translations, pinned versions and working-group audience, and only facilitators see it', async () => {
    const { createRound: round } = await facilitator.data(CREATE, { input: draftInput({ audience: { all: false, workingGroup: true } }) });
    expect(round).toMatchObject({
      status: 'DRAFT',
      titleTranslations: { es: 'Ronda en preparación', en: 'Round in preparation', pt: 'Rodada em preparação', fr: 'Tour en préparation' },
      instructionsTranslations: { es: 'Lea y comente.', en: 'Read and comment.' },
      audience: { all: false, workingGroup: true, organizationIds: [], countries: [] },
    });
    expect(round.indicators.map((i: { indicator: { code: string } }) => i.indicator.code)).toEqual(['A0-01', 'A1-02']);
    expect(await auditActions(round.id)).toEqual(['round.created']);

    // Not there for the stakeholder or the member: not in the list, NOT_FOUND by id, no commenting.
    for (const client of [stakeholder, member]) {
      expect((await client.data(LIST)).rounds.map((r: { id: string }) => r.id)).not.toContain(round.id);
      expect((await client.error(READ, { id: round.id })).code).toBe('NOT_FOUND');
    }
    expect((await facilitator.data(LIST)).rounds.map((r: { id: string }) => r.id)).toContain(round.id);
    const comment = await facilitator.error(`mutation($input: AddCommentInput!) { addComment(input: $input) { id } }`, {
      input: { roundId: round.id, targetKind: 'INDICATOR_VERSION', targetId: fw.areas[0].indicators[0].versionId, type: 'GENERAL', body: 'Todavía no.' },
    });
    expect(comment).toMatchObject({ code: 'CONFLICT', extensions: { reason: 'ROUND_DRAFT' } });
    // Neither extended nor closed while a draft.
    expect((await facilitator.error(`mutation($id: ID!) { closeRoundNow(id: $id) { id } }`, { id: round.id })).code).toBe('CONFLICT');
  });

  it('is edited: every setting and the pinned versions are replaced, audit-logged', async () => {
    const { createRound: round } = await facilitator.data(CREATE, { input: draftInput() });
    const { updateRoundDraft } = await facilitator.data(UPDATE, {
      id: round.id,
      input: {
        title: { es: 'Ronda corregida' },
        instructions: null,
        indicatorVersionIds: fw.areas[1].indicators.map((i) => i.versionId),
        opensAt: hours(48),
        closesAt: hours(24 * 20),
        audience: { all: false, countries: ['pe'] },
        ratingsEnabled: false,
      },
    });
    expect(updateRoundDraft).toMatchObject({ status: 'DRAFT', titleTranslations: { es: 'Ronda corregida', en: null }, audience: { all: false, workingGroup: false, countries: ['PE'] } });
    expect(updateRoundDraft.indicators.map((i: { indicator: { code: string } }) => i.indicator.code)).toEqual(['A1-01', 'A1-02']);
    expect(await em().count(RoundVersion, { round: round.id })).toBe(2);
    expect(await auditActions(round.id)).toEqual(['round.created', 'round.draft_updated']);
  });

  it('refuses bad input field by field and stores nothing', async () => {
    const before = await roundCount();
    const refused = await facilitator.error(CREATE, {
      input: draftInput({ title: { en: 'Only English' }, indicatorVersionIds: [], closesAt: hours(-1), opensAt: hours(-2) }),
    });
    expect(refused.code).toBe('BAD_USER_INPUT');
    const fields = (refused.extensions?.fields ?? []) as { field: string; message: string; reason?: string }[];
    expect(fields.map((f) => [f.field, f.reason])).toEqual([
      ['title', 'TITLE_SOURCE_LANGUAGE'],
      ['closesAt', 'CLOSES_IN_PAST'],
      ['indicatorVersionIds', 'NO_INDICATORS'],
    ]);
    const outOfOrder = await facilitator.error(CREATE, { input: draftInput({ opensAt: hours(48), closesAt: hours(24) }) });
    expect(outOfOrder.extensions?.fields).toEqual([expect.objectContaining({ field: 'closesAt', reason: 'DATES_OUT_OF_ORDER' })]);
    expect(await roundCount()).toBe(before);

    // An edit refused the same way leaves the draft as it was.
    const { createRound: round } = await facilitator.data(CREATE, { input: draftInput() });
    const edit = await facilitator.error(UPDATE, {
      id: round.id,
      input: { title: { es: 'Otro título' }, indicatorVersionIds: [], opensAt: hours(1), closesAt: hours(2), audience: { all: true } },
    });
    expect(edit.extensions?.fields).toEqual([expect.objectContaining({ field: 'indicatorVersionIds', reason: 'NO_INDICATORS' })]);
    const stored = await em().findOneOrFail(ConsultationRound, { id: round.id });
    expect(stored.title.es).toBe('Ronda en preparación');
    expect(await em().count(RoundVersion, { round: round.id })).toBe(2);
  });

  it('leaves retired indicators out of the default and refuses them when chosen', async () => {
    const retired = fw.areas[0].indicators[1];
    const e = em();
    await e.nativeUpdate(Indicator, { id: retired.id }, { status: IndicatorStatus.RETIRED });
    try {
      const { createRound: round } = await facilitator.data(CREATE, { input: draftInput({ indicatorVersionIds: null }) });
      expect(round.indicators.map((i: { indicator: { code: string } }) => i.indicator.code)).toEqual(['A0-01', 'A1-01', 'A1-02']);
      const refused = await facilitator.error(CREATE, { input: draftInput({ indicatorVersionIds: [retired.versionId] }) });
      expect(refused.extensions?.fields).toEqual([expect.objectContaining({ field: 'indicatorVersionIds', reason: 'INDICATOR_RETIRED' })]);
    } finally {
      await e.nativeUpdate(Indicator, { id: retired.id }, { status: IndicatorStatus.ACTIVE });
    }
  });
});

describe('publishing a draft', () => {
  it('schedules it for its opening time: the audience sees it, SCHEDULED, audit-logged', async () => {
    const { createRound: round } = await facilitator.data(CREATE, { input: draftInput() });
    const { scheduleRound } = await facilitator.data(SCHEDULE, { id: round.id });
    expect(scheduleRound).toMatchObject({ status: 'SCHEDULED', opensAt: round.opensAt });
    expect((await stakeholder.data(READ, { id: round.id })).round.status).toBe('SCHEDULED');
    expect(await auditActions(round.id)).toEqual(['round.created', 'round.scheduled']);
    // No longer editable.
    const edit = await facilitator.error(UPDATE, { id: round.id, input: { title: { es: 'x' }, indicatorVersionIds: [fw.versionIds[0]], opensAt: hours(1), closesAt: hours(2), audience: { all: true } } });
    expect(edit).toMatchObject({ code: 'CONFLICT', extensions: { reason: 'ROUND_SCHEDULED' } });
  });

  it('opens it now by the server clock, audit-logged', async () => {
    const { createRound: round } = await facilitator.data(CREATE, { input: draftInput() });
    const before = Date.now();
    const { openRoundNow } = await facilitator.data(OPEN, { id: round.id });
    expect(openRoundNow.status).toBe('OPEN');
    expect(new Date(openRoundNow.opensAt).getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(await auditActions(round.id)).toEqual(['round.created', 'round.opened']);
  });

  it('refuses a draft whose closing time has passed or that has no indicator, and changes nothing', async () => {
    const { createRound: round } = await facilitator.data(CREATE, { input: draftInput() });
    // Time passes: the stored draft now closes in the past and lost its indicators.
    await em().nativeUpdate(ConsultationRound, { id: round.id }, { opensAt: new Date(Date.now() - 7200_000), closesAt: new Date(Date.now() - 3600_000) });
    await em().nativeDelete(RoundVersion, { round: round.id });
    for (const mutation of [OPEN, SCHEDULE]) {
      const refused = await facilitator.error(mutation, { id: round.id });
      expect(refused.code).toBe('BAD_USER_INPUT');
      const reasons = ((refused.extensions?.fields ?? []) as { field: string; reason?: string }[]).map((f) => f.reason);
      expect(reasons).toEqual(mutation === OPEN ? ['NO_INDICATORS', 'CLOSES_IN_PAST'] : ['NO_INDICATORS', 'OPENS_IN_PAST', 'CLOSES_IN_PAST']);
    }
    expect((await facilitator.data(READ, { id: round.id })).round.status).toBe('DRAFT');
    expect(await auditActions(round.id)).toEqual(['round.created']);
  });
});

describe('a round for the working group only', () => {
  it('is read by members, not by other stakeholders', async () => {
    const { createRound: round } = await facilitator.data(CREATE, { input: draftInput({ audience: { all: false, workingGroup: true } }) });
    await facilitator.data(OPEN, { id: round.id });
    expect((await member.data(READ, { id: round.id })).round.status).toBe('OPEN');
    expect(await stakeholder.error(READ, { id: round.id })).toMatchObject({ code: 'FORBIDDEN', extensions: { reason: 'NOT_IN_AUDIENCE' } });
  });
});

describe('the existing way of creating rounds', () => {
  it('still publishes at once, with every indicator’s current version by default', async () => {
    const { createRound: round } = await facilitator.data(CREATE, { input: { frameworkId: fw.id, title: { es: 'Ronda directa' }, opensAt: hours(-1), closesAt: hours(5) } });
    expect(round.status).toBe('OPEN');
    expect(round.indicators).toHaveLength(4);
  });
});
