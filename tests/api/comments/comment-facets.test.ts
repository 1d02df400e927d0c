import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FeedbackSourceKind, OnBehalfSource } from '../../../api/src/analysis/on-behalf-source.entity.js';
import { Comment, CommentTargetKind, CommentType } from '../../../api/src/comments/comment.entity.js';
import { Disposition, DispositionStatus } from '../../../api/src/dispositions/disposition.entity.js';
import { Section } from '../../../api/src/frameworks/section.entity.js';
import { IndicatorVersion, Indicator } from '../../../api/src/indicators/indicator.entity.js';
import { ConsultationRound } from '../../../api/src/rounds/round.entity.js';
import { User } from '../../../api/src/users/user.entity.js';
import { demo, startTestApi, type TestApi } from '../../support/api.js';
import type { GraphQLClient } from '../../support/client.js';
import { countSql } from '../../support/sql-counter.js';
import { CREATE_THEME, TAG } from '../analysis/fixtures.js';
import { createFramework, openRound, type FrameworkFixture } from '../rounds/fixtures.js';

let api: TestApi;
let facilitator: GraphQLClient;
beforeAll(async () => {
  api = await startTestApi();
  facilitator = await api.as(demo.facilitator);
});
afterAll(() => api?.stop());

const LIST = `query($roundId: ID!, $filter: CommentFilter) {
  roundComments(roundId: $roundId, filter: $filter, first: 200) {
    totalCount onBehalfCount
    facets { types { value count } dispositions { value count } organizations { value label count } countries { value count } sections { value label count } }
    themeFacets { value count }
    pageInfo { hasNextPage }
    edges { node { id } }
  } }`;

interface Facet { value: string | null; label?: string | null; count: number }
interface Listed {
  totalCount: number;
  onBehalfCount: number;
  facets: Record<'types' | 'dispositions' | 'organizations' | 'countries' | 'sections', Facet[]>;
  themeFacets: Facet[];
  pageInfo: { hasNextPage: boolean };
  edges: { node: { id: string } }[];
}

const TYPES = [CommentType.GENERAL, CommentType.TECHNICAL, CommentType.EDITORIAL];
const DISPOSITIONS = ['NONE', ...Object.values(DispositionStatus)];
const COUNTRIES = ['PE', 'EC', 'BO', 'NI', null];
const ORGANIZATIONS: (string | null)[] = [randomUUID(), randomUUID(), randomUUID(), null];

/** The same numbers on every run, spread so that no facet follows another. */
function pseudoRandom(seed: number) {
  let s = seed;
  return (n: number) => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return Math.floor((s / 2147483648) * n);
  };
}

describe('comment-list facets count within every criterion but their own', () => {
  let fw: FrameworkFixture;
  let roundId: string;
  const themes: string[] = [];

  beforeAll(async () => {
    fw = await createFramework(api.db.orm, { slug: 'facets', areas: 3, perArea: 2 });
    roundId = (await openRound(facilitator, fw)).id;
    const em = api.db.orm.em.fork();
    const author = await em.findOneOrFail(User, { email: demo.stakeholder });
    const round = em.getReference(ConsultationRound, roundId);
    const indicators = fw.areas.flatMap((a) => a.indicators.map((i) => ({ ...i, sectionId: a.subsectionId })));
    const pick = pseudoRandom(20);
    const commentIds: string[] = [];
    const t0 = Date.now() - 1_000_000;
    for (let k = 0; k < 600; k++) {
      const target = indicators[pick(indicators.length)];
      const organization = pick(ORGANIZATIONS.length);
      const comment = em.create(Comment, {
        round, threadId: '', targetKind: CommentTargetKind.INDICATOR_VERSION,
        indicatorVersion: em.getReference(IndicatorVersion, target.versionId), indicator: em.getReference(Indicator, target.id), section: em.getReference(Section, target.sectionId),
        type: TYPES[pick(TYPES.length)], body: `Comentario ${k}`, bodyHtml: `<p>Comentario ${k}</p>`,
        authorId: author.id, authorName: `Persona ${k}`, authorOrganizationId: ORGANIZATIONS[organization], authorOrganizationName: ORGANIZATIONS[organization] && `Institución ${organization}`,
        authorCountry: COUNTRIES[pick(COUNTRIES.length)], createdAt: new Date(t0 + k * 1000), withdrawnAt: k % 29 === 0 ? new Date() : null,
      });
      comment.threadId = comment.id;
      commentIds.push(comment.id);
      const status = DISPOSITIONS[pick(DISPOSITIONS.length)];
      if (status !== 'NONE') em.create(Disposition, { comment, round, status: status as DispositionStatus, response: 'Respuesta', decidedById: author.id, decidedByName: 'Karla' });
      if (pick(5) === 0) em.create(OnBehalfSource, { comment, kind: FeedbackSourceKind.WORKSHOP, enteredById: author.id, enteredByName: 'Karla' });
    }
    await em.flush();
    for (const label of ['Género', 'Zonas rurales', 'Pobreza']) {
      const { createTheme } = await facilitator.data(CREATE_THEME, { input: { roundId, label: { es: label } } });
      themes.push(createTheme.id);
      const tagged = commentIds.filter(() => pick(3) === 0);
      await facilitator.data(TAG, { input: { roundId, themeIds: [createTheme.id], commentIds: tagged } });
    }
  }, 120_000);

  const list = (filter: Record<string, unknown>) => facilitator.data(LIST, { roundId, filter }).then((d) => d.roundComments as Listed);
  const countOf = (facet: Facet[], value: string) => facet.find((f) => f.value === value)?.count ?? 0;

  /** Several criteria at once, each leaving a good share of the round. */
  const active = () => ({
    types: ['TECHNICAL', 'EDITORIAL'],
    dispositions: ['NONE', 'PARTIALLY_ACCEPTED', 'REJECTED'],
    organizationIds: ORGANIZATIONS.slice(0, 2),
    countries: ['pe', 'ec', 'bo'],
    sectionIds: [fw.areas[0].id, fw.areas[1].id],
    withdrawn: false,
  });

  /** Ticking each value of a facet, the other criteria kept, lists as many comments as the facet said. */
  async function tickEach(name: keyof Listed['facets'], key: string, values: string[], others: Record<string, unknown>) {
    const { facets } = await list(others);
    const offered = facets[name].filter((f) => f.value !== null);
    expect(offered.length).toBeGreaterThan(1);
    let nonZero = 0;
    for (const value of values) {
      const ticked = await list({ ...others, [key]: [value] });
      expect(ticked.pageInfo.hasNextPage).toBe(false);
      expect({ value, listed: ticked.edges.length, total: ticked.totalCount }).toEqual({ value, listed: countOf(facets[name], value), total: countOf(facets[name], value) });
      if (ticked.edges.length) nonZero++;
    }
    expect(nonZero).toBeGreaterThan(1);
  }

  it('types', async () => {
    await tickEach('types', 'types', TYPES, active());
    // The facet counts the types not ticked too; the total keeps every criterion.
    const listed = await list(active());
    expect(listed.totalCount).toBe(listed.edges.length);
    expect(listed.totalCount).toBeLessThan(listed.facets.types.reduce((sum, f) => sum + f.count, 0));
  });

  it('dispositions: giving one shows its count, and ticking it lists that many', async () => {
    await tickEach('dispositions', 'dispositions', DISPOSITIONS, active());
    // Only what is left to do, as the queue starts: the other dispositions still show what they hold.
    const queue = await list({ ...active(), dispositions: ['NONE'] });
    expect(queue.facets.dispositions.filter((f) => f.value !== 'NONE' && f.count > 0).length).toBeGreaterThan(2);
    expect(queue.totalCount).toBe(countOf(queue.facets.dispositions, 'NONE'));
  });

  it('organizations', async () => {
    await tickEach('organizations', 'organizationIds', ORGANIZATIONS.filter((o): o is string => !!o), active());
    const { facets } = await list(active());
    expect(facets.organizations.find((f) => f.value === ORGANIZATIONS[2])?.label).toBe('Institución 2');
  });

  it('countries', async () => {
    await tickEach('countries', 'countries', COUNTRIES.filter((c): c is string => !!c), active());
  });

  it('sections', async () => {
    await tickEach('sections', 'sectionIds', fw.areas.map((a) => a.subsectionId), active());
  });

  it('themes', async () => {
    const others = { ...active(), themeIds: [themes[0]] };
    const { themeFacets } = await list(others);
    let nonZero = 0;
    for (const theme of themes) {
      const ticked = await list({ ...others, themeIds: [theme] });
      expect({ theme, listed: ticked.edges.length }).toEqual({ theme, listed: countOf(themeFacets, theme) });
      if (ticked.edges.length) nonZero++;
    }
    expect(nonZero).toBe(themes.length);
  });

  it('feedback entered on behalf', async () => {
    const { onBehalfCount } = await list({ ...active(), onBehalf: false });
    const only = await list({ ...active(), onBehalf: true });
    expect(onBehalfCount).toBeGreaterThan(0);
    expect(only.edges.length).toBe(onBehalfCount);
  });

  it('the counts and the total take the same statements, whatever the criteria', async () => {
    const { result: none, count: plain } = await countSql(() => list({}));
    const { result: all, count: filtered } = await countSql(() => list({ ...active(), themeIds: [themes[1]], onBehalf: false }));
    expect(filtered).toBe(plain);
    expect(none.totalCount).toBe(600);
    expect(none.facets.dispositions.reduce((sum, f) => sum + f.count, 0)).toBe(600);
    expect(all.totalCount).toBe(all.edges.length);
  });

  it('the total and the themes borrow the facets’ count, whatever the order of the fields', async () => {
    const FACETS = 'facets { dispositions { value count } }';
    const ask = (fields: string) => countSql(() => facilitator.data(`query($roundId: ID!) { roundComments(roundId: $roundId, first: 10) { ${fields} edges { node { id } } } }`, { roundId }).then((d) => d.roundComments));
    const facetsOnly = await ask(FACETS);
    const withThemes = await ask(`${FACETS} themeFacets { value count }`);
    const expected = { totalCount: 600, themeFacets: (await list({})).themeFacets };
    for (const fields of [`${FACETS} totalCount themeFacets { value count }`, `totalCount themeFacets { value count } ${FACETS}`, `themeFacets { value count } totalCount ${FACETS}`]) {
      const { result, count } = await ask(fields);
      expect({ fields, count, ...result }).toMatchObject({ fields, count: withThemes.count, ...expected });
    }
    // The facets take one statement, the themes one; the total none of its own.
    expect(withThemes.count).toBe(facetsOnly.count + 1);
    expect((await ask(`totalCount ${FACETS}`)).count).toBe(facetsOnly.count);
  });
});

describe('the organization facet of a round with many organizations', () => {
  let roundId: string;
  /** Organization k (0–29) has 31 − k comments, of which k % 3 are editorial, the rest technical. */
  const organizations = Array.from({ length: 30 }, (_, k) => ({ id: randomUUID(), name: `Cooperativa ${String(k).padStart(2, '0')}${k === 7 ? ' 100%_rural' : ''}`, comments: 31 - k }));
  const ORGS = `query($roundId: ID!, $filter: CommentFilter, $first: Int!, $search: String) {
    roundComments(roundId: $roundId, filter: $filter, first: 1) { facets { organizations(first: $first, search: $search) { value label count } } } }`;
  const orgs = (variables: { filter?: Record<string, unknown>; first?: number; search?: string }) =>
    facilitator.data(ORGS, { roundId, first: 20, ...variables }).then((d) => d.roundComments.facets.organizations as Facet[]);
  const entry = (k: number, count = organizations[k].comments) => ({ value: organizations[k].id, label: organizations[k].name, count });

  beforeAll(async () => {
    const fw = await createFramework(api.db.orm, { slug: 'facets-organizations', areas: 1, perArea: 1 });
    roundId = (await openRound(facilitator, fw)).id;
    const em = api.db.orm.em.fork();
    const author = await em.findOneOrFail(User, { email: demo.stakeholder });
    const target = fw.areas[0].indicators[0];
    const t0 = Date.now() - 1_000_000;
    let n = 0;
    for (const [k, o] of organizations.entries()) {
      for (let i = 0; i < o.comments; i++) {
        const comment = em.create(Comment, {
          round: em.getReference(ConsultationRound, roundId), threadId: '', targetKind: CommentTargetKind.INDICATOR_VERSION,
          indicatorVersion: em.getReference(IndicatorVersion, target.versionId), indicator: em.getReference(Indicator, target.id), section: em.getReference(Section, fw.areas[0].subsectionId),
          type: i < k % 3 ? CommentType.EDITORIAL : CommentType.TECHNICAL, body: `Comentario ${n}`, bodyHtml: `<p>Comentario ${n}</p>`,
          authorId: author.id, authorName: `Persona ${n}`, authorOrganizationId: o.id, authorOrganizationName: o.name, authorCountry: 'PE', createdAt: new Date(t0 + n++ * 1000),
        });
        comment.threadId = comment.id;
      }
    }
    await em.flush();
  }, 60_000);

  it('gives the 20 that commented most unless asked for another number, the most first', async () => {
    expect(await orgs({})).toEqual(organizations.slice(0, 20).map((_, k) => entry(k)));
    expect(await orgs({ first: 3 })).toEqual([entry(0), entry(1), entry(2)]);
    expect(await orgs({ first: 0 })).toEqual([]);
  });

  it('counts within the other criteria', async () => {
    // Editorial comments: k % 3 of organization k, so 2 each for k = 2, 5, 8, …
    expect(await orgs({ filter: { types: ['EDITORIAL'] }, first: 2 })).toEqual([entry(2, 2), entry(5, 2)]);
  });

  it('keeps the organizations the filter names, beyond the top ones', async () => {
    const chosen = { organizationIds: [organizations[29].id, organizations[1].id] };
    expect(await orgs({ filter: chosen, first: 2 })).toEqual([entry(0), entry(1), entry(29)]);
  });

  it('searches by name in any case, taking % and _ as themselves', async () => {
    expect(await orgs({ search: 'cooperativa 2', first: 3 })).toEqual([entry(20), entry(21), entry(22)]);
    expect(await orgs({ search: '100%_' })).toEqual([entry(7)]);
    expect(await orgs({ search: '%' })).toEqual([entry(7)]);
    expect(await orgs({ search: 'nadie' })).toEqual([]);
  });

  it('refuses a number out of range, and is read only when asked, in one statement more', async () => {
    expect(await facilitator.error(ORGS, { roundId, first: 201 })).toMatchObject({ code: 'BAD_USER_INPUT', extensions: { fields: [{ field: 'first' }] } });
    expect(await facilitator.error(ORGS, { roundId, first: -1 })).toMatchObject({ code: 'BAD_USER_INPUT', extensions: { fields: [{ field: 'first' }] } });
    const without = `query($roundId: ID!) { roundComments(roundId: $roundId, first: 1) { facets { types { value count } } } }`;
    const plain = await countSql(() => facilitator.data(without, { roundId }));
    const asked = await countSql(() => orgs({}));
    expect(asked.count).toBe(plain.count + 1);
  });
});
