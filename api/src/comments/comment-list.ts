import type { EntityManager } from '@mikro-orm/postgresql';
import { Field, Int, ObjectType } from 'type-graphql';
import { expressionBuilder, sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely';
import { analysisCriteria } from '../analysis/comment-criteria.js';
import { badInput } from '../errors.js';
import { Comment } from './comment.entity.js';
import { commentRecord, type CommentRecord, type CommentRow } from './comment-record.js';
import type { CommentFilter } from './comment.inputs.js';
import type { DispositionRecord } from '../dispositions/disposition.entity.js';
import { dispositionRecord, type DispositionRow } from '../dispositions/disposition.loaders.js';
import { countInt, reads, type Reads } from '../db/reads.js';
import type { Listed } from './listed.js';

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

@ObjectType({ description: 'One value of a filter and how many comments have it, within the other criteria given: ticking it lists that many.' })
export class FacetCount {
  @Field(() => String, { nullable: true, description: 'The value to filter by; null for comments without one (no organization, no section).' })
  value!: string | null;
  @Field(() => String, { nullable: true, description: 'A readable name when the value is an id: the organization’s name, the section’s code.' })
  label!: string | null;
  @Field(() => Int, { description: 'How many comments have this value.' }) count!: number;
}

@ObjectType({ description: 'Counts per filter value; each facet counts within every criterion of the filter but its own.' })
export class CommentFacets {
  @Field(() => [FacetCount], { description: 'Per comment type (CommentType names).' }) types!: FacetCount[];
  @Field(() => [FacetCount], { description: 'Values are DispositionFacet names, NONE included.' }) dispositions!: FacetCount[];
  @Field(() => [FacetCount], { description: 'Per author’s country (ISO 3166-1 alpha-2).' }) countries!: FacetCount[];
  @Field(() => [FacetCount], { description: 'Per section commented on (an indicator’s comments count in its own section).' }) sections!: FacetCount[];
  /** The comments meeting every criterion, counted in the same statement. */
  total!: number;
  /** What the organization facet, read on its own when asked, counts within. */
  roundId!: string;
  filter!: CommentFilter;
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

type Criterion = Expression<SqlBool>;

/** The criteria the facets count by, each on its own: a facet counts within every criterion but its own. */
const FACETS = ['type', 'disposition', 'organization', 'country', 'section'] as const;
type Facet = (typeof FACETS)[number];

function facetCriteria(db: Reads, filter: CommentFilter): Record<Facet, Criterion | null> {
  const eb = expressionBuilder<Listed, 'c'>();
  const any = <C extends 'c.type' | 'c.disposition_status' | 'c.author_organization_id' | 'c.author_country'>(column: C, values: readonly string[] | null | undefined) =>
    values?.length ? eb(column, 'in', values as never) : null;
  const sections = filter.sectionIds;
  return {
    type: any('c.type', filter.types),
    disposition: any('c.disposition_status', filter.dispositions),
    organization: any('c.author_organization_id', filter.organizationIds),
    country: any('c.author_country', filter.countries?.map((c) => c.toUpperCase())),
    section: sections?.length
      ? eb(
          'c.section_id',
          'in',
          db
            .withRecursive('tree', (qc) =>
              qc.selectFrom('section').select('id').where('id', 'in', sections).unionAll(qc.selectFrom('section as s').innerJoin('tree', 's.parent_id', 'tree.id').select('s.id')),
            )
            .selectFrom('tree')
            .select('id'),
        )
      : null,
  };
}

/** The criteria no facet counts by. */
function otherCriteria(roundId: string, filter: CommentFilter): Criterion[] {
  const eb = expressionBuilder<Listed, 'c'>();
  const parts: Criterion[] = [eb('c.round_id', '=', roundId), eb('c.parent_id', 'is', null)];
  const any = <C extends 'c.indicator_id' | 'c.target_kind' | 'c.author_id'>(column: C, values: readonly string[] | null | undefined) => {
    if (values?.length) parts.push(eb(column, 'in', values as never));
  };
  any('c.indicator_id', filter.indicatorIds);
  any('c.target_kind', filter.targetKinds);
  any('c.author_id', filter.authorIds);
  if (filter.withdrawn != null) parts.push(eb('c.withdrawn_at', filter.withdrawn ? 'is not' : 'is', null));
  parts.push(...analysisCriteria(eb, filter));
  return parts;
}

/** A round's top-level comments matching `filter`, as a condition on the alias `c` (comment). */
export function commentsMatching(db: Reads, roundId: string, filter: CommentFilter): Criterion {
  const own = Object.values(facetCriteria(db, filter)).filter((c): c is Criterion => c !== null);
  return expressionBuilder<Listed, 'c'>().and([...otherCriteria(roundId, filter), ...own]);
}

/**
 * Whether the maintained counts (`comment_facet_count`, one row per round and combination of facet
 * values, kept by triggers on `comment`) answer the filter: it asks for facet values and standing or
 * withdrawn comments only, no indicator, target kind, author or analysis criterion.
 */
function countedAhead(filter: CommentFilter): boolean {
  const none = (values: readonly unknown[] | null | undefined) => !values?.length;
  return none(filter.indicatorIds) && none(filter.targetKinds) && none(filter.authorIds) && none(filter.themeIds) && none(filter.nearDuplicateGroupIds) && filter.onBehalf == null;
}

/**
 * The rows the facets and counts read: a comment's facet columns with `n` = 1, or, when the filter
 * allows, maintained counts with their `n`, however many comments the round has. Of those,
 * `comment_facet_summary` (no organization, a few hundred rows a round) serves whatever does not
 * read or filter by organization (`byOrganization`); `comment_facet_count` (a row per organization
 * as well) the rest. Each is meant to be read as `c`, under the criteria of `commentsMatching`
 * but the round's and the analysis', which it applies itself.
 */
function facetSource(db: Reads, roundId: string, filter: CommentFilter, { byOrganization }: { byOrganization: boolean }) {
  if (!countedAhead(filter)) {
    return db
      .selectFrom('comment as c')
      .select(['c.type', 'c.disposition_status', 'c.author_organization_id', 'c.author_organization_name', 'c.author_country', 'c.section_id', sql.lit(1).$castTo<number>().as('n')])
      .where((eb) => eb.and(otherCriteria(roundId, filter)));
  }
  const counted = (table: 'comment_facet_count' | 'comment_facet_summary') =>
    db
      .selectFrom(`${table} as c` as 'comment_facet_summary as c')
      .where('c.round_id', '=', roundId)
      .where('c.n', '>', 0)
      .$if(filter.withdrawn != null, (q) => q.where('c.withdrawn', '=', filter.withdrawn!));
  if (byOrganization || filter.organizationIds?.length) {
    return counted('comment_facet_count').select(['c.type', 'c.disposition_status', sql.ref<string | null>('c.author_organization_id').as('author_organization_id'),
      sql.ref<string | null>('c.author_organization_name').as('author_organization_name'), 'c.author_country', 'c.section_id', 'c.n']);
  }
  return counted('comment_facet_summary').select(['c.type', 'c.disposition_status', sql.lit(null).$castTo<string | null>().as('author_organization_id'),
    sql.lit(null).$castTo<string | null>().as('author_organization_name'), 'c.author_country', 'c.section_id', 'c.n']);
}

/** The facet criteria of `filter`, without the one named. */
function criteriaBut(db: Reads, filter: CommentFilter, except: Facet): Criterion[] {
  const own = facetCriteria(db, filter);
  return FACETS.filter((f) => f !== except && own[f]).map((f) => own[f]!);
}

/** How many of a round's top-level comments match `filter`, as a scalar subquery (from the maintained counts when it allows). */
export function matchingCount(db: Reads, roundId: string, filter: CommentFilter) {
  const own = Object.values(facetCriteria(db, filter)).filter((c): c is Criterion => c !== null);
  return db
    .selectFrom(facetSource(db, roundId, filter, { byOrganization: false }).as('c'))
    .select(sql<number>`coalesce(sum(c.n), 0)::int`.as('n'))
    .where((eb) => eb.and(own));
}

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

/** The facets counted together in one statement; the organization's, thousands of values, is read on its own. */
const SUMMED = ['type', 'disposition', 'country', 'section'] as const;

/**
 * Counts per type, disposition, country and section, and the total, in one statement. Each facet
 * counts the comments meeting every criterion but its own, so that ticking a value lists as many
 * comments as it showed: the rows meeting the other criteria carry a flag per facet criterion, and
 * each grouping set adds up the `n` of the rows with the flags of the others. The rows are the
 * maintained counts when the filter allows (see `facetSource`), the comments otherwise.
 */
export async function commentFacets(em: EntityManager, roundId: string, filter: CommentFilter): Promise<CommentFacets> {
  const db = reads(em);
  const own = facetCriteria(db, filter);
  const within = (except?: Facet) => sql.join(SUMMED.filter((f) => f !== except).map((f) => sql.ref(`in_${f}`)), sql` and `);
  const count = (except?: Facet) => sql`coalesce(sum(${sql.ref('c.n')}) filter (where ${within(except)}), 0)`;
  const rows = await db
    .with('candidate', () =>
      db
        .selectFrom(facetSource(db, roundId, filter, { byOrganization: false }).as('c'))
        .select(['c.type', 'c.disposition_status', 'c.author_country', 'c.section_id', 'c.n'])
        // A comment without the value (no section) does not meet that criterion.
        .select(() => SUMMED.map((f) => (own[f] ? sql<boolean>`coalesce(${own[f]}, false)` : sql<boolean>`true`).as(`in_${f}`)))
        .$if(!!own.organization, (q) => q.where(own.organization!)),
    )
    .with('counted', (qc) =>
      qc
        .selectFrom('candidate as c')
        .select(() => {
          const grouping = (column: string) => sql<number>`grouping(${sql.ref(column)})`;
          return [
            grouping('c.type').as('g_type'),
            grouping('c.disposition_status').as('g_disposition'),
            grouping('c.author_country').as('g_country'),
            grouping('c.section_id').as('g_section'),
            sql.ref<string | null>('c.type').as('type'),
            sql.ref<string>('c.disposition_status').as('disposition'),
            sql.ref<string | null>('c.author_country').as('country'),
            sql.ref<string | null>('c.section_id').as('section_id'),
            sql<number>`(case when ${grouping('c.type')} = 0 then ${count('type')}
                  when ${grouping('c.disposition_status')} = 0 then ${count('disposition')}
                  when ${grouping('c.author_country')} = 0 then ${count('country')}
                  when ${grouping('c.section_id')} = 0 then ${count('section')}
                  else ${count()} end)::int`.as('n'),
          ];
        })
        // A comment failing two criteria counts in no facet.
        .where(sql<boolean>`${sql.join(SUMMED.map((f) => sql`${sql.ref(`in_${f}`)}::int`), sql` + `)} >= ${sql.lit(SUMMED.length - 1)}`)
        .groupBy(sql`grouping sets ((${sql.ref('c.type')}), (${sql.ref('c.disposition_status')}), (${sql.ref('c.author_country')}), (${sql.ref('c.section_id')}), ())`),
    )
    .selectFrom('counted')
    .leftJoin('section as s', 's.id', 'counted.section_id')
    .selectAll('counted')
    .select('s.code as section_code')
    .orderBy('n', 'desc')
    .execute();
  const facets = Object.assign(new CommentFacets(), { types: [], dispositions: [], countries: [], sections: [], total: 0, roundId, filter });
  for (const r of rows) {
    if (r.g_type && r.g_disposition && r.g_country && r.g_section) facets.total = r.n;
    else if (!r.n) continue;
    else if (!r.g_type) facets.types.push({ value: r.type, label: null, count: r.n });
    else if (!r.g_disposition) facets.dispositions.push({ value: r.disposition, label: null, count: r.n });
    else if (!r.g_country) facets.countries.push({ value: r.country, label: null, count: r.n });
    else facets.sections.push({ value: r.section_id, label: r.section_code, count: r.n });
  }
  return facets;
}

export const MAX_ORGANIZATIONS = 200;

/**
 * The organization facet: the `first` organizations with the most comments meeting every other
 * criterion, those whose name contains `search` when given, and always those the filter names, so
 * a ticked organization keeps its count. Read on its own: a round of a national consultation has
 * thousands of organizations, which a page of facets should not carry.
 */
export async function organizationFacet(em: EntityManager, roundId: string, filter: CommentFilter, { first, search }: { first: number; search?: string | null }): Promise<FacetCount[]> {
  if (first < 0 || first > MAX_ORGANIZATIONS) throw badInput('first', `Ask for 0 to ${MAX_ORGANIZATIONS} organizations`);
  const db = reads(em);
  const chosen = filter.organizationIds ?? [];
  const words = search?.trim();
  const isChosen = chosen.length ? sql<boolean>`coalesce(c.author_organization_id = any(${sql.val(chosen)}::uuid[]), false)` : sql<boolean>`false`;
  const ranked = db
    .selectFrom(facetSource(db, roundId, filter, { byOrganization: true }).as('c'))
    .select([
      'c.author_organization_id as value',
      sql<string | null>`max(c.author_organization_name)`.as('label'),
      sql<number>`sum(c.n)::int`.as('count'),
      sql<boolean>`bool_or(${isChosen})`.as('chosen'),
      sql<number>`row_number() over (order by sum(c.n) desc, max(c.author_organization_name), c.author_organization_id)`.as('rank'),
    ])
    .where((eb) => eb.and(criteriaBut(db, filter, 'organization')))
    .$if(!!words, (q) => q.where((eb) => eb.or([sql<boolean>`c.author_organization_name ilike ${`%${words!.replace(/[\\%_]/g, '\\$&')}%`}`, isChosen])))
    .groupBy('c.author_organization_id')
    .having(sql<number>`sum(c.n)`, '>', 0);
  return db
    .selectFrom(ranked.as('r'))
    .select(['r.value', 'r.label', 'r.count'])
    .where((eb) => eb.or([eb('r.rank', '<=', first), eb('r.chosen', '=', true)]))
    .orderBy('r.rank')
    .execute();
}
