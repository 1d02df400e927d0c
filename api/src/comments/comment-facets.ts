import type { EntityManager } from '@mikro-orm/postgresql';
import { Field, Int, ObjectType } from 'type-graphql';
import { sql } from 'kysely';
import { badInput } from '../errors.js';
import type { CommentFilter } from './comment.inputs.js';
import { reads } from '../db/reads.js';
import { facetConditions, facetCriteria, facetSource, type Facet } from './filter-criteria.js';

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
        .selectFrom(facetSource(db, roundId, filter, SUMMED).as('c'))
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
    .selectFrom(facetSource(db, roundId, filter, ['organization']).as('c'))
    .select([
      'c.author_organization_id as value',
      sql<string | null>`max(c.author_organization_name)`.as('label'),
      sql<number>`sum(c.n)::int`.as('count'),
      sql<boolean>`bool_or(${isChosen})`.as('chosen'),
      sql<number>`row_number() over (order by sum(c.n) desc, max(c.author_organization_name), c.author_organization_id)`.as('rank'),
    ])
    .where((eb) => eb.and(facetConditions(db, filter, 'organization')))
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
