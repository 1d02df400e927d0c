import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditEntry } from '../../../api/src/audit/audit-entry.entity.js';
import { Framework, FrameworkStatus } from '../../../api/src/frameworks/framework.entity.js';
import { setFrameworkStatus } from '../../../api/src/frameworks/framework.service.js';
import { Section } from '../../../api/src/frameworks/section.entity.js';
import { IndicatorDraft } from '../../../api/src/indicators/indicator-draft.entity.js';
import { Indicator } from '../../../api/src/indicators/indicator.entity.js';
import { demo, startTestApi, type TestApi } from '../../support/api.js';
import type { GraphQLClient } from '../../support/client.js';

let api: TestApi;
let facilitator: GraphQLClient;
let stakeholder: GraphQLClient;
beforeAll(async () => {
  api = await startTestApi();
  [facilitator, stakeholder] = await Promise.all([api.as(demo.facilitator), api.as(demo.stakeholder)]);
});
afterAll(() => api?.stop());

const em = () => api.db.orm.em.fork();
const counts = async () => ({
  frameworks: await em().count(Framework, {}),
  sections: await em().count(Section, {}),
  indicators: await em().count(Indicator, {}),
  drafts: await em().count(IndicatorDraft, {}),
  audit: await em().count(AuditEntry, {}),
});

const CREATE_FRAMEWORK = `mutation($input: CreateFrameworkInput!) { createFramework(input: $input) { id slug kind status sourceLanguage nameTranslations { es en pt fr } } }`;
const CREATE_SECTION = `mutation($input: CreateSectionInput!) { createSection(input: $input) { id code position } }`;
const UPDATE_SECTION = `mutation($id: ID!, $input: UpdateSectionInput!) { updateSection(id: $id, input: $input) { id code position titleTranslations { es en pt fr } } }`;
const CREATE_INDICATOR = `mutation($input: CreateIndicatorInput!) { createIndicator(input: $input) { id code status position } }`;
const PUBLISH = `mutation($id: ID!) { publishIndicatorDraft(indicatorId: $id, changeSummary: null) { number } }`;
const MOVE = `mutation($id: ID!, $s: ID!, $p: Int!) { moveIndicator(indicatorId: $id, sectionId: $s, position: $p) { position } }`;
const RETIRE = `mutation($id: ID!) { retireIndicator(indicatorId: $id) { id code status } }`;
const TREE = `query($slug: String!) { framework(slug: $slug) {
  status nameTranslations { es en }
  allSections { code position parent { code } titleTranslations { es en pt fr } indicators { code position status currentVersion { number } } }
} }`;

/** Every field in the four languages, as a facilitator writes it. */
function allFields(code: string) {
  const text = (field: string) => ({ es: `${field} ${code} (es)`, en: `${field} ${code} (en)`, pt: `${field} ${code} (pt)`, fr: `${field} ${code} (fr)` });
  return Object.fromEntries(['title', 'statement', 'rationale', 'measurement', 'verification', 'dataSource', 'levels'].map((f) => [f, text(f)]));
}

describe('building a framework', () => {
  let frameworkId: string;
  let areaId: string;
  let subId: string;

  it('a facilitator creates a framework in English with nested sections and renames one', async () => {
    const { createFramework } = await facilitator.data(CREATE_FRAMEWORK, {
      input: { slug: 'client-protection', kind: 'CERTIFICATION', sourceLanguage: 'EN', name: { en: 'Client protection', es: 'Protección al cliente', pt: 'Proteção ao cliente', fr: 'Protection des clients' } },
    });
    expect(createFramework).toMatchObject({ slug: 'client-protection', kind: 'CERTIFICATION', status: 'DRAFT', sourceLanguage: 'EN', nameTranslations: { fr: 'Protection des clients' } });
    frameworkId = createFramework.id;
    areaId = (await facilitator.data(CREATE_SECTION, { input: { frameworkId, code: 'cp', title: { en: 'Pricing' } } })).createSection.id;
    await facilitator.data(CREATE_SECTION, { input: { frameworkId, code: 'TR', title: { en: 'Transparency' } } });
    subId = (await facilitator.data(CREATE_SECTION, { input: { frameworkId, parentId: areaId, code: 'CP.1', title: { en: 'Fair prices' } } })).createSection.id;
    const { updateSection } = await facilitator.data(UPDATE_SECTION, { id: areaId, input: { title: { en: 'Responsible pricing', es: 'Precios responsables', pt: 'Preços responsáveis', fr: 'Prix responsables' } } });
    expect(updateSection).toMatchObject({ code: 'CP', titleTranslations: { en: 'Responsible pricing', fr: 'Prix responsables' } });
    const { framework } = await facilitator.data(TREE, { slug: 'client-protection' });
    const rows = framework.allSections.map((s: { code: string; position: number; parent: { code: string } | null }) => [s.code, s.position, s.parent?.code ?? null]);
    expect(rows.sort((a: string[], b: string[]) => a[0].localeCompare(b[0]))).toEqual([
      ['CP', 0, null],
      ['CP.1', 0, 'CP'],
      ['TR', 1, null],
    ]);
  });

  it('an indicator is created with every field in four languages, and is in force (ACTIVE) once its first version is published', async () => {
    const { createIndicator } = await facilitator.data(CREATE_INDICATOR, { input: { sectionId: subId, code: 'cp-01', texts: allFields('CP-01') } });
    expect(createIndicator).toMatchObject({ code: 'CP-01', status: 'DRAFT', position: 0 });
    const { indicator } = await facilitator.data(`query($id: ID!) { indicator(id: $id) { draft { fields { field translations { es en pt fr } } } } }`, { id: createIndicator.id });
    expect(indicator.draft.fields).toHaveLength(7);
    for (const f of indicator.draft.fields) expect(Object.values(f.translations).every((t) => typeof t === 'string' && t.length > 0)).toBe(true);
    await facilitator.data(PUBLISH, { id: createIndicator.id });
    const after = await facilitator.data(`query($id: ID!) { indicator(id: $id) { status currentVersion { number fields(language: FR) { field text { value fallback } } } } }`, { id: createIndicator.id });
    expect(after.indicator.status).toBe('ACTIVE');
    expect(after.indicator.currentVersion.fields.find((f: { field: string }) => f.field === 'LEVELS').text).toEqual({ value: 'levels CP-01 (fr)', fallback: false });
  });

  it('indicators and sections move up and down among their siblings, renumbered densely', async () => {
    const second = (await facilitator.data(CREATE_INDICATOR, { input: { sectionId: subId, code: 'CP-02', texts: { title: { en: 'Second' } } } })).createIndicator;
    expect(second.position).toBe(1);
    await facilitator.data(MOVE, { id: second.id, s: subId, p: 0 });
    const tr = await em().findOneOrFail(Section, { framework: frameworkId, code: 'TR' });
    await facilitator.data(UPDATE_SECTION, { id: tr.id, input: { position: 0 } });
    const { framework } = await facilitator.data(TREE, { slug: 'client-protection' });
    const byCode = Object.fromEntries(framework.allSections.map((s: { code: string }) => [s.code, s]));
    expect([byCode.TR.position, byCode.CP.position]).toEqual([0, 1]);
    expect(byCode['CP.1'].indicators.map((i: { code: string; position: number }) => [i.code, i.position])).toEqual([
      ['CP-02', 0],
      ['CP-01', 1],
    ]);
  });

  it('a framework is renamed; its slug and source language stay', async () => {
    const UPDATE = `mutation($id: ID!, $input: UpdateFrameworkInput!) { updateFramework(id: $id, input: $input) { slug sourceLanguage nameTranslations { es en } descriptionTranslations { en } } }`;
    const { updateFramework } = await facilitator.data(UPDATE, { id: frameworkId, input: { name: { en: 'Client protection principles', es: 'Principios de protección al cliente' }, description: { en: 'Seven principles.' } } });
    expect(updateFramework).toMatchObject({ slug: 'client-protection', sourceLanguage: 'EN', nameTranslations: { en: 'Client protection principles' }, descriptionTranslations: { en: 'Seven principles.' } });
    const before = await counts();
    const err = await facilitator.error(UPDATE, { id: frameworkId, input: { name: { en: '', es: 'Sólo en castellano' } } });
    expect(err).toMatchObject({ code: 'BAD_USER_INPUT', extensions: { fields: [{ field: 'name.en' }] } });
    expect(await counts()).toEqual(before);
    const audit = await em().find(AuditEntry, { subjectId: frameworkId, action: 'framework.updated' });
    expect(audit).toHaveLength(1);
  });
});

describe('bad input stores nothing', () => {
  it('a framework without its name in the source language, a duplicate slug', async () => {
    const before = await counts();
    const missing = await facilitator.error(CREATE_FRAMEWORK, { input: { slug: 'sin-nombre', kind: 'PRACTICES', sourceLanguage: 'ES', name: { en: 'English only' } } });
    expect(missing).toMatchObject({ code: 'BAD_USER_INPUT', extensions: { fields: [{ field: 'name.es' }] } });
    const duplicate = await facilitator.error(CREATE_FRAMEWORK, { input: { slug: 'usspm', kind: 'PRACTICES', name: { es: 'Otra' } } });
    expect(duplicate).toMatchObject({ code: 'CONFLICT', extensions: { reason: 'DUPLICATE_SLUG', fields: [{ field: 'slug' }] } });
    expect(await counts()).toEqual(before);
  });

  it('a duplicate section code, anywhere in the framework', async () => {
    const framework = await em().findOneOrFail(Framework, { slug: 'spwg-lac-certification' });
    const gen = await em().findOneOrFail(Section, { framework, code: 'GEN' });
    const before = await counts();
    const err = await facilitator.error(CREATE_SECTION, { input: { frameworkId: framework.id, parentId: gen.id, code: 'pov', title: { es: 'Otra pobreza' } } });
    expect(err).toMatchObject({ code: 'CONFLICT', extensions: { reason: 'DUPLICATE_CODE', fields: [{ field: 'code' }] } });
    const rename = await facilitator.error(UPDATE_SECTION, { id: gen.id, input: { code: 'RUR' } });
    expect(rename).toMatchObject({ code: 'CONFLICT', extensions: { reason: 'DUPLICATE_CODE' } });
    expect(await counts()).toEqual(before);
    expect((await em().findOneOrFail(Section, { id: gen.id })).code).toBe('GEN');
  });

  it('a duplicate indicator code, and an indicator without a title in the source language', async () => {
    const rur = await em().findOneOrFail(Section, { framework: { slug: 'spwg-lac-certification' }, code: 'RUR' });
    const before = await counts();
    const duplicate = await facilitator.error(CREATE_INDICATOR, { input: { sectionId: rur.id, code: 'gen-01', texts: { title: { es: 'Repetido' } } } });
    expect(duplicate).toMatchObject({ code: 'CONFLICT', extensions: { reason: 'DUPLICATE_CODE', fields: [{ field: 'code' }] } });
    const untitled = await facilitator.error(CREATE_INDICATOR, { input: { sectionId: rur.id, code: 'RUR-77', texts: { title: { en: 'Only English' }, statement: { es: 'Una declaración' } } } });
    expect(untitled).toMatchObject({ code: 'BAD_USER_INPUT', extensions: { fields: [{ field: 'texts.title.es' }] } });
    expect(await counts()).toEqual(before);
  });
});

describe('retiring an indicator', () => {
  const ROUND_INDICATORS = `query($id: ID!) { round(id: $id) { indicators { indicator { code status } indicatorVersion { number } } } }`;

  it('marks it RETIRED with an audit entry; older rounds still show it, a new round leaves it out', async () => {
    const { rounds } = await facilitator.data(`{ rounds { id framework { slug id } } }`);
    const old = rounds.find((r: { framework: { slug: string } }) => r.framework.slug === 'spwg-lac-certification');
    const before = (await facilitator.data(ROUND_INDICATORS, { id: old.id })).round.indicators;
    const pinned = before[0];
    const indicator = await em().findOneOrFail(Indicator, { framework: { slug: 'spwg-lac-certification' }, code: pinned.indicator.code });
    expect(indicator.status).toBe('ACTIVE');

    const { retireIndicator } = await facilitator.data(RETIRE, { id: indicator.id });
    expect(retireIndicator).toMatchObject({ code: indicator.code, status: 'RETIRED' });
    const [entry] = await em().find(AuditEntry, { subjectId: indicator.id, action: 'indicator.retired' });
    expect(entry.data).toMatchObject({ code: indicator.code, before: 'ACTIVE' });

    const after = (await stakeholder.data(ROUND_INDICATORS, { id: old.id })).round.indicators;
    expect(after.find((i: { indicator: { code: string } }) => i.indicator.code === indicator.code)).toMatchObject({
      indicator: { status: 'RETIRED' },
      indicatorVersion: { number: pinned.indicatorVersion.number },
    });
    const page = await stakeholder.data(`query($slug: String!, $code: String!) { indicatorByCode(frameworkSlug: $slug, code: $code) { status currentVersion { number } versions { number } } }`, {
      slug: 'spwg-lac-certification',
      code: indicator.code,
    });
    expect(page.indicatorByCode).toMatchObject({ status: 'RETIRED', currentVersion: { number: pinned.indicatorVersion.number } });

    const { createRound } = await facilitator.data(`mutation($input: CreateRoundInput!) { createRound(input: $input) { id } }`, {
      input: { frameworkId: old.framework.id, title: { es: 'Ronda sin el retirado' }, opensAt: new Date(Date.now() + 86_400_000).toISOString(), closesAt: new Date(Date.now() + 10 * 86_400_000).toISOString() },
    });
    const fresh = (await facilitator.data(ROUND_INDICATORS, { id: createRound.id })).round.indicators;
    expect(fresh.length).toBe(after.length - 1);
    expect(fresh.map((i: { indicator: { code: string } }) => i.indicator.code)).not.toContain(indicator.code);
  });

  it('retiring twice is a CONFLICT; a stakeholder may not retire; neither writes anything', async () => {
    const indicator = await em().findOneOrFail(Indicator, { framework: { slug: 'usspm' }, code: '1A.2' });
    await facilitator.data(RETIRE, { id: indicator.id });
    const before = await counts();
    expect(await facilitator.error(RETIRE, { id: indicator.id })).toMatchObject({ code: 'CONFLICT', extensions: { reason: 'ALREADY_RETIRED' } });
    const other = await em().findOneOrFail(Indicator, { framework: { slug: 'usspm' }, code: '1A.3' });
    expect((await stakeholder.error(RETIRE, { id: other.id })).code).toBe('FORBIDDEN');
    expect(await counts()).toEqual(before);
    expect((await em().findOneOrFail(Indicator, { id: other.id })).status).toBe('ACTIVE');
  });

  it('a retired indicator shows as retired in its framework’s tree', async () => {
    const { framework } = await stakeholder.data(TREE, { slug: 'usspm' });
    const standard = framework.allSections.find((s: { code: string }) => s.code === '1A');
    expect(standard.indicators.find((i: { code: string }) => i.code === '1A.2').status).toBe('RETIRED');
  });
});

describe('the framework status the release helper sets', () => {
  it('setFrameworkStatus changes and logs in the caller’s unit of work, and does nothing when already there', async () => {
    const fork = em();
    const framework = await fork.findOneOrFail(Framework, { slug: 'spwg-lac-certification' });
    const admin = await fork.findOneOrFail((await import('../../../api/src/users/user.entity.js')).User, { email: demo.admin });
    expect(setFrameworkStatus(fork, admin.id, framework, FrameworkStatus.FINAL, { releaseNumber: 1 })).toBe(true);
    expect(setFrameworkStatus(fork, admin.id, framework, FrameworkStatus.FINAL)).toBe(false);
    await fork.flush();
    const { framework: read } = await stakeholder.data(`{ framework(slug: "spwg-lac-certification") { status } }`);
    expect(read.status).toBe('FINAL');
    const entries = await em().find(AuditEntry, { subjectId: framework.id, action: 'framework.status_changed' });
    expect(entries.map((e) => e.data)).toEqual([{ releaseNumber: 1, before: 'IN_CONSULTATION', after: 'FINAL' }]);
  });
});
