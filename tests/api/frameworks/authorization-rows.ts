/** The frameworks and indicators operations' rows of the authorization matrix (authorization/authorization-matrix.ts). */
import { Role } from '../../../api/src/users/user.entity.js';
import { Framework } from '../../../api/src/frameworks/framework.entity.js';
import { Section } from '../../../api/src/frameworks/section.entity.js';
import { IndicatorDraft } from '../../../api/src/indicators/indicator-draft.entity.js';
import { IndicatorVersion, Indicator } from '../../../api/src/indicators/indicator.entity.js';
import type { Fixtures, OperationRow } from '../authorization/operation-row.js';

const SLUG = 'spwg-lac-certification';
const indicatorId = (fx: Fixtures, code: string) => fx.id(Indicator, { framework: { slug: SLUG }, code });
const sectionId = (fx: Fixtures, code: string) => fx.id(Section, { framework: { slug: SLUG }, code });
const draftRevision = async (fx: Fixtures, id: string) => (await fx.em().findOneOrFail(IndicatorDraft, { indicator: id })).revision;

export const frameworkQueries: Record<string, OperationRow> = {
  frameworks: { minimum: 'signedIn', document: `{ frameworks { id slug } }` },
  framework: {
    minimum: 'signedIn',
    document: `query($slug: String!) { framework(slug: $slug) { id sections { code } } }`,
    variables: () => ({ slug: SLUG }),
  },
  indicator: {
    minimum: 'signedIn',
    document: `query($id: ID!) { indicator(id: $id) { code } }`,
    variables: async (fx) => ({ id: await indicatorId(fx, 'GEN-01') }),
  },
  indicatorByCode: {
    minimum: 'signedIn',
    document: `query($frameworkSlug: String!, $code: String!) { indicatorByCode(frameworkSlug: $frameworkSlug, code: $code) { id } }`,
    variables: () => ({ frameworkSlug: SLUG, code: 'GEN-01' }),
  },
  indicatorVersion: {
    minimum: 'signedIn',
    document: `query($id: ID!) { indicatorVersion(id: $id) { number } }`,
    variables: async (fx) => ({ id: await fx.id(IndicatorVersion, { indicator: { code: 'GEN-01' }, number: 1 }) }),
  },
  versionDiff: {
    minimum: 'signedIn',
    document: `query($from: ID!, $to: ID!) { versionDiff(from: $from, to: $to) { fields { field } } }`,
    variables: async (fx) => ({
      from: await fx.id(IndicatorVersion, { indicator: { code: 'GEN-01' }, number: 1 }),
      to: await fx.id(IndicatorVersion, { indicator: { code: 'GEN-01' }, number: 2 }),
    }),
  },
  searchIndicators: {
    minimum: 'signedIn',
    document: `query($query: String!, $language: Locale!) { searchIndicators(query: $query, language: $language) { rank } }`,
    variables: () => ({ query: 'genero', language: 'ES' }),
  },
};

export const frameworkMutations: Record<string, OperationRow> = {
  createFramework: {
    minimum: Role.FACILITATOR,
    document: `mutation($input: CreateFrameworkInput!) { createFramework(input: $input) { id } }`,
    variables: (fx) => ({ input: { slug: `marco-${fx.unique().toLowerCase()}`, kind: 'PRACTICES', name: { es: 'Marco de prueba' } } }),
  },
  createSection: {
    minimum: Role.FACILITATOR,
    document: `mutation($input: CreateSectionInput!) { createSection(input: $input) { id } }`,
    variables: async (fx) => ({
      input: { frameworkId: await fx.id(Framework, { slug: SLUG }), code: `S${fx.unique()}`.slice(0, 20), title: { es: 'Sección de prueba' } },
    }),
  },
  updateSection: {
    minimum: Role.FACILITATOR,
    document: `mutation($id: ID!, $input: UpdateSectionInput!) { updateSection(id: $id, input: $input) { id } }`,
    variables: async (fx) => ({ id: await sectionId(fx, 'RUR'), input: { title: { es: 'Desarrollo rural', en: 'Rural development' } } }),
  },
  createIndicator: {
    minimum: Role.FACILITATOR,
    document: `mutation($input: CreateIndicatorInput!) { createIndicator(input: $input) { id } }`,
    variables: async (fx) => ({ input: { sectionId: await sectionId(fx, 'GEN'), code: `G-${fx.unique()}`.slice(0, 30), texts: { title: { es: 'Indicador de prueba' } } } }),
  },
  saveIndicatorDraft: {
    minimum: Role.FACILITATOR,
    document: `mutation($indicatorId: ID!, $expectedRevision: Int!, $texts: IndicatorTextsInput!) { saveIndicatorDraft(indicatorId: $indicatorId, expectedRevision: $expectedRevision, texts: $texts) { revision } }`,
    variables: async (fx) => {
      const id = await indicatorId(fx, 'RUR-05');
      return { indicatorId: id, expectedRevision: await draftRevision(fx, id), texts: { title: { es: `Información segmentada ${fx.unique()}` } } };
    },
  },
  publishIndicatorDraft: {
    minimum: Role.FACILITATOR,
    rule: 'publishes the saved draft; the row saves a changed draft first so there is something to publish',
    document: `mutation($indicatorId: ID!, $changeSummary: String) { publishIndicatorDraft(indicatorId: $indicatorId, changeSummary: $changeSummary) { id } }`,
    variables: async (fx) => {
      const id = await indicatorId(fx, 'RUR-04');
      const setup = await fx.setup('facilitator');
      await setup.data(`mutation($id: ID!, $rev: Int!, $t: IndicatorTextsInput!) { saveIndicatorDraft(indicatorId: $id, expectedRevision: $rev, texts: $t) { revision } }`, {
        id,
        rev: await draftRevision(fx, id),
        t: { title: { es: `Sucursales y agentes ${fx.unique()}` } },
      });
      return { indicatorId: id, changeSummary: 'prueba' };
    },
  },
  updateFramework: {
    minimum: Role.FACILITATOR,
    document: `mutation($id: ID!, $input: UpdateFrameworkInput!) { updateFramework(id: $id, input: $input) { id } }`,
    // rewrites the USSPM's name with its own words, so the demo data stays as it was
    variables: async (fx) => {
      const usspm = await fx.em().findOneOrFail(Framework, { slug: 'usspm' });
      return { id: usspm.id, input: { name: usspm.name } };
    },
  },
  retireIndicator: {
    minimum: Role.FACILITATOR,
    rule: 'retires an indicator not yet retired; the row makes a fresh one for every call',
    document: `mutation($indicatorId: ID!) { retireIndicator(indicatorId: $indicatorId) { id } }`,
    variables: async (fx) => {
      const setup = await fx.setup('facilitator');
      const { createIndicator } = await setup.data(`mutation($input: CreateIndicatorInput!) { createIndicator(input: $input) { id } }`, {
        input: { sectionId: await sectionId(fx, 'RUR'), code: `R-${fx.unique()}`, texts: { title: { es: 'Indicador por retirar' } } },
      });
      return { indicatorId: createIndicator.id };
    },
  },
  moveIndicator: {
    minimum: Role.FACILITATOR,
    document: `mutation($indicatorId: ID!, $sectionId: ID!, $position: Int!) { moveIndicator(indicatorId: $indicatorId, sectionId: $sectionId, position: $position) { id } }`,
    variables: async (fx) => ({ indicatorId: await indicatorId(fx, 'RUR-07'), sectionId: await sectionId(fx, 'RUR'), position: 0 }),
  },
};
