import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Comment, CommentTargetKind, CommentType } from '../../../api/src/comments/comment.entity.js';
import { CommentRevision } from '../../../api/src/comments/comment-revision.entity.js';
import { Disposition, DispositionStatus } from '../../../api/src/dispositions/disposition.entity.js';
import { Section } from '../../../api/src/frameworks/section.entity.js';
import { IndicatorVersion, Indicator } from '../../../api/src/indicators/indicator.entity.js';
import { OrganizationKind } from '../../../api/src/organizations/organization.entity.js';
import { ConsultationRound } from '../../../api/src/rounds/round.entity.js';
import { User } from '../../../api/src/users/user.entity.js';
import { demo, startTestApi, type TestApi } from '../../support/api.js';
import type { GraphQLClient } from '../../support/client.js';
import { countSql } from '../../support/sql-counter.js';
import { ADD_COMMENT, createFramework, openRound, type FrameworkFixture } from '../rounds/fixtures.js';

let api: TestApi;
let facilitator: GraphQLClient;
let stakeholder: GraphQLClient;
beforeAll(async () => {
  api = await startTestApi();
  [facilitator, stakeholder] = await Promise.all([api.as(demo.facilitator), api.as(demo.stakeholder)]);
});
afterAll(() => api?.stop());

const PAGE = `query($roundId: ID!, $filter: CommentFilter, $first: Int!, $after: String) {
  roundComments(roundId: $roundId, filter: $filter, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    facets { types { value count } dispositions { value count } organizations { value label count } countries { value count } sections { value label count } }
    edges { cursor node {
      id type body bodyHtml proposedChange withdrawnAt editedAt mine
      anchor { field exact start end }
      author { name organizationName organizationKind country }
      indicator { id code } section { id code }
      disposition { status response decidedByName }
      revisions { number body }
      replies { id body official author { name } replies { id body } }
    } }
  } }`;

const COUNTRIES = ['PE', 'EC', 'BO', 'NI', 'HN'];
const TYPES = [CommentType.GENERAL, CommentType.TECHNICAL, CommentType.EDITORIAL];

/** Writes `n` comments over the fixture's indicators straight to the database, with replies, edits and dispositions, and sets the counters. */
async function fillRound(roundId: string, fw: FrameworkFixture, n: number) {
  const em = api.db.orm.em.fork();
  const author = await em.findOneOrFail(User, { email: demo.stakeholder });
  const round = em.getReference(ConsultationRound, roundId);
  const indicators = fw.areas.flatMap((a) => a.indicators.map((i) => ({ ...i, sectionId: a.subsectionId })));
  const t0 = Date.now() - n * 1000;
  for (let k = 0; k < n; k++) {
    const target = indicators[k % indicators.length];
    const at = new Date(t0 + k * 1000);
    const comment = em.create(Comment, {
      round, threadId: '', targetKind: CommentTargetKind.INDICATOR_VERSION,
      indicatorVersion: em.getReference(IndicatorVersion, target.versionId), indicator: em.getReference(Indicator, target.id), section: em.getReference(Section, target.sectionId),
      type: TYPES[k % 3], body: `Comentario ${k}`, bodyHtml: `<p>Comentario ${k}</p>`,
      authorId: author.id, authorName: `Persona ${k % 40}`, authorOrganizationId: null, authorOrganizationName: `Institución ${k % 7}`, authorOrganizationKind: OrganizationKind.MFI, authorCountry: COUNTRIES[k % 5],
      createdAt: at, editedAt: k % 4 === 0 ? at : null,
    });
    comment.threadId = comment.id;
    if (k % 4 === 0) em.create(CommentRevision, { comment, number: 1, body: 'antes', bodyHtml: '<p>antes</p>', writtenAt: at, replacedAt: at });
    if (k % 2 === 0) {
      const reply = em.create(Comment, { round, parentId: comment.id, threadId: comment.id, targetKind: comment.targetKind, indicatorVersion: comment.indicatorVersion, indicator: comment.indicator, section: comment.section, body: `Respuesta ${k}`, bodyHtml: `<p>Respuesta ${k}</p>`, authorId: author.id, authorName: 'Quien responde', createdAt: new Date(at.getTime() + 1) });
      em.create(Comment, { round, parentId: reply.id, threadId: comment.id, targetKind: comment.targetKind, body: `Réplica ${k}`, bodyHtml: `<p>Réplica ${k}</p>`, authorId: author.id, authorName: 'Otra persona', createdAt: new Date(at.getTime() + 2) });
    }
    if (k % 3 === 0) em.create(Disposition, { comment, round, status: DispositionStatus.NOTED, response: 'Gracias', decidedById: author.id, decidedByName: 'Karla' });
  }
  await em.flush();
  await em.execute(`update consultation_round set comment_count = ?, undisposed_count = ? where id = ?`, [n, n - Math.ceil(n / 3), roundId]);
}

describe('an indicator’s comment total', () => {
  it('is its version’s counter plus its withdrawn comments, and agrees with a recount through additions, replies, withdrawals and other indicators’ comments', async () => {
    const fw = await createFramework(api.db.orm, { slug: 'indicator-total', areas: 1, perArea: 2 });
    const round = await openRound(facilitator, fw);
    const [one, other] = fw.areas[0].indicators;
    const add = (indicator: typeof one, body: string) =>
      stakeholder.data(ADD_COMMENT, { input: { roundId: round.id, targetKind: 'INDICATOR_VERSION', targetId: indicator.versionId, type: 'GENERAL', body } }).then((d) => d.addComment.id as string);
    const ids = [];
    for (let k = 0; k < 5; k++) ids.push(await add(one, `Sobre el indicador, ${k}`));
    await add(other, 'Sobre otro indicador');
    await stakeholder.data(`mutation($input: ReplyInput!) { replyToComment(input: $input) { id } }`, { input: { parentId: ids[0], body: 'Una respuesta no cuenta' } });
    await stakeholder.data(`mutation($id: ID!) { withdrawComment(id: $id) { id } }`, { id: ids[1] });
    await stakeholder.data(`mutation($id: ID!) { withdrawComment(id: $id) { id } }`, { id: ids[2] });
    const TOTAL = `query($r: ID!, $filter: CommentFilter) { roundComments(roundId: $r, filter: $filter, first: 2) { totalCount edges { node { id } } } }`;
    const recount = async (withdrawn: boolean | null) =>
      (await api.db.orm.em.fork().execute<{ n: number }[]>(
        `select count(*)::int as n from comment where round_id = ? and indicator_id = ? and parent_id is null and (?::boolean is null or (withdrawn_at is not null) = ?::boolean)`,
        [round.id, one.id, withdrawn, withdrawn],
      ))[0].n;
    const { result, count } = await countSql(() => facilitator.data(TOTAL, { r: round.id, filter: { indicatorIds: [one.id] } }));
    expect(result.roundComments.totalCount).toBe(5);
    expect(result.roundComments.totalCount).toBe(await recount(null));
    // Session, round, and the page with its total: the counter is read in the page's statement.
    expect(count).toBe(3);
    // With another criterion the comments are counted, and agree.
    expect((await facilitator.data(TOTAL, { r: round.id, filter: { indicatorIds: [one.id], withdrawn: true } })).roundComments.totalCount).toBe(await recount(true));
    expect((await facilitator.data(TOTAL, { r: round.id, filter: { indicatorIds: [one.id], withdrawn: false } })).roundComments.totalCount).toBe(3);
    expect((await facilitator.data(TOTAL, { r: round.id, filter: { indicatorIds: [other.id] } })).roundComments.totalCount).toBe(1);
    // Read, never recounted: a counter moved by hand shows on the page at once.
    await api.db.orm.em.fork().execute('update round_version set comment_count = comment_count + 100 where round_id = ? and indicator_id = ?', [round.id, one.id]);
    expect((await facilitator.data(TOTAL, { r: round.id, filter: { indicatorIds: [one.id] } })).roundComments.totalCount).toBe(105);
  });
});

describe('the comment list of a round', () => {
  let fw: FrameworkFixture;
  let small: { id: string };
  let large: { id: string };
  beforeAll(async () => {
    fw = await createFramework(api.db.orm, { slug: 'list', areas: 10, perArea: 10 });
    small = await openRound(facilitator, fw);
    large = await openRound(facilitator, fw);
    await fillRound(small.id, fw, 10);
    await fillRound(large.id, fw, 2000);
  }, 120_000);

  it('loads any page with the same number of SQL statements for 10 or 2,000 comments, whatever the page size', async () => {
    const counts: Record<string, number> = {};
    for (const [name, roundId, first] of [['10 comments, page 10', small.id, 10], ['2000 comments, page 10', large.id, 10], ['2000 comments, page 50', large.id, 50], ['2000 comments, page 200', large.id, 200]] as const) {
      const { result, count } = await countSql(() => facilitator.data(PAGE, { roundId, first }));
      expect(result.roundComments.edges).toHaveLength(first);
      counts[name] = count;
    }
    // A later page (keyset cursor) costs the same too.
    const first = await facilitator.data(PAGE, { roundId: large.id, first: 50 });
    const { result: next, count: nextCount } = await countSql(() => facilitator.data(PAGE, { roundId: large.id, first: 50, after: first.roundComments.pageInfo.endCursor }));
    counts['2000 comments, second page of 50'] = nextCount;
    expect(next.roundComments.edges[0].node.body).toBe('Comentario 50');
    console.log('SQL statements per comment-list request:', counts);
    expect(new Set(Object.values(counts)).size).toBe(1);
    expect(counts['10 comments, page 10']).toBeLessThanOrEqual(12);

    const node = first.roundComments.edges[0].node;
    expect(node).toMatchObject({ body: 'Comentario 0', type: 'GENERAL', author: { name: 'Persona 0', country: 'PE' }, indicator: { code: 'A0-01' }, section: { code: 'A0.1' }, disposition: { status: 'NOTED' }, revisions: [{ number: 1, body: 'antes' }] });
    expect(node.replies).toEqual([{ id: expect.any(String), body: 'Respuesta 0', official: false, author: { name: 'Quien responde' }, replies: [{ id: expect.any(String), body: 'Réplica 0' }] }]);
  });

  it('pages through every comment exactly once with cursors', async () => {
    const seen = new Set<string>();
    let after: string | null = null;
    for (;;) {
      const { roundComments }: any = await facilitator.data(`query($r: ID!, $after: String) { roundComments(roundId: $r, first: 3, after: $after) { pageInfo { hasNextPage endCursor } edges { node { id } } } }`, { r: small.id, after });
      for (const e of roundComments.edges) seen.add(e.node.id);
      if (!roundComments.pageInfo.hasNextPage) break;
      after = roundComments.pageInfo.endCursor;
    }
    expect(seen.size).toBe(10);
  });

  it('counts the total in the page statement when facets are not asked for, on the last page and past it', async () => {
    const WITHOUT_FACETS = `query($r: ID!, $filter: CommentFilter, $first: Int!, $after: String) {
      roundComments(roundId: $r, filter: $filter, first: $first, after: $after) {
        ...Total pageInfo { hasNextPage endCursor } edges { node { id body disposition { status response } } }
      } }
      fragment Total on CommentConnection { totalCount }`;
    const filter = { types: ['TECHNICAL'], countries: ['pe'] };
    const { result: page, count } = await countSql(() => facilitator.data(WITHOUT_FACETS, { r: large.id, filter, first: 100 }));
    expect(page.roundComments.totalCount).toBe(133);
    // Session, round, and the page with its total and dispositions: no count or disposition statement of their own.
    expect(count).toBe(3);
    // Comment k has a disposition when k is a multiple of 3 (fillRound).
    for (const { node } of page.roundComments.edges) {
      const k = Number(node.body.replace('Comentario ', ''));
      expect(node.disposition).toEqual(k % 3 === 0 ? { status: 'NOTED', response: 'Gracias' } : null);
    }
    const last = await facilitator.data(WITHOUT_FACETS, { r: large.id, filter, first: 100, after: page.roundComments.pageInfo.endCursor });
    expect(last.roundComments).toMatchObject({ totalCount: 133, pageInfo: { hasNextPage: false } });
    expect(last.roundComments.edges).toHaveLength(33);
    const past = await facilitator.data(WITHOUT_FACETS, { r: large.id, filter, first: 100, after: last.roundComments.pageInfo.endCursor });
    expect(past.roundComments).toMatchObject({ totalCount: 133, edges: [] });
    const nothing = await facilitator.data(WITHOUT_FACETS, { r: large.id, filter: { withdrawn: true }, first: 10 });
    expect(nothing.roundComments).toMatchObject({ totalCount: 0, edges: [] });
  });

  it('filters by area (with its sub-sections), indicator, type, disposition incl. NONE, country and author, with facets', async () => {
    const q = (filter: Record<string, unknown>) => facilitator.data(PAGE, { roundId: large.id, first: 5, filter }).then((d) => d.roundComments);
    const all = await q({});
    expect(all.totalCount).toBe(2000);
    expect(all.facets.types).toEqual(expect.arrayContaining([{ value: 'GENERAL', count: 667 }, { value: 'TECHNICAL', count: 667 }, { value: 'EDITORIAL', count: 666 }]));
    expect(all.facets.dispositions).toEqual(expect.arrayContaining([{ value: 'NOTED', count: 667 }, { value: 'NONE', count: 1333 }]));
    expect(all.facets.countries).toHaveLength(5);
    expect(all.facets.sections).toHaveLength(10);
    expect(all.facets.sections[0].count).toBe(200);

    expect((await q({ sectionIds: [fw.areas[2].id] })).totalCount).toBe(200);
    expect((await q({ indicatorIds: [fw.areas[0].indicators[0].id] })).totalCount).toBe(20);
    expect((await q({ types: ['TECHNICAL'], countries: ['pe'] })).totalCount).toBe(133);
    // Asked with facets, the total is their sum; asked alone, it is counted: both agree.
    const countOnly = `query($r: ID!, $filter: CommentFilter) { roundComments(roundId: $r, filter: $filter, first: 1) { totalCount } }`;
    expect((await facilitator.data(countOnly, { r: large.id, filter: { types: ['TECHNICAL'], countries: ['pe'] } })).roundComments.totalCount).toBe(133);
    const none = await q({ dispositions: ['NONE'] });
    expect(none.totalCount).toBe(1333);
    // Each facet counts within the other criteria, not its own: NOTED is still offered with its count.
    expect(none.facets.dispositions).toEqual(expect.arrayContaining([{ value: 'NOTED', count: 667 }, { value: 'NONE', count: 1333 }]));
    expect(none.edges.every((e: any) => e.node.disposition === null)).toBe(true);
    expect((await q({ withdrawn: true })).totalCount).toBe(0);
    const someoneElse = await api.db.orm.em.fork().findOneOrFail(User, { email: demo.member });
    expect((await q({ authorIds: [someoneElse.id] })).totalCount).toBe(0);
  });

  it('keeps per-indicator counters with each write, never recounting', async () => {
    const round = await openRound(facilitator, fw);
    const v = fw.areas[0].indicators[1];
    for (let i = 0; i < 3; i++) await stakeholder.data(ADD_COMMENT, { input: { roundId: round.id, targetKind: 'INDICATOR_VERSION', targetId: v.versionId, type: 'GENERAL', body: `c${i}` } });
    const { round: r } = await stakeholder.data(`query($id: ID!) { round(id: $id) { commentCount undisposedCount indicator(indicatorId: "${v.id}") { commentCount undisposedCount } myProgress { commentedCount } } }`, { id: round.id });
    expect(r).toEqual({ commentCount: 3, undisposedCount: 3, indicator: { commentCount: 3, undisposedCount: 3 }, myProgress: { commentedCount: 1 } });
    const { myRoundProgress } = await stakeholder.data(`query($id: ID!) { myRoundProgress(roundId: $id) { indicatorCount commentedIndicatorIds } }`, { id: round.id });
    expect(myRoundProgress).toEqual({ indicatorCount: 100, commentedIndicatorIds: [v.id] });
    const { count } = await countSql(() => stakeholder.data(`query($id: ID!) { round(id: $id) { commentCount indicators { commentCount undisposedCount indicator { code } } } }`, { id: large.id }));
    expect(count).toBeLessThanOrEqual(5);
  });
});
