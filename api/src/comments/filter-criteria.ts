import { expressionBuilder, sql, type Expression, type SqlBool } from 'kysely';
import { analysisCriteria } from '../analysis/comment-criteria.js';
import type { Reads } from '../db/reads.js';
import type { DB as Tables } from '../db/tables.js';
import type { CommentFilter } from './comment.inputs.js';
import type { Listed } from './listed.js';

/*
 * What a comment filter selects, as conditions on the comments, and where its counts are read:
 * the comments themselves, or the counts maintained per round and facet values.
 */

/** A condition on a round's comments, read as `c`. */
export type Criterion = Expression<SqlBool>;

/** The criteria the facets count by, each on its own: a facet counts within every criterion but its own. */
const FACETS = ['type', 'disposition', 'organization', 'country', 'section'] as const;
export type Facet = (typeof FACETS)[number];

export function facetCriteria(db: Reads, filter: CommentFilter): Record<Facet, Criterion | null> {
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
  return expressionBuilder<Listed, 'c'>().and([...otherCriteria(roundId, filter), ...facetConditions(db, filter)]);
}

/**
 * Whether the maintained counts (`MAINTAINED`) answer the filter: it asks for facet values and
 * standing or withdrawn comments only, no indicator, target kind, author or analysis criterion.
 */
function countedAhead(filter: CommentFilter): boolean {
  const none = (values: readonly unknown[] | null | undefined) => !values?.length;
  return none(filter.indicatorIds) && none(filter.targetKinds) && none(filter.authorIds) && none(filter.themeIds) && none(filter.nearDuplicateGroupIds) && filter.onBehalf == null;
}

/**
 * The maintained counts (`comment_facet_count`, one row per round and combination of facet values,
 * kept by triggers on `comment`), and two narrower tables kept with it: without the organization
 * (a few hundred rows a round) and with the organization but no country or section (a row per
 * organization, type and status). Each with the facets it can read or filter by, smallest first.
 */
const MAINTAINED: readonly { table: keyof Tables & `comment_facet_${string}`; facets: readonly Facet[] }[] = [
  { table: 'comment_facet_summary', facets: ['type', 'disposition', 'country', 'section'] },
  { table: 'comment_facet_organization', facets: ['type', 'disposition', 'organization'] },
  { table: 'comment_facet_count', facets: FACETS },
];

/**
 * The rows the facets and counts read: a comment's facet columns with `n` = 1, or, when the filter
 * allows, maintained counts with their `n`, however many comments the round has, from the smallest
 * table that keeps both the facets read (`reading`) and those the filter sets; a column the table
 * does not keep reads null. Each is meant to be read as `c`, under the criteria of
 * `commentsMatching` but the round's and the analysis', which it applies itself.
 */
export function facetSource(db: Reads, roundId: string, filter: CommentFilter, reading: readonly Facet[]) {
  if (!countedAhead(filter)) {
    return db
      .selectFrom('comment as c')
      .select(['c.type', 'c.disposition_status', 'c.author_organization_id', 'c.author_organization_name', 'c.author_country', 'c.section_id', sql.lit(1).$castTo<number>().as('n')])
      .where((eb) => eb.and(otherCriteria(roundId, filter)));
  }
  const own = facetCriteria(db, filter);
  const needed = FACETS.filter((f) => own[f] || reading.includes(f));
  const { table, facets } = MAINTAINED.find((m) => needed.every((f) => m.facets.includes(f)))!;
  const kept = <T>(facet: Facet, column: string) => (facets.includes(facet) ? sql.ref<T>(`c.${column}`) : sql.lit(null).$castTo<T>());
  return db
    .selectFrom(`${table} as c` as 'comment_facet_count as c')
    .select([
      'c.type',
      'c.disposition_status',
      kept<string | null>('organization', 'author_organization_id').as('author_organization_id'),
      kept<string | null>('organization', 'author_organization_name').as('author_organization_name'),
      kept<string | null>('country', 'author_country').as('author_country'),
      kept<string | null>('section', 'section_id').as('section_id'),
      'c.n',
    ])
    .where('c.round_id', '=', roundId)
    .where('c.n', '>', 0)
    .$if(filter.withdrawn != null, (q) => q.where('c.withdrawn', '=', filter.withdrawn!));
}

/** The facet criteria `filter` sets, but the one named `except`. */
export function facetConditions(db: Reads, filter: CommentFilter, except?: Facet): Criterion[] {
  const own = facetCriteria(db, filter);
  return FACETS.filter((f) => f !== except && own[f]).map((f) => own[f]!);
}

/** How many of a round's top-level comments match `filter`, as a scalar subquery (from the maintained counts when it allows). */
export function matchingCount(db: Reads, roundId: string, filter: CommentFilter) {
  return db
    .selectFrom(facetSource(db, roundId, filter, []).as('c'))
    .select(sql<number>`coalesce(sum(c.n), 0)::int`.as('n'))
    .where((eb) => eb.and(facetConditions(db, filter)));
}
