import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Role, User } from '../../../api/src/users/user.entity.js';
import { DEMO_PASSWORD, demo, startTestApi, type TestApi } from '../../support/api.js';
import { download, IMPORT_COUNTS, rowsByTable, withoutInstanceNumbers } from '../exports/fixtures.js';
import { CAMPAIGN_LETTER } from './campaign.js';
import { settled } from '../../support/jobs.js';
import { addComment, analysisRound, CREATE_THEME, DASHBOARD, ENTER_ON_BEHALF, GROUPS, TAG, UNTAG, type AnalysisRound } from './fixtures.js';

let api: TestApi;
let round: AnalysisRound;
const ids: Record<string, string> = {};
const themes: Record<string, string> = {};

const LIST = `query($roundId: ID!, $filter: CommentFilter) { roundComments(roundId: $roundId, filter: $filter, first: 200) { totalCount onBehalfCount
  themeFacets { value label count } edges { node { id themes { id } onBehalf { kind } } } } }`;

beforeAll(async () => {
  api = await startTestApi();
  round = await analysisRound(api, 'analysis-fw');
  const [a0, a1] = round.fw.areas;
  const [s1, s2, s3] = round.commenters;
  ids.women = await addComment(s1, round.roundId, a0.indicators[0].versionId, 'Falta desagregar la cartera en riesgo de las mujeres por zona.', 'TECHNICAL');
  ids.rural = await addComment(s2, round.roundId, a1.indicators[1].versionId, 'Los plazos deben seguir el ciclo del cultivo en zonas rurales.', 'GENERAL');
  ids.editorial = await addComment(s3, round.roundId, a1.indicators[1].versionId, 'Hay una errata en el título.', 'EDITORIAL');
  ids.letter1 = await addComment(s1, round.roundId, a0.indicators[1].versionId, `${CAMPAIGN_LETTER}\n\nAna Quispe`);
  ids.letter2 = await addComment(s2, round.roundId, a0.indicators[1].versionId, `${CAMPAIGN_LETTER.replaceAll(',', '')}\n\nLuis Mamani`);  // Placement follows each comment as a job: the two letters are grouped once it has run.
  await settled(api.db.orm);
});

afterAll(() => api?.stop());

describe('themes', () => {
  it('a facilitator defines translatable themes, in order, and needs the source language', async () => {
    const { createTheme: gender } = await round.facilitator.data(CREATE_THEME, { input: { roundId: round.roundId, label: { es: 'Género', en: 'Gender' } } });
    const { createTheme: rural } = await round.facilitator.data(CREATE_THEME, { input: { roundId: round.roundId, label: { es: 'Zonas rurales' } } });
    expect(gender).toMatchObject({ position: 0, label: { value: 'Género', language: 'ES' }, translations: { es: 'Género', en: 'Gender' }, commentCount: 0 });
    expect(rural.position).toBe(1);
    themes.gender = gender.id;
    themes.rural = rural.id;
    const e = await round.facilitator.error(CREATE_THEME, { input: { roundId: round.roundId, label: { en: 'Only English' } } });
    expect(e.code).toBe('BAD_USER_INPUT');
    const en = await api.as(demo.stakeholderEn);
    expect((await en.error(CREATE_THEME, { input: { roundId: round.roundId, label: { es: 'No' } } })).code).toBe('FORBIDDEN');
  });

  it('tags singly by ids and in bulk by the comment-list filter, then filters and counts by theme', async () => {
    expect((await round.facilitator.data(TAG, { input: { roundId: round.roundId, themeIds: [themes.gender], commentIds: [ids.women] } })).tagComments).toBe(1);
    // Bulk: every comment of area 1 (two of them), tagged rural.
    const bulk = await round.facilitator.data(TAG, { input: { roundId: round.roundId, themeIds: [themes.rural], filter: { sectionIds: [round.fw.areas[1].id] } } });
    expect(bulk.tagComments).toBe(2);
    // Again: nothing new.
    expect((await round.facilitator.data(TAG, { input: { roundId: round.roundId, themeIds: [themes.rural], filter: { sectionIds: [round.fw.areas[1].id] } } })).tagComments).toBe(0);
    const { roundComments } = await round.facilitator.data(LIST, { roundId: round.roundId, filter: { themeIds: [themes.rural] } });
    expect(roundComments.totalCount).toBe(2);
    expect(roundComments.edges.map((e: { node: { id: string } }) => e.node.id).sort()).toEqual([ids.rural, ids.editorial].sort());
    const all = (await round.facilitator.data(LIST, { roundId: round.roundId })).roundComments;
    expect(all.themeFacets).toEqual([
      { value: themes.gender, label: 'Género', count: 1 },
      { value: themes.rural, label: 'Zonas rurales', count: 2 },
      { value: null, label: null, count: 2 },
    ]);
    expect(all.edges.find((e: { node: { id: string } }) => e.node.id === ids.women).node.themes).toEqual([{ id: themes.gender }]);
    const untag = await round.facilitator.data(UNTAG, { input: { roundId: round.roundId, themeIds: [themes.rural], commentIds: [ids.editorial] } });
    expect(untag.untagComments).toBe(1);
    const csv = await download(api, round.facilitator, round.roundId, { format: 'csv', themeIds: themes.rural });
    const text = csv.body.toString('utf8');
    expect(text).toContain('Temas');
    expect(text).toContain('Zonas rurales');
    expect(text).not.toContain('errata');
  });

  it('a stakeholder cannot tag, list themes before the summary is published, or see tags; after publication they see the themes', async () => {
    const tag = await round.stakeholder.error(TAG, { input: { roundId: round.roundId, themeIds: [themes.gender], commentIds: [ids.rural] } });
    expect(tag.code).toBe('FORBIDDEN');
    const [{ n }] = await api.db.orm.em.fork().execute<{ n: number }[]>('select count(*)::int as n from comment_theme where comment_id = ? and theme_id = ?', [ids.rural, themes.gender]);
    expect(n).toBe(0);
    const THEMES = `query($roundId: ID!) { roundThemes(roundId: $roundId) { id label { value } commentCount } }`;
    expect((await round.stakeholder.error(THEMES, { roundId: round.roundId })).code).toBe('FORBIDDEN');
    expect((await round.stakeholder.error(LIST.replace('themeFacets { value label count } ', ''), { roundId: round.roundId })).code).toBe('FORBIDDEN');
    const COMMENT = `query($id: ID!) { comment(id: $id) { themes { id } } }`;
    expect((await round.stakeholder.data(COMMENT, { id: ids.women })).comment.themes).toEqual([]);
    await api.db.orm.em.fork().execute('update consultation_round set published_summary_at = now() where id = ?', [round.roundId]);
    try {
      const { roundThemes } = await round.stakeholder.data(THEMES, { roundId: round.roundId });
      expect(roundThemes.map((t: { label: { value: string } }) => t.label.value)).toEqual(['Género', 'Zonas rurales']);
      expect((await round.stakeholder.data(COMMENT, { id: ids.women })).comment.themes).toEqual([{ id: themes.gender }]);
    } finally {
      await api.db.orm.em.fork().execute('update consultation_round set published_summary_at = null where id = ?', [round.roundId]);
    }
  });
});

describe('feedback entered on behalf', () => {
  const input = (roundId: string, versionId: string) => ({
    comment: { roundId, targetKind: 'INDICATOR_VERSION', targetId: versionId, type: 'TECHNICAL', body: 'En el taller de Cusco pidieron medir la retención por ciclo de crédito.' },
    source: { kind: 'WORKSHOP', eventName: 'Taller regional de desempeño social', givenOn: '2026-10-05', place: 'Cusco', personName: 'Participantes del taller', organizationName: 'Cooperativa Andina', country: 'pe' },
  });

  it('a facilitator enters workshop feedback with its source; it is marked, counted and filtered apart', async () => {
    const { enterOnBehalf } = await round.facilitator.data(ENTER_ON_BEHALF, { input: input(round.roundId, round.fw.areas[0].indicators[2].versionId) });
    ids.workshop = enterOnBehalf.id;
    expect(enterOnBehalf.author).toEqual({ name: 'Participantes del taller', organizationName: 'Cooperativa Andina', country: 'PE' });
    expect(enterOnBehalf.onBehalf).toMatchObject({ kind: 'WORKSHOP', eventName: 'Taller regional de desempeño social', givenOn: '2026-10-05', place: 'Cusco', enteredByName: expect.any(String) });
    const only = (await round.facilitator.data(LIST, { roundId: round.roundId, filter: { onBehalf: true } })).roundComments;
    expect(only.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual([ids.workshop]);
    const none = (await round.facilitator.data(LIST, { roundId: round.roundId, filter: { onBehalf: false } })).roundComments;
    expect(none.totalCount).toBe(5);
    expect((await round.facilitator.data(LIST, { roundId: round.roundId })).roundComments.onBehalfCount).toBe(1);
    const csv = (await download(api, round.facilitator, round.roundId, { format: 'csv', onBehalf: 'true' })).body.toString('utf8');
    expect(csv).toContain('Taller, Taller regional de desempeño social, 2026-10-05, Cusco (ingresado por');
    expect(csv).not.toContain('errata');
  });

  it('a stakeholder cannot enter feedback on behalf, and nothing is written', async () => {
    const before = (await round.facilitator.data(LIST, { roundId: round.roundId })).roundComments.totalCount;
    expect((await round.stakeholder.error(ENTER_ON_BEHALF, { input: input(round.roundId, round.fw.areas[0].indicators[2].versionId) })).code).toBe('FORBIDDEN');
    expect((await round.facilitator.data(LIST, { roundId: round.roundId })).roundComments.totalCount).toBe(before);
  });

  it('needs to say on whose behalf', async () => {
    const bad = input(round.roundId, round.fw.areas[0].indicators[2].versionId);
    const e = await round.facilitator.error(ENTER_ON_BEHALF, { input: { ...bad, source: { kind: 'PAPER' } } });
    expect(e.code).toBe('BAD_USER_INPUT');
    expect(e.extensions?.fields?.[0]?.field).toBe('source.personName');
  });
});

describe('the dashboard', () => {
  it('gives the facilitator each chart’s data: participation, heat map, types, countries, kinds, dispositions, themes, sources', async () => {
    const { roundDashboard: d } = await round.facilitator.data(DASHBOARD, { roundId: round.roundId });
    expect(d.comments).toBe(6);
    expect(d.onBehalf).toBe(1);
    expect(d.disposed).toBe(0);
    expect(d.participation.reduce((n: number, day: { comments: number }) => n + day.comments, 0)).toBe(6);
    expect(d.participation.at(-1).cumulative).toBe(6);
    expect(d.byType).toEqual(expect.arrayContaining([{ key: 'TECHNICAL', count: 2 }, { key: 'EDITORIAL', count: 1 }, { key: 'GENERAL', count: 3 }]));
    expect(d.byDisposition).toEqual([{ key: 'NONE', count: 6 }]);
    expect(d.bySource).toEqual([{ key: 'WORKSHOP', count: 1 }]);
    expect(d.byCountry.find((c: { key: string }) => c.key === 'PE').count).toBeGreaterThanOrEqual(1);
    expect(d.byTheme.map((t: { label: string; count: number }) => [t.label, t.count])).toEqual([['Género', 1], ['Zonas rurales', 1]]);
    const row = d.heatMap.find((r: { indicatorCode: string }) => r.indicatorCode === round.fw.areas[1].indicators[1].code);
    expect(row).toMatchObject({ areaCode: 'A1', general: 1, editorial: 1, technical: 0, total: 2 });
    expect(d.heatMap.filter((r: { indicatorCode: string | null }) => r.indicatorCode).length).toBe(8);
  });

  it('is for facilitators: a stakeholder gets FORBIDDEN', async () => {
    expect((await round.stakeholder.error(DASHBOARD, { roundId: round.roundId })).code).toBe('FORBIDDEN');
  });
});

describe('the JSON export and import', () => {
  it('carries themes, tags, near-duplicate groups and on-behalf sources to another instance, the same but for the audit entries’ numbers', async () => {
    const { nearDuplicateGroups } = await round.facilitator.data(GROUPS, { roundId: round.roundId });
    expect(nearDuplicateGroups).toHaveLength(1);
    expect(nearDuplicateGroups[0].members.map((m: { comment: { id: string } }) => m.comment.id).sort()).toEqual([ids.letter1, ids.letter2].sort());
    await round.facilitator.data(`mutation($id: ID!) { confirmNearDuplicateGroup(id: $id) { id } }`, { id: nearDuplicateGroups[0].id });
    const first = await download(api, round.facilitator, round.roundId, { format: 'json' });
    expect(first.status).toBe(200);
    const document = first.json();
    expect(document.tables.theme).toHaveLength(2);
    expect(document.tables.comment_theme).toHaveLength(2);
    expect(document.tables.near_duplicate_group).toHaveLength(1);
    expect(document.tables.near_duplicate_member).toHaveLength(2);
    expect(document.tables.on_behalf_source).toHaveLength(1);

    const other = await startTestApi({ seed: 'none' });
    try {
      const em = other.db.orm.em.fork();
      em.create(User, { email: 'importer@consulta.test', name: 'Importadora', roles: [Role.ADMIN], passwordHash: await other.app.hasher.hash(DEMO_PASSWORD) });
      await em.flush();
      const admin = await other.as('importer@consulta.test');
      const { importRound } = await admin.data(`mutation($d: JSONObject!) { importRound(document: $d) { ${IMPORT_COUNTS} } }`, { d: document });
      expect(rowsByTable(importRound.counts)).toMatchObject({ theme: 2, comment_theme: 2, near_duplicate_group: 1, near_duplicate_member: 2, on_behalf_source: 1 });
      const again = await download(other, admin, round.roundId, { format: 'json' });
      expect(withoutInstanceNumbers(again.json())).toEqual(withoutInstanceNumbers(document));
      const { nearDuplicateGroups: imported } = await admin.data(GROUPS, { roundId: round.roundId });
      expect(imported).toMatchObject([{ size: 2, confirmed: true }]);
    } finally {
      await other.stop();
    }
  });
});
