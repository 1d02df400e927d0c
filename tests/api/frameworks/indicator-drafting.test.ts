import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditEntry } from '../../../api/src/audit/audit-entry.entity.js';
import { IndicatorDraft } from '../../../api/src/indicators/indicator-draft.entity.js';
import { IndicatorVersion, Indicator } from '../../../api/src/indicators/indicator.entity.js';
import { Section } from '../../../api/src/frameworks/section.entity.js';
import { demo, startTestApi, type TestApi } from '../../support/api.js';
import type { GraphQLClient } from '../../support/client.js';

let api: TestApi;
let facilitator: GraphQLClient;
let otherFacilitator: GraphQLClient;
let stakeholder: GraphQLClient;
beforeAll(async () => {
  api = await startTestApi();
  [facilitator, otherFacilitator, stakeholder] = await Promise.all([api.as(demo.facilitator), api.as('facilitator@consulta.demo'), api.as(demo.stakeholder)]);
});
afterAll(() => api?.stop());

const BY_CODE = `query($code: String!) { indicatorByCode(frameworkSlug: "spwg-lac-certification", code: $code) {
  id code position section { id code }
  currentVersion { id number }
  versions { id number changeSummary author { name } parent { number } }
  draft { revision fields { field translations { es en } } }
} }`;
const VERSION = `query($id: ID!) { indicatorVersion(id: $id) { number fields(language: ES) { field text { value } translations { es en } } } }`;
const SAVE = `mutation($id: ID!, $rev: Int!, $texts: IndicatorTextsInput!) { saveIndicatorDraft(indicatorId: $id, expectedRevision: $rev, texts: $texts) { revision updatedBy { name } } }`;
const PUBLISH = `mutation($id: ID!, $summary: String) { publishIndicatorDraft(indicatorId: $id, changeSummary: $summary) { id number parent { number } author { name } } }`;
const DIFF = `query($from: ID!, $to: ID!, $languages: [Locale!]) { versionDiff(from: $from, to: $to, languages: $languages) { fields { field language changed runs { kind text } } } }`;

/** A draft's texts in the shape the save mutation takes. */
function asInput(fields: { field: string; translations: Record<string, string | null> }[]) {
  const name: Record<string, string> = { TITLE: 'title', STATEMENT: 'statement', RATIONALE: 'rationale', MEASUREMENT: 'measurement', VERIFICATION: 'verification', DATA_SOURCE: 'dataSource', LEVELS: 'levels' };
  return Object.fromEntries(fields.map((f) => [name[f.field], { es: f.translations.es, en: f.translations.en }]));
}

async function indicator(code: string) {
  return (await facilitator.data(BY_CODE, { code })).indicatorByCode;
}

describe('history and diffs', () => {
  it('shows the seeded history newest first, each version pointing at its parent', async () => {
    const gen01 = await indicator('GEN-01');
    expect(gen01.versions.map((v: { number: number }) => v.number)).toEqual([3, 2, 1]);
    expect(gen01.versions[0]).toMatchObject({ parent: { number: 2 }, author: { name: 'Karla Hernández' } });
    expect(gen01.currentVersion.number).toBe(3);
  });

  it('publishing a draft makes a new version and leaves the old one exactly as it was', async () => {
    const gen02 = await indicator('GEN-02');
    const oldId = gen02.currentVersion.id;
    const before = (await stakeholder.data(VERSION, { id: oldId })).indicatorVersion;
    const texts = asInput(gen02.draft.fields);
    texts.statement = {
      es: 'La institución mide cuántas de sus clientas renuevan su crédito cada año y analiza las causas de deserción.',
      en: texts.statement.en,
    };
    await facilitator.data(SAVE, { id: gen02.id, rev: gen02.draft.revision, texts });
    const { publishIndicatorDraft: v2 } = await facilitator.data(PUBLISH, { id: gen02.id, summary: 'Se precisa la frecuencia.' });
    expect(v2).toMatchObject({ number: 2, parent: { number: 1 }, author: { name: 'Karla Hernández' } });

    const after = (await stakeholder.data(VERSION, { id: oldId })).indicatorVersion;
    expect(after).toEqual(before);
    const latest = (await stakeholder.data(VERSION, { id: v2.id })).indicatorVersion;
    expect(latest.fields[1].text.value).toContain('cada año');
    expect((await indicator('GEN-02')).currentVersion.id).toBe(v2.id);

    // The diff marks exactly the inserted words, only in the Spanish statement.
    const { versionDiff } = await stakeholder.data(DIFF, { from: oldId, to: v2.id });
    const changed = versionDiff.fields.filter((f: { changed: boolean }) => f.changed);
    expect(changed.map((f: { field: string; language: string }) => `${f.field}.${f.language}`)).toEqual(['STATEMENT.ES']);
    const runs = changed[0].runs.filter((r: { kind: string }) => r.kind !== 'UNCHANGED');
    expect(runs).toEqual([{ kind: 'INSERTED', text: 'cada año ' }]);
    expect(versionDiff.fields.length).toBe(28); // 7 fields × es, en, pt, fr (the demo's gender indicators are in all four)
  });

  it('a diff marks replaced words as deleted then inserted, and can be limited to one language', async () => {
    const gen01 = await indicator('GEN-01');
    const [v3, v2] = gen01.versions;
    const { versionDiff } = await stakeholder.data(DIFF, { from: v2.id, to: v3.id, languages: ['EN'] });
    const levels = versionDiff.fields.find((f: { field: string }) => f.field === 'LEVELS');
    expect(versionDiff.fields.every((f: { language: string }) => f.language === 'EN')).toBe(true);
    expect(levels.runs.filter((r: { kind: string }) => r.kind !== 'UNCHANGED')).toEqual([
      { kind: 'DELETED', text: '50' },
      { kind: 'INSERTED', text: '45' },
    ]);
    // The runs rebuild both texts exactly.
    const text = (skip: string) => levels.runs.filter((r: { kind: string }) => r.kind !== skip).map((r: { text: string }) => r.text).join('');
    expect(text('INSERTED')).toBe('Met: calculated, reported to the board every year and at least 50%. Partial: calculated but not reported.');
    expect(text('DELETED')).toBe('Met: calculated, reported to the board every year and at least 45%. Partial: calculated but not reported.');
  });

  it('publishing an unchanged draft is a CONFLICT and makes no version', async () => {
    const gen05 = await indicator('GEN-05');
    const err = await facilitator.error(PUBLISH, { id: gen05.id, summary: 'nada' });
    expect(err).toMatchObject({ code: 'CONFLICT', extensions: { reason: 'NOTHING_TO_PUBLISH' } });
    expect((await indicator('GEN-05')).versions).toHaveLength(1);
  });

  it('the database refuses to change a published text', async () => {
    const em = api.db.orm.em.fork();
    await expect(em.getConnection().execute(`update indicator_version set texts = '{}'::jsonb`)).rejects.toThrow(/immutable/);
  });
});

describe('two facilitators editing one draft', () => {
  it('one save wins, the other gets CONFLICT with the winner’s text, and no text is lost', async () => {
    const pov03 = await indicator('POV-03');
    const base = asInput(pov03.draft.fields);
    const mine = { ...base, title: { es: 'Salida de la pobreza de los clientes', en: base.title.en } };
    const theirs = { ...base, title: { es: base.title.es, en: 'Clients moving out of poverty' } };
    const results = await Promise.all([
      facilitator.request(SAVE, { id: pov03.id, rev: pov03.draft.revision, texts: mine }),
      otherFacilitator.request(SAVE, { id: pov03.id, rev: pov03.draft.revision, texts: theirs }),
    ]);
    const winners = results.filter((r) => !r.errors);
    const losers = results.filter((r) => r.errors);
    expect(winners).toHaveLength(1);
    expect(losers).toHaveLength(1);
    const conflict = losers[0].errors![0];
    expect(conflict.extensions).toMatchObject({ code: 'CONFLICT', reason: 'STALE_DRAFT', current: { revision: pov03.draft.revision + 1 } });

    const winnerText = winners[0] === results[0] ? mine : theirs;
    const loserText = winners[0] === results[0] ? theirs : mine;
    const current = conflict.extensions!.current as { texts: Record<string, Record<string, string>>; updatedBy: { name: string } };
    // The loser is handed the winner's text…
    expect(current.texts.TITLE).toEqual(winnerText.title);
    // …and the draft holds exactly the winner's; the loser's text is still theirs to resubmit.
    const after = await indicator('POV-03');
    expect(after.draft.revision).toBe(pov03.draft.revision + 1);
    expect(asInput(after.draft.fields).title).toEqual(winnerText.title);
    const merged = { ...loserText, title: { es: mine.title.es, en: theirs.title.en } };
    const { saveIndicatorDraft } = await (winners[0] === results[0] ? otherFacilitator : facilitator).data(SAVE, { id: pov03.id, rev: after.draft.revision, texts: merged });
    expect(saveIndicatorDraft.revision).toBe(after.draft.revision + 1);
    expect(asInput((await indicator('POV-03')).draft.fields).title).toEqual(merged.title);
  });
});

describe('who may draft', () => {
  it('a stakeholder cannot create, edit, publish or move an indicator, and nothing changes', async () => {
    const gen04 = await indicator('GEN-04');
    const em = () => api.db.orm.em.fork();
    const counts = async () => ({
      indicators: await em().count(Indicator, {}),
      versions: await em().count(IndicatorVersion, {}),
      audit: await em().count(AuditEntry, {}),
      draft: (await em().findOneOrFail(IndicatorDraft, { indicator: gen04.id })).revision,
    });
    const before = await counts();
    const section = await em().findOneOrFail(Section, { code: 'GEN' });
    const attempts: [string, Record<string, unknown>][] = [
      [`mutation($s: ID!) { createIndicator(input: { sectionId: $s, code: "GEN-99", texts: { title: { es: "Nuevo" } } }) { id } }`, { s: section.id }],
      [SAVE, { id: gen04.id, rev: gen04.draft.revision, texts: { title: { es: 'Cambiado' } } }],
      [PUBLISH, { id: gen04.id, summary: 'x' }],
      [`mutation($id: ID!, $s: ID!) { moveIndicator(indicatorId: $id, sectionId: $s, position: 0) { id } }`, { id: gen04.id, s: section.id }],
      [`mutation { createFramework(input: { slug: "mine", kind: PRACTICES, name: { es: "Mío" } }) { id } }`, {}],
      [`mutation($s: ID!) { updateSection(id: $s, input: { title: { es: "Otro" } }) { id } }`, { s: section.id }],
    ];
    for (const [query, variables] of attempts) {
      expect((await stakeholder.error(query, variables)).code).toBe('FORBIDDEN');
    }
    expect((await stakeholder.error(`{ indicatorByCode(frameworkSlug: "spwg-lac-certification", code: "GEN-04") { draft { revision } } }`)).code).toBe('FORBIDDEN');
    expect(await counts()).toEqual(before);
  });
});

describe('drafting', () => {
  it('a facilitator creates an indicator; it has no version until its draft is published', async () => {
    const gen = (await facilitator.data(`{ framework(slug: "spwg-lac-certification") { sections { id code } } }`)).framework.sections[0];
    const { createIndicator } = await facilitator.data(
      `mutation($s: ID!) { createIndicator(input: { sectionId: $s, code: "gen-09", position: 0, texts: { title: { es: "Brecha salarial", en: "Pay gap" }, statement: { es: "La institución mide la brecha salarial." } } }) { id code position currentVersion { id } draft { revision } } }`,
      { s: gen.id },
    );
    expect(createIndicator).toMatchObject({ code: 'GEN-09', position: 0, currentVersion: null, draft: { revision: 1 } });
    const { publishIndicatorDraft } = await facilitator.data(PUBLISH, { id: createIndicator.id, summary: null });
    expect(publishIndicatorDraft).toMatchObject({ number: 1, parent: null });
    const audit = await api.db.orm.em.fork().find(AuditEntry, { subjectId: createIndicator.id }, { orderBy: { id: 'asc' } });
    expect(audit.map((a) => a.action)).toEqual(['indicator.created', 'indicator.version_published']);
  });

  it('a draft without a title in the source language is refused naming the field', async () => {
    const gen06 = await indicator('GEN-06');
    const err = await facilitator.error(SAVE, { id: gen06.id, rev: gen06.draft.revision, texts: { title: { es: '', en: 'Only English' } } });
    expect(err).toMatchObject({ code: 'BAD_USER_INPUT', extensions: { fields: [{ field: 'texts.title.es' }] } });
  });

  it('a duplicate code is a CONFLICT', async () => {
    const gen = (await facilitator.data(`{ framework(slug: "spwg-lac-certification") { sections { id } } }`)).framework.sections[0];
    const err = await facilitator.error(`mutation($s: ID!) { createIndicator(input: { sectionId: $s, code: "GEN-01", texts: { title: { es: "Otro" } } }) { id } }`, { s: gen.id });
    expect(err).toMatchObject({ code: 'CONFLICT', extensions: { reason: 'DUPLICATE_CODE' } });
  });

  it('moving an indicator to another area keeps its code and history, and renumbers both areas', async () => {
    const rur08 = await indicator('RUR-08');
    const pov = (await facilitator.data(`{ framework(slug: "spwg-lac-certification") { sections { id code } } }`)).framework.sections[1];
    await facilitator.data(`mutation($id: ID!, $s: ID!) { moveIndicator(indicatorId: $id, sectionId: $s, position: 1) { id } }`, { id: rur08.id, s: pov.id });
    const moved = await indicator('RUR-08');
    expect(moved).toMatchObject({ code: 'RUR-08', position: 1, section: { code: 'POV' } });
    expect(moved.versions).toEqual(rur08.versions);
    const tree = (await facilitator.data(`{ framework(slug: "spwg-lac-certification") { sections { code indicators { code position } } } }`)).framework.sections;
    for (const area of tree) expect(area.indicators.map((i: { position: number }) => i.position)).toEqual(area.indicators.map((_: unknown, i: number) => i));
    expect(tree[1].indicators.map((i: { code: string }) => i.code).slice(0, 3)).toEqual(['POV-01', 'RUR-08', 'POV-02']);
    expect(tree[2].indicators.map((i: { code: string }) => i.code)).not.toContain('RUR-08');
  });
});
