import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OnBehalfSource } from '../../../api/src/analysis/on-behalf-source.entity.js';
import { Comment } from '../../../api/src/comments/comment.entity.js';
import { deliverPendingPilotFlags, deliverPilotFlags } from '../../../api/src/certification/pilot-flag.service.js';
import { Scheme, SchemeIndicator } from '../../../api/src/certification/scheme.entity.js';
import { Release } from '../../../api/src/releases/release.entity.js';
import { demo, startTestApi, type TestApi } from '../../support/api.js';
import type { GraphQLClient } from '../../support/client.js';
import { settled } from '../../support/jobs.js';
import { hours, openRound, type FrameworkFixture } from '../rounds/fixtures.js';
import { INSTITUTION, REVIEWER, asReviewer, assessment, certificationScheme } from './fixtures.js';

const FLAG = `mutation($input: FlagIndicatorInput!) { flagIndicator(input: $input) { id kind note flaggedAs schemeIndicator { code } } }`;

let api: TestApi;
let scheme: Scheme;
let framework: FrameworkFixture;
let institution: GraphQLClient;
let reviewer: GraphQLClient;
let facilitator: GraphQLClient;
let outsider: GraphQLClient;

const indicatorId = async (code: string) => (await api.db.orm.em.fork().findOneOrFail(SchemeIndicator, { area: { scheme: scheme.id }, code })).id;
/** The pilot's comments in a round: body, author and source. */
const pilotComments = async (roundId: string) => {
  const em = api.db.orm.em.fork();
  const sources = await em.find(OnBehalfSource, { comment: { round: roundId } }, { populate: ['comment'] });
  return sources.filter((s) => s.eventName === 'Piloto de certificación').map((s) => ({ body: (s.comment.getEntity() as Comment).body, author: (s.comment.getEntity() as Comment).authorName, organization: s.organizationName, person: s.personName, kind: s.kind }));
};

beforeAll(async () => {
  api = await startTestApi();
  scheme = await certificationScheme(api);
  const release = await api.db.orm.em.fork().findOneOrFail(Release, { id: scheme.release.id });
  framework = { id: release.framework.id } as FrameworkFixture;
  [institution, reviewer, facilitator, outsider] = await Promise.all([INSTITUTION, REVIEWER, demo.facilitator, demo.member2].map((e) => api.as(e)));
});
afterAll(() => api?.stop());

describe('pilot flags', () => {
  it('wait for the next round on their indicator, then enter it once as anonymized on-behalf comments', async () => {
    const a = await assessment(api, scheme, { stage: 'opened' });
    const flagged = await institution.data(FLAG, { input: { assessmentId: a.id, schemeIndicatorId: await indicatorId('A0-03'), kind: 'UNMEASURABLE', note: 'No registramos el sexo de los codeudores.' } });
    expect(flagged.flagIndicator).toMatchObject({ kind: 'UNMEASURABLE', flaggedAs: 'INSTITUTION', schemeIndicator: { code: 'A0-03' } });
    await asReviewer(api, a.id, REVIEWER);
    await reviewer.data(FLAG, { input: { assessmentId: a.id, schemeIndicatorId: await indicatorId('A0-03'), kind: 'TOO_COSTLY', note: 'Verificarlo exige una muestra de expedientes.' } });
    await settled(api.db.orm);

    // A round scheduled for later takes nothing yet; opened, it takes both flags.
    const round = (await facilitator.data(`mutation($input: CreateRoundInput!) { createRound(input: $input) { id status } }`, {
      input: { frameworkId: framework.id, title: { es: 'Ronda posterior al piloto' }, instructions: { es: 'Comente.' }, opensAt: hours(2), closesAt: hours(48) },
    })).createRound;
    expect(round.status).toBe('SCHEDULED');
    await settled(api.db.orm);
    expect(await pilotComments(round.id)).toEqual([]);
    await facilitator.data(`mutation($id: ID!) { openRoundNow(id: $id) { status } }`, { id: round.id });
    await settled(api.db.orm);
    const comments = await pilotComments(round.id);
    expect(comments).toHaveLength(2);
    expect(comments.every((c) => c.author === 'Piloto de certificación' && c.organization === 'Piloto de certificación' && c.person === null && c.kind === 'OTHER')).toBe(true);
    const [first, second] = comments.map((c) => c.body).sort();
    expect(first).toContain('Piloto de certificación: el indicador no se puede medir tal como está redactado.');
    expect(first).toContain('No registramos el sexo de los codeudores.');
    expect(first).toContain('señalado por una institución del piloto al evaluar el área Área 0 según la versión 2026.1');
    expect(second).toContain('un revisor del piloto');
    // Nothing names the institution or the people.
    for (const body of [first, second]) expect(body).not.toMatch(/Crecer|actor@|stakeholder@/);
    const onVersion = await api.db.orm.em.fork().find(Comment, { round: round.id, body: { $like: 'Piloto de certificación%' } }, { populate: ['indicator'] });
    expect(onVersion.every((c) => c.targetKind === 'INDICATOR_VERSION' && c.indicator?.id)).toBe(true);
    // Each is announced on the round's live topic as any comment is, through the outbox (the near-duplicate placement follows it).
    const { liveEventsSince } = await facilitator.data(`query($topic: String!) { liveEventsSince(topic: $topic, afterSequence: 0) { kind commentId } }`, { topic: `round:${round.id}` });
    expect(liveEventsSince.filter((e: { kind: string }) => e.kind === 'COMMENT_ADDED').map((e: { commentId: string }) => e.commentId).sort()).toEqual(onVersion.map((c) => c.id).sort());

    // Again — a retried job, another status change of the round — adds nothing.
    expect(await deliverPilotFlags(api.db.orm.em.fork(), round.id)).toBe(0);
    await facilitator.data(`mutation($id: ID!, $closesAt: DateTimeISO!) { extendRound(id: $id, closesAt: $closesAt) { id } }`, { id: round.id, closesAt: hours(72) });
    await settled(api.db.orm);
    expect(await pilotComments(round.id)).toHaveLength(2);
  });

  it('enter a round open now at once, one its clock opened before its job announced it at the hourly sweep, and never a closed one', async () => {
    const open = await openRound(facilitator, framework);
    const late = await openRound(facilitator, framework, { opensAt: hours(1) });
    const closing = await openRound(facilitator, framework, { opensAt: hours(1) });
    await settled(api.db.orm);
    // Made open from the start, the round announces its opening as any other, and the flags come with it.
    expect(await pilotComments(open.id)).toHaveLength(2);
    // Its opening time passed, the job that announces it not yet run: the sweep brings it the flags it lacks, once.
    expect(await pilotComments(late.id)).toEqual([]);
    // And one whose whole time passed so: closed, it takes none.
    await api.db.orm.em.fork().execute(`update consultation_round set opens_at = now() - interval '1 minute' where id = ?`, [late.id]);
    await api.db.orm.em.fork().execute(`update consultation_round set opens_at = now() - interval '2 days', closes_at = now() - interval '1 day' where id = ?`, [closing.id]);
    expect(await deliverPendingPilotFlags(api.db.orm.em.fork())).toBe(2);
    expect(await deliverPendingPilotFlags(api.db.orm.em.fork())).toBe(0);
    expect(await pilotComments(late.id)).toHaveLength(2);
    const a = await assessment(api, scheme, { stage: 'opened' });
    await institution.data(FLAG, { input: { assessmentId: a.id, schemeIndicatorId: await indicatorId('A0-01'), kind: 'UNCLEAR', note: '¿Qué cuenta como política aprobada?' } });
    await settled(api.db.orm);
    const now = await pilotComments(open.id);
    expect(now).toHaveLength(3);
    expect(now.filter((c) => c.body.includes('¿Qué cuenta como política aprobada?'))).toHaveLength(1);
    expect(await pilotComments(closing.id)).toEqual([]);
  });

  it('are raised only by the institution’s people and its assigned reviewers', async () => {
    const a = await assessment(api, scheme, { stage: 'opened' });
    const input = { assessmentId: a.id, schemeIndicatorId: await indicatorId('A0-02'), kind: 'UNCLEAR', note: 'x' };
    expect(await outsider.error(FLAG, { input })).toMatchObject({ extensions: { code: 'NOT_FOUND' } });
    expect(await facilitator.error(FLAG, { input })).toMatchObject({ extensions: { code: 'FORBIDDEN', reason: 'NOT_ASSESSMENT_PARTY' } });
    expect(await reviewer.error(FLAG, { input })).toMatchObject({ extensions: { code: 'NOT_FOUND' } });
    expect(await institution.error(FLAG, { input: { ...input, note: '' } })).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
    const listed = await institution.data(`query($id: ID!) { certificationAssessment(id: $id) { pilotFlags { id } } }`, { id: a.id });
    expect(listed.certificationAssessment.pilotFlags).toEqual([]);
  });
});
