import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../../support/api.js';
import { addComment, analysisRound, inBatches, type AnalysisRound } from './fixtures.js';

/**
 * The comment list's facets read maintained counts (`comment_facet_count`, without the
 * organization `comment_facet_summary`, without country and section `comment_facet_organization`,
 * all moved by triggers on `comment`) when the filter asks
 * for facet values only. Every change a comment goes through must leave them equal to a recount of
 * the comments, and the facets they give equal to the facets counted from the comments themselves.
 */

let api: TestApi;
let round: AnalysisRound;
const ids: string[] = [];

const FACETS = `query($roundId: ID!, $filter: CommentFilter) { roundComments(roundId: $roundId, filter: $filter, first: 1) { totalCount
  facets { types { value count } dispositions { value count } organizations { value label count } countries { value count } sections { value label count } }
  themeFacets { value count } } }`;
const EDIT = `mutation($id: ID!, $input: EditCommentInput!) { editComment(id: $id, input: $input) { id type } }`;
const WITHDRAW = `mutation($id: ID!) { withdrawComment(id: $id) { id withdrawnAt } }`;
const DISPOSE = `mutation($input: DispositionInput!) { setDispositions(input: $input) { status } }`;
const REPLY = `mutation($input: ReplyInput!) { replyToComment(input: $input) { id } }`;
const KEY = 'round_id, type, disposition_status, author_organization_id, author_organization_name, author_country, section_id';
const SUMMARY_KEY = 'round_id, type, disposition_status, author_country, section_id';
const ORGANIZATION_KEY = 'round_id, type, disposition_status, author_organization_id, author_organization_name';

type Row = Record<string, unknown>;
const byKey = (rows: Row[]) => rows.map((r) => JSON.stringify(r)).sort();

/** Each table's maintained rows with comments, and the same counted from the comments. */
async function counts() {
  const em = api.db.orm.em.fork();
  const of = async (table: string, key: string) => {
    const kept = await em.execute<Row[]>(`select ${key}, withdrawn, n from ${table} where round_id = ? and n > 0`, [round.roundId]);
    const recount = await em.execute<Row[]>(
      `select ${key}, withdrawn_at is not null as withdrawn, count(*)::int as n from comment where round_id = ? and parent_id is null group by ${key}, withdrawn_at is not null`,
      [round.roundId],
    );
    return { kept: byKey(kept), recount: byKey(recount) };
  };
  return { full: await of('comment_facet_count', KEY), summary: await of('comment_facet_summary', SUMMARY_KEY), organization: await of('comment_facet_organization', ORGANIZATION_KEY) };
}

/**
 * The facets for `filter` from the maintained counts, and the same filter with a criterion every
 * comment meets (all are on indicators) that makes the list count the comments instead.
 */
async function facets(filter: Record<string, unknown> = {}) {
  const sort = (list: { value: string | null; count: number }[]) => [...list].sort((a, b) => String(a.value).localeCompare(String(b.value)));
  const read = async (f: Record<string, unknown>) => {
    const { roundComments } = await round.facilitator.data(FACETS, { roundId: round.roundId, filter: f });
    const { facets: fc, totalCount, themeFacets } = roundComments;
    return { totalCount, themeFacets, types: sort(fc.types), dispositions: sort(fc.dispositions), organizations: sort(fc.organizations), countries: sort(fc.countries), sections: sort(fc.sections) };
  };
  return { maintained: await read(filter), counted: await read({ ...filter, targetKinds: ['INDICATOR_VERSION'] }) };
}

async function expectExact(filters: Record<string, unknown>[] = [{}]) {
  const { full, summary, organization } = await counts();
  expect(full.kept).toEqual(full.recount);
  expect(summary.kept).toEqual(summary.recount);
  expect(summary.kept.length).toBeGreaterThan(0);
  expect(organization.kept).toEqual(organization.recount);
  expect(organization.kept.length).toBeGreaterThan(0);
  for (const filter of filters) {
    const { maintained, counted } = await facets(filter);
    expect(maintained).toEqual(counted);
  }
}

beforeAll(async () => {
  api = await startTestApi();
  round = await analysisRound(api, 'facet-counts-fw');
  const versions = round.fw.areas.flatMap((a) => a.indicators.map((i) => i.versionId));
  const types = ['GENERAL', 'TECHNICAL', 'EDITORIAL'];
  // 15 comments from five people of different organizations, over both areas and the three types.
  for (let i = 0; i < 15; i++) ids.push(await addComment(round.commenters[i % 5], round.roundId, versions[i % versions.length], `Comentario ${i} sobre la medición.`, types[i % 3]));
});

afterAll(() => api?.stop());

describe('maintained facet counts', () => {
  it('are the recount after comments are added, and replies count in none', async () => {
    await round.facilitator.data(REPLY, { input: { parentId: ids[0], body: 'Gracias, lo revisamos.', official: true } });
    await expectExact([{}, { types: ['TECHNICAL'] }, { types: ['TECHNICAL'], dispositions: ['NONE'] }]);
    const { maintained } = await facets();
    expect(maintained.totalCount).toBe(15);
    expect(maintained.types).toEqual([
      { value: 'EDITORIAL', count: 5 },
      { value: 'GENERAL', count: 5 },
      { value: 'TECHNICAL', count: 5 },
    ]);
    expect(maintained.themeFacets).toEqual([{ value: null, count: 15 }]);
  });

  it('follow an edit that moves a comment to another type, a withdrawal, and dispositions set and changed', async () => {
    // ids[0] is GENERAL, by commenter 0.
    expect((await round.commenters[0].data(EDIT, { id: ids[0], input: { body: 'Comentario 0, ahora técnico.', type: 'TECHNICAL' } })).editComment.type).toBe('TECHNICAL');
    await round.commenters[1].data(WITHDRAW, { id: ids[1] });
    await round.facilitator.data(DISPOSE, { input: { commentIds: [ids[2], ids[3], ids[4]], status: 'ACCEPTED', response: 'Se incorpora.' } });
    await round.facilitator.data(DISPOSE, { input: { commentIds: [ids[3]], status: 'REJECTED', response: 'No corresponde.' } });
    const { maintained } = await facets();
    expect(maintained.types).toEqual([
      { value: 'EDITORIAL', count: 5 },
      { value: 'GENERAL', count: 4 },
      { value: 'TECHNICAL', count: 6 },
    ]);
    expect(maintained.dispositions).toEqual([
      { value: 'ACCEPTED', count: 2 },
      { value: 'NONE', count: 12 },
      { value: 'REJECTED', count: 1 },
    ]);
    await expectExact([{}, { withdrawn: false }, { withdrawn: true }, { dispositions: ['ACCEPTED', 'REJECTED'] }, { types: ['TECHNICAL'], dispositions: ['NONE'], withdrawn: false }]);
    const standing = (await facets({ withdrawn: false })).maintained;
    expect(standing.totalCount).toBe(14);
  });

  it('stay exact when comments are added, disposed and withdrawn at the same time', async () => {
    const versions = round.fw.areas.flatMap((a) => a.indicators.map((i) => i.versionId));
    const writes = [
      ...Array.from({ length: 20 }, (_, i) => () => addComment(round.commenters[i % 5], round.roundId, versions[i % versions.length], `Concurrente ${i}.`, 'TECHNICAL')),
      () => round.facilitator.data(DISPOSE, { input: { commentIds: ids.slice(5, 12), status: 'NOTED', response: 'Tomado en cuenta.' } }),
      () => round.commenters[4].data(WITHDRAW, { id: ids[14] }),
      () => round.facilitator.data(DISPOSE, { input: { commentIds: [ids[2]], status: 'PARTIALLY_ACCEPTED', response: 'En parte.' } }),
    ];
    const outcomes = await inBatches(writes, 8, (write) => write().then(() => 'ok', (e: Error) => e.message));
    expect(outcomes.every((o) => o === 'ok')).toBe(true);
    // Naming an organization reads the counts with organizations for every facet.
    const { organizations, countries: countryFacet } = (await facets()).maintained;
    const organizationIds = [organizations.find((o) => o.value)!.value];
    // A country or section makes the organization facet read the counts that keep both.
    const countries = [countryFacet.find((c) => c.value)!.value];
    await expectExact([
      {}, { types: ['TECHNICAL'] }, { dispositions: ['NONE'] }, { types: ['TECHNICAL'], dispositions: ['NONE'], withdrawn: false },
      { organizationIds }, { organizationIds, types: ['TECHNICAL'] }, { countries, types: ['TECHNICAL'] }, { countries, organizationIds },
    ]);
    expect((await facets()).maintained.totalCount).toBe(35);
  });

  it("keep each comment's copy of its disposition's status when one statement changes, moves or deletes several", async () => {
    // Kept per statement from transition tables; the app only inserts and changes, so SQL moves and deletes here.
    const em = api.db.orm.em.fork();
    const statusOf = async (list: string[]) =>
      Object.fromEntries((await em.execute<{ id: string; disposition_status: string }[]>('select id, disposition_status from comment where id in (?)', [list])).map((r) => [r.id, r.disposition_status]));
    // ids[5] to ids[11] are NOTED and ids[13] undecided, from the tests before.
    await em.execute(`update disposition set status = 'REJECTED' where comment_id in (?)`, [ids.slice(5, 8)]);
    await em.execute('update disposition set comment_id = ? where comment_id = ?', [ids[13], ids[8]]);
    await em.execute('delete from disposition where comment_id in (?)', [[ids[9], ids[10]]]);
    expect(await statusOf([...ids.slice(5, 12), ids[13]])).toEqual({
      [ids[5]]: 'REJECTED', [ids[6]]: 'REJECTED', [ids[7]]: 'REJECTED',
      [ids[8]]: 'NONE', [ids[13]]: 'NOTED',
      [ids[9]]: 'NONE', [ids[10]]: 'NONE', [ids[11]]: 'NOTED',
    });
    await expectExact([{}, { dispositions: ['NONE'] }, { dispositions: ['REJECTED', 'NOTED'] }]);
  });

  it('refuse to go below zero', async () => {
    const em = api.db.orm.em.fork();
    await em.execute('update comment_facet_count set n = 0 where round_id = ?', [round.roundId]);
    await expect(em.execute('update comment set type = ? where id = ?', ['EDITORIAL', ids[0]])).rejects.toThrow(/comment_facet_count below zero/);
  });
});
