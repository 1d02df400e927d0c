import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demo, startTestApi, type TestApi } from '../../support/api.js';
import type { GraphQLClient } from '../../support/client.js';

/**
 * A revision proposal and a draft save change what they name and keep the rest: a field or a
 * language left out (or null) keeps the text it is built on, an empty string clears it.
 */
let api: TestApi;
let facilitator: GraphQLClient;
beforeAll(async () => {
  api = await startTestApi();
  facilitator = await api.as(demo.facilitator);
});
afterAll(() => api?.stop());

type Texts = Record<string, { es: string | null; en: string | null; pt: string | null; fr: string | null }>;
type FieldRow = { field: string; translations: Texts[string] };

const FIELDS = `fields { field translations { es en pt fr } }`;
const BY_CODE = `query($code: String!) { indicatorByCode(frameworkSlug: "spwg-lac-certification", code: $code) {
  id currentVersion { id ${FIELDS} } draft { revision ${FIELDS} } } }`;
const PROPOSE = `mutation($input: ProposeRevisionInput!) { proposeRevision(input: $input) { id ${FIELDS} } }`;
const SAVE = `mutation($id: ID!, $rev: Int!, $texts: IndicatorTextsInput!) { saveIndicatorDraft(indicatorId: $id, expectedRevision: $rev, texts: $texts) { revision } }`;

const byField = (fields: FieldRow[]): Texts => Object.fromEntries(fields.map((f) => [f.field, f.translations]));

async function indicator(code: string) {
  const { indicatorByCode } = await facilitator.data(BY_CODE, { code });
  return {
    id: indicatorByCode.id as string,
    versionId: indicatorByCode.currentVersion.id as string,
    version: byField(indicatorByCode.currentVersion.fields),
    revision: indicatorByCode.draft.revision as number,
    draft: byField(indicatorByCode.draft.fields),
  };
}

async function propose(code: string, texts: Record<string, unknown>) {
  const base = await indicator(code);
  const result = await facilitator.request(PROPOSE, { input: { indicatorId: base.id, basedOnVersionId: base.versionId, texts, changeSummary: 'Un cambio puntual.' } });
  return { base, result, revision: result.data?.proposeRevision ? byField(result.data.proposeRevision.fields) : null };
}

describe('proposeRevision', () => {
  it('a revision naming one language of one field keeps every other field and language of the consulted version', async () => {
    const { base, result, revision } = await propose('RUR-01', { statement: { en: 'The institution knows, and reports yearly, what share of its clients live or work in rural areas.' } });
    expect(result.errors).toBeUndefined();
    expect(base.version.TITLE.es).toBeTruthy();
    expect(revision).toEqual({
      ...base.version,
      STATEMENT: { ...base.version.STATEMENT, en: 'The institution knows, and reports yearly, what share of its clients live or work in rural areas.' },
    });
  });

  it('an empty string clears a language, null keeps it, and a field emptied in every language is gone', async () => {
    const { base, result, revision } = await propose('RUR-03', { rationale: { es: '', en: '   ' }, statement: { es: null, en: '' }, levels: null });
    expect(result.errors).toBeUndefined();
    const none = { es: null, en: null, pt: null, fr: null };
    expect(revision).toEqual({ ...base.version, RATIONALE: none, STATEMENT: { ...base.version.STATEMENT, en: null } });
  });

  it('a proposal that leaves the text as it was, or clears the source-language title, is refused and stores nothing', async () => {
    const code = 'POV-02';
    const before = (await facilitator.data(`{ indicatorByCode(frameworkSlug: "spwg-lac-certification", code: "${code}") { versions { id } } }`)).indicatorByCode.versions;
    const { base, result: unchanged } = await propose(code, { statement: { es: null } });
    expect(unchanged.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', fields: [{ field: 'texts' }] } });
    const same = await propose(code, { title: { es: base.version.TITLE.es } });
    expect(same.result.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const untitled = await propose(code, { title: { es: '' } });
    expect(untitled.result.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', fields: [{ field: 'texts.title.es' }] } });
    const after = (await facilitator.data(`{ indicatorByCode(frameworkSlug: "spwg-lac-certification", code: "${code}") { versions { id } } }`)).indicatorByCode.versions;
    expect(after).toEqual(before);
  });
});

describe('saveIndicatorDraft', () => {
  it('a save naming one language of one field keeps the rest of the draft', async () => {
    const base = await indicator('RUR-02');
    await facilitator.data(SAVE, { id: base.id, rev: base.revision, texts: { measurement: { en: 'Rural products over all products, as a percentage.' } } });
    const after = await indicator('RUR-02');
    expect(after.revision).toBe(base.revision + 1);
    expect(after.draft).toEqual({ ...base.draft, MEASUREMENT: { ...base.draft.MEASUREMENT, en: 'Rural products over all products, as a percentage.' } });
  });

  it('an empty string clears a language of the draft; null and left-out fields keep theirs', async () => {
    const base = await indicator('RUR-04');
    expect(base.draft.DATA_SOURCE.en).toBeTruthy();
    await facilitator.data(SAVE, { id: base.id, rev: base.revision, texts: { dataSource: { es: null, en: '' }, levels: null, verification: { es: '', en: '' } } });
    const after = await indicator('RUR-04');
    expect(after.draft).toEqual({
      ...base.draft,
      DATA_SOURCE: { ...base.draft.DATA_SOURCE, en: null },
      VERIFICATION: { es: null, en: null, pt: null, fr: null },
    });
  });

  it('a save that clears the source-language title is refused and the draft stays', async () => {
    const base = await indicator('RUR-02');
    const error = await facilitator.error(SAVE, { id: base.id, rev: base.revision, texts: { title: { es: ' ' } } });
    expect(error).toMatchObject({ code: 'BAD_USER_INPUT', extensions: { fields: [{ field: 'texts.title.es' }] } });
    expect(await indicator('RUR-02')).toEqual(base);
  });
});
