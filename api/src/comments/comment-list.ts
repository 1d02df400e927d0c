import type { EntityManager } from '@mikro-orm/postgresql';
import { Field, ObjectType } from 'type-graphql';
import { sql } from 'kysely';
import { badInput } from '../errors.js';
import { Comment } from './comment.entity.js';
import { commentRecord, type CommentRecord, type CommentRow } from './comment-record.js';
import type { CommentFilter } from './comment.inputs.js';
import type { DispositionRecord } from '../dispositions/disposition.entity.js';
import { dispositionRecord, type DispositionRow } from '../dispositions/disposition.loaders.js';
import { countInt, reads, type Reads } from '../db/reads.js';
import { CommentFacets, commentFacets } from './comment-facets.js';
import { commentsMatching, matchingCount, type Criterion } from './filter-criteria.js';

@ObjectType({ description: 'Where a page of a list ends, to ask for the next one.' })
export class PageInfo {
  @Field(() => Boolean, { description: 'Whether more items follow this page.' }) hasNextPage!: boolean;
  @Field(() => String, { nullable: true, description: 'Pass as `after` to get the next page; null on an empty page.' }) endCursor!: string | null;
}

@ObjectType({ description: 'One comment in a page, with its place in the list.' })
export class CommentEdge {
  @Field(() => String, { description: 'Opaque; pass as `after` to continue after this comment.' }) cursor!: string;
  @Field(() => Comment, { description: 'The top-level comment.' }) node!: CommentRecord;
}

/** A page of a round's top-level comments; the count and facets are computed only when asked for. */
@ObjectType({ description: 'A page of a round’s top-level comments, oldest first.' })
export class CommentConnection {
  @Field(() => [CommentEdge], { description: 'The comments of this page, in order.' }) edges!: CommentEdge[];
  @Field(() => PageInfo, { description: 'How to ask for the next page.' }) pageInfo!: PageInfo;
  roundId!: string;
  filter!: CommentFilter;
  /** The top-level comments' dispositions (null for none), read with the page. */
  dispositions!: Map<string, DispositionRecord | null>;
  /** Each top-level comment's replies, oldest first, read with the page when the query shows them. */
  threads?: Map<string, CommentRecord[]>;
  /** Read with the page when the query asked for it without facets. */
  total?: number;
  /** What the query asks of the page beyond its comments: the facets' statement counts the total too. */
  asks: { facets: boolean; totalCount: boolean } = { facets: false, totalCount: false };
  #facets?: Promise<CommentFacets>;
  #total?: Promise<number>;

  /** The facets and the total, counted once per page, in one statement. */
  facetCounts(em: EntityManager): Promise<CommentFacets> {
    return (this.#facets ??= commentFacets(em, this.roundId, this.filter));
  }

  /**
   * All comments matching the filter, counted once per page: read with the page when it could be,
   * else from the facets' statement when the query asks for facets, else counted on their own.
   */
  matchingTotal(em: EntityManager): Promise<number> {
    return (this.#total ??=
      this.total !== undefined
        ? Promise.resolve(this.total)
        : this.asks.facets
          ? this.facetCounts(em).then((f) => f.total)
          : countComments(em, this.roundId, this.filter));
  }

  /** `matchingTotal()` when the query has it counted anyway (it asks for `totalCount` or `facets`); else undefined, not a statement of its own. */
  countedTotal(em: EntityManager): Promise<number> | undefined {
    return this.total !== undefined || this.asks.facets || this.asks.totalCount ? this.matchingTotal(em) : undefined;
  }
}

export const MAX_PAGE = 200;

function encodeCursor(c: CommentRecord) {
  return Buffer.from(`${c.createdAt.toISOString()}|${c.id}`).toString('base64url');
}

function decodeCursor(cursor: string): [string, string] {
  const [at, id] = Buffer.from(cursor, 'base64url').toString().split('|');
  const date = new Date(at);
  if (!id || Number.isNaN(date.getTime())) throw badInput('after', 'Not a cursor from this list');
  return [date.toISOString(), id];
}

/**
 * One page in the order comments arrived, with each comment's disposition and, when asked, the
 * count of all that match (`withTotal`) and each comment's replies (`withThreads`): one SQL
 * statement whatever the page size.
 */
export async function commentPage(
  em: EntityManager,
  roundId: string,
  filter: CommentFilter,
  first: number,
  after?: string | null,
  { asks = { facets: false, totalCount: false }, withThreads = false }: { asks?: CommentConnection['asks']; withThreads?: boolean } = {},
): Promise<CommentConnection> {
  // The facets' statement counts the total too (see `matchingTotal`); without them, the page's does.
  const withTotal = asks.totalCount && !asks.facets;
  if (first < 1 || first > MAX_PAGE) throw badInput('first', `Ask for 1 to ${MAX_PAGE} comments`);
  const db = reads(em);
  const matching = commentsMatching(db, roundId, filter);
  const page = db
    .selectFrom('comment as c')
    .leftJoin('disposition as d', 'd.comment_id', 'c.id')
    .selectAll('c')
    .select((eb) => eb.fn<DispositionRow | null>('to_jsonb', [eb.table('d')]).as('disposition'))
    // An uncorrelated subquery runs once, before the page is read.
    .$if(withTotal, (q) => q.select(() => totalOf(db, roundId, filter, matching).as('total')))
    .where(matching)
    .$if(!!after, (q) => q.where(({ eb, refTuple, tuple }) => eb(refTuple('c.created_at', 'c.id'), '>', tuple(...decodeCursor(after!)))))
    .orderBy('c.created_at').orderBy('c.id')
    .limit(first + 1);
  type PageRow = Awaited<ReturnType<typeof page.execute>>[number];
  // Replies are read around the page, so that only its rows, never every match, look them up.
  const rows: Array<PageRow & { thread?: CommentRow[] }> = withThreads
    ? await db
        .selectFrom(page.as('p'))
        .selectAll('p')
        .select((eb) =>
          eb
            .selectFrom('comment as r')
            .select(sql<CommentRow[]>`coalesce(jsonb_agg(to_jsonb(r) order by r.created_at, r.id), '[]')`.as('thread'))
            .whereRef('r.thread_id', '=', 'p.id')
            .where('r.parent_id', 'is not', null)
            .as('thread'),
        )
        .orderBy('p.created_at').orderBy('p.id')
        .execute()
    : await page.execute();
  const shown = rows.slice(0, first);
  const nodes = shown.map(commentRecord);
  // An instance, not a literal: type-graphql hands each field resolver a copy of anything else.
  return Object.assign(new CommentConnection(), {
    edges: nodes.map((node) => ({ cursor: encodeCursor(node), node })),
    pageInfo: { hasNextPage: rows.length > first, endCursor: nodes.length ? encodeCursor(nodes[nodes.length - 1]) : null },
    roundId,
    filter,
    dispositions: new Map(shown.map((r) => [r.id, r.disposition && dispositionRecord(r.disposition)])),
    threads: withThreads ? new Map(shown.map((r) => [r.id, (r.thread ?? []).map(commentRecord)])) : undefined,
    // With no row on the page the subquery never ran: nothing matched, unless a cursor skipped them all.
    total: withTotal && (rows.length > 0 || !after) ? (rows[0]?.total ?? 0) : undefined,
    asks,
  });
}

/**
 * The one indicator a filter asks for, when it asks for nothing else (the indicator page): its
 * comments are then counted by the round's counters rather than one by one.
 */
function indicatorOnly(filter: CommentFilter): string | null {
  const { indicatorIds, ...rest } = filter;
  const none = Object.values(rest).every((v) => v == null || (Array.isArray(v) && !v.length));
  return indicatorIds?.length === 1 && none ? indicatorIds[0] : null;
}

/**
 * How many comments match, as a scalar subquery. For one indicator alone: its pinned version's
 * counter (the standing comments, kept by `adjustCounters`) plus its withdrawn ones, which a partial
 * index counts; not its tens of thousands of comments per page read.
 */
function totalOf(db: Reads, roundId: string, filter: CommentFilter, matching: Criterion) {
  const indicatorId = indicatorOnly(filter);
  if (!indicatorId) return db.selectFrom('comment as c').select(countInt).where(matching);
  const withdrawn = db
    .selectFrom('comment as w')
    .select(countInt)
    .where('w.round_id', '=', roundId)
    .where('w.indicator_id', '=', indicatorId)
    .where('w.parent_id', 'is', null)
    .where('w.withdrawn_at', 'is not', null);
  return db
    .selectFrom('round_version as rv')
    .select(sql<number>`(coalesce(sum(rv.comment_count), 0) + (${withdrawn}))::int`.as('n'))
    .where('rv.round_id', '=', roundId)
    .where('rv.indicator_id', '=', indicatorId);
}

export async function countComments(em: EntityManager, roundId: string, filter: CommentFilter): Promise<number> {
  return (await matchingCount(reads(em), roundId, filter).executeTakeFirstOrThrow()).n;
}
