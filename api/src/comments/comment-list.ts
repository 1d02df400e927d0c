import type { EntityManager } from '@mikro-orm/postgresql';
import { Field, Int, ObjectType } from 'type-graphql';
import { analysisCriteria } from '../analysis/comment-criteria.js';
import { badInput } from '../errors.js';
import { Comment } from './comment.entity.js';
import { commentRecord, type CommentRecord, type CommentRow } from './comment-record.js';
import type { CommentFilter } from './comment.inputs.js';
import type { DispositionRecord } from '../dispositions/disposition.entity.js';
import { dispositionRecord, type DispositionRow } from '../dispositions/disposition.loaders.js';

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
  @Field(() => [FacetCount], { description: 'Per author’s organization (ids, labelled with the name).' }) organizations!: FacetCount[];
  @Field(() => [FacetCount], { description: 'Per author’s country (ISO 3166-1 alpha-2).' }) countries!: FacetCount[];
  @Field(() => [FacetCount], { description: 'Per section commented on (an indicator’s comments count in its own section).' }) sections!: FacetCount[];
  /** The comments meeting every criterion, counted in the same statement. */
  total!: number;
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
  /** Set once `facets` is resolved, so `totalCount` can add them up instead of scanning again. */
  facets?: Promise<CommentFacets>;
}

export const MAX_PAGE = 200;

interface Sql {
  where: string;
  params: unknown[];
}

/** The criteria the facets count by, each on its own: a facet counts within every criterion but its own. */
const FACETS = ['type', 'disposition', 'organization', 'country', 'section'] as const;
type Facet = (typeof FACETS)[number];

function facetCriteria(filter: CommentFilter): Record<Facet, Sql | null> {
  const any = (column: string, values: readonly unknown[] | null | undefined): Sql | null => (values?.length ? { where: `${column} in (?)`, params: [values] } : null);
  return {
    type: any('c.type', filter.types),
    disposition: any('c.disposition_status', filter.dispositions),
    organization: any('c.author_organization_id', filter.organizationIds),
    country: any('c.author_country', filter.countries?.map((c) => c.toUpperCase())),
    section: filter.sectionIds?.length
      ? { where: 'c.section_id in (with recursive tree as (select id from section where id in (?) union all select s.id from section s join tree on s.parent_id = tree.id) select id from tree)', params: [filter.sectionIds] }
      : null,
  };
}

/** The criteria no facet counts by. */
function otherCriteria(roundId: string, filter: CommentFilter): Sql {
  const parts = ['c.round_id = ?', 'c.parent_id is null'];
  const params: unknown[] = [roundId];
  const any = (column: string, values: readonly unknown[] | null | undefined) => {
    if (!values?.length) return;
    parts.push(`${column} in (?)`);
    params.push(values);
  };
  any('c.indicator_id', filter.indicatorIds);
  any('c.target_kind', filter.targetKinds);
  any('c.author_id', filter.authorIds);
  if (filter.withdrawn != null) parts.push(filter.withdrawn ? 'c.withdrawn_at is not null' : 'c.withdrawn_at is null');
  const analysis = analysisCriteria(filter);
  parts.push(...analysis.parts);
  params.push(...analysis.params);
  return { where: parts.join(' and '), params };
}

/** The WHERE clause for a round's top-level comments matching `filter` (alias: c comment). */
export function whereFor(roundId: string, filter: CommentFilter): Sql {
  const others = otherCriteria(roundId, filter);
  const own = Object.values(facetCriteria(filter)).filter((c): c is Sql => c !== null);
  return { where: [others.where, ...own.map((c) => c.where)].join(' and '), params: [...others.params, ...own.flatMap((c) => c.params)] };
}

function encodeCursor(c: CommentRecord) {
  return Buffer.from(`${c.createdAt.toISOString()}|${c.id}`).toString('base64url');
}

function decodeCursor(cursor: string): [Date, string] {
  const [at, id] = Buffer.from(cursor, 'base64url').toString().split('|');
  const date = new Date(at);
  if (!id || Number.isNaN(date.getTime())) throw badInput('after', 'Not a cursor from this list');
  return [date, id];
}

/** A page's row: the comment, its disposition and replies as JSON (`to_jsonb`), the count when asked for. */
type PageRow = CommentRow & { disposition: DispositionRow | null; total?: number; thread?: CommentRow[] };

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
  { withTotal = false, withThreads = false } = {},
): Promise<CommentConnection> {
  if (first < 1 || first > MAX_PAGE) throw badInput('first', `Ask for 1 to ${MAX_PAGE} comments`);
  const { where, params } = whereFor(roundId, filter);
  // An uncorrelated subquery runs once, before the page is read.
  const total = withTotal ? `, (select count(*)::int from comment c where ${where}) as total` : '';

  let keyset = '';
  const pageParams = [...params];
  if (after) {
    keyset = ' and (c.created_at, c.id) > (?, ?)';
    pageParams.push(...decodeCursor(after));
  }
  const pageSql = `select c.*, to_jsonb(d) as disposition${total} from comment c left join disposition d on d.comment_id = c.id where ${where}${keyset} order by c.created_at, c.id limit ?`;
  // Replies are read around the page, so that only its rows, never every match, look them up.
  const sql = withThreads
    ? `select p.*, (select coalesce(jsonb_agg(to_jsonb(r) order by r.created_at, r.id), '[]') from comment r where r.thread_id = p.id and r.parent_id is not null) as thread
       from (${pageSql}) p order by p.created_at, p.id`
    : pageSql;
  const rows = await em.execute<PageRow[]>(sql, [...(withTotal ? params : []), ...pageParams, first + 1]);
  const page = rows.slice(0, first);
  const nodes = page.map(commentRecord);
  // An instance, not a literal: type-graphql hands each field resolver a copy of anything else.
  return Object.assign(new CommentConnection(), {
    edges: nodes.map((node) => ({ cursor: encodeCursor(node), node })),
    pageInfo: { hasNextPage: rows.length > first, endCursor: nodes.length ? encodeCursor(nodes[nodes.length - 1]) : null },
    roundId,
    filter,
    dispositions: new Map(page.map((r) => [r.id, r.disposition && dispositionRecord(r.disposition)])),
    threads: withThreads ? new Map(page.map((r) => [r.id, (r.thread ?? []).map(commentRecord)])) : undefined,
    // With no row on the page the subquery never ran: nothing matched, unless a cursor skipped them all.
    total: withTotal && (rows.length > 0 || !after) ? (rows[0]?.total ?? 0) : undefined,
  });
}

export async function countComments(em: EntityManager, roundId: string, filter: CommentFilter): Promise<number> {
  const { where, params } = whereFor(roundId, filter);
  const [row] = await em.execute<{ n: number }[]>(`select count(*)::int as n from comment c where ${where}`, params);
  return row.n;
}

interface FacetRow {
  g_type: number;
  g_disposition: number;
  g_organization: number;
  g_country: number;
  g_section: number;
  type: string | null;
  disposition: string | null;
  organization_id: string | null;
  organization_name: string | null;
  country: string | null;
  section_id: string | null;
  section_code: string | null;
  n: number;
}

/**
 * Counts per type, disposition, organization, country and section, and the total, in one statement.
 * Each facet counts the comments meeting every criterion but its own, so that ticking a value lists
 * as many comments as it showed: the comments meeting the other criteria carry a flag per facet
 * criterion, and each grouping set counts with the flags of the others.
 */
export async function commentFacets(em: EntityManager, roundId: string, filter: CommentFilter): Promise<CommentFacets> {
  const others = otherCriteria(roundId, filter);
  const own = facetCriteria(filter);
  // A comment without the value (no organization, no section) does not meet that criterion.
  const flags = FACETS.map((f) => `${own[f] ? `coalesce(${own[f].where}, false)` : 'true'} as in_${f}`).join(', ');
  const within = (except?: Facet) => FACETS.filter((f) => f !== except).map((f) => `in_${f}`).join(' and ') || 'true';
  const rows = await em.execute<FacetRow[]>(
    `with candidate as (
       select c.type, c.disposition_status, c.author_organization_id, c.author_organization_name, c.author_country, c.section_id, ${flags}
       from comment c where ${others.where}
     ), counted as (
       select grouping(c.type) as g_type, grouping(c.disposition_status) as g_disposition,
              grouping(c.author_organization_id) as g_organization, grouping(c.author_country) as g_country, grouping(c.section_id) as g_section,
              c.type, c.disposition_status as disposition, c.author_organization_id as organization_id,
              max(c.author_organization_name) as organization_name, c.author_country as country, c.section_id,
              (case when grouping(c.type) = 0 then count(*) filter (where ${within('type')})
                    when grouping(c.disposition_status) = 0 then count(*) filter (where ${within('disposition')})
                    when grouping(c.author_organization_id) = 0 then count(*) filter (where ${within('organization')})
                    when grouping(c.author_country) = 0 then count(*) filter (where ${within('country')})
                    when grouping(c.section_id) = 0 then count(*) filter (where ${within('section')})
                    else count(*) filter (where ${within()}) end)::int as n
       from candidate c
       -- A comment failing two criteria counts in no facet.
       where ${FACETS.map((f) => `in_${f}::int`).join(' + ')} >= ${FACETS.length - 1}
       group by grouping sets ((c.type), (c.disposition_status), (c.author_organization_id), (c.author_country), (c.section_id), ())
     )
     select counted.*, s.code as section_code from counted left join section s on s.id = counted.section_id
     order by n desc`,
    [...FACETS.flatMap((f) => own[f]?.params ?? []), ...others.params],
  );
  const facets = Object.assign(new CommentFacets(), { types: [], dispositions: [], organizations: [], countries: [], sections: [], total: 0 });
  for (const r of rows) {
    if (r.g_type && r.g_disposition && r.g_organization && r.g_country && r.g_section) facets.total = r.n;
    else if (!r.n) continue;
    else if (!r.g_type) facets.types.push({ value: r.type, label: null, count: r.n });
    else if (!r.g_disposition) facets.dispositions.push({ value: r.disposition, label: null, count: r.n });
    else if (!r.g_organization) facets.organizations.push({ value: r.organization_id, label: r.organization_name, count: r.n });
    else if (!r.g_country) facets.countries.push({ value: r.country, label: null, count: r.n });
    else facets.sections.push({ value: r.section_id, label: r.section_code, count: r.n });
  }
  return facets;
}
