import { expressionBuilder, sql, type Expression, type SqlBool } from 'kysely';
import { analysisCriteria } from '../analysis/comment-criteria.js';
import type { Reads } from '../db/reads.js';
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
export function facetSource(db: Reads, roundId: string, filter: CommentFilter, { byOrganization }: { byOrganization: boolean }) {
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

/** The facet criteria `filter` sets, but the one named `except`. */
export function facetConditions(db: Reads, filter: CommentFilter, except?: Facet): Criterion[] {
  const own = facetCriteria(db, filter);
  return FACETS.filter((f) => f !== except && own[f]).map((f) => own[f]!);
}

/** How many of a round's top-level comments match `filter`, as a scalar subquery (from the maintained counts when it allows). */
export function matchingCount(db: Reads, roundId: string, filter: CommentFilter) {
  return db
    .selectFrom(facetSource(db, roundId, filter, { byOrganization: false }).as('c'))
    .select(sql<number>`coalesce(sum(c.n), 0)::int`.as('n'))
    .where((eb) => eb.and(facetConditions(db, filter)));
}
