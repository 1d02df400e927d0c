import { Migration } from '@mikro-orm/migrations';
import { countingFunction } from './Migration20261205150000CommentFacetCounts.js';

/** The two tables of maintained facet counts and what each counts by. */
const COUNTS = {
  comment_facet_count: ['round_id', 'type', 'disposition_status', 'author_organization_id', 'author_organization_name', 'author_country', 'section_id', 'withdrawn'],
  // Without the organization: at most types × statuses × countries × sections × 2 rows a round,
  // where the organization multiplies them by the thousands of organizations that comment.
  comment_facet_summary: ['round_id', 'type', 'disposition_status', 'author_country', 'section_id', 'withdrawn'],
};
const FULL = COUNTS.comment_facet_count;

/** A comment's value of a key column (`withdrawn` is whether it is). */
const ofComment = (column: string) => (column === 'withdrawn' ? 'withdrawn_at is not null' : column);

/** The upsert of one table's deltas, as a data-modifying CTE reading `delta` and `rounds`. */
function upsert(table: string, columns: readonly string[]) {
  const key = columns.join(', ');
  return `${table}_applied as (
      insert into ${table} (${key}, n)
      select ${key}, sum(n)::int from delta
      where round_id in (select id from rounds)
      group by ${key} having sum(n) <> 0
      order by ${key}
      on conflict (${key}) do update set n = ${table}.n + excluded.n
      returning n)`;
}

/**
 * The `applyDelta` of `countingFunction` for tables of maintained counts, each keyed by some of the
 * full table's columns (`comment_facet_count`, which comes first): the comments of one statement's
 * transition tables (`gained` counted +1, `lost` −1), applied to every table's counts of the rounds
 * that still exist, each round's row locked first; `lowest` gets the smallest count they left (see
 * Migration20261205150000CommentFacetCounts for why not a check).
 */
export function facetDeltas(counts: Record<string, readonly string[]>) {
  const tables = Object.entries(counts);
  return (gained: string | null, lost: string | null) => {
    const of = (t: string, n: number) => `select ${FULL.map(ofComment).join(', ')}, ${n} from ${t} where parent_id is null`;
    const sides = [gained && of(gained, 1), lost && of(lost, -1)].filter(Boolean);
    return `with changed (${FULL.join(', ')}, n) as (${sides.join(' union all ')}),
    delta as (select ${FULL.join(', ')}, sum(n)::int as n from changed group by ${FULL.join(', ')} having sum(n) <> 0),
    rounds as (select r.id from consultation_round r where r.id in (select round_id from delta) order by r.id for no key update),
    ${tables.map(([table, columns]) => upsert(table, columns)).join(',\n    ')}
  select least(${tables.map(([table]) => `(select min(n) from ${table}_applied)`).join(', ')}) into lowest`;
  };
}

/**
 * The comment list's facets other than the organization read a second maintained table without the
 * organization, a few hundred rows a round: at 2,000,000 comments from 8,000 organizations the
 * full table held 450,848 rows for one round, and every facet read scanned them all (278–325 ms).
 * The organization facet reads the full table on its own, as a top-N, narrowed by the other
 * criteria through its key's leading columns or, when it names organizations, through a new index.
 * Both tables move in the writing statement, from one trigger function.
 */
export class Migration20261206030001CommentFacetSummary extends Migration {
  override async up(): Promise<void> {
    const key = COUNTS.comment_facet_summary;
    this.addSql(`create table "comment_facet_summary" (
      "round_id" uuid not null references "consultation_round" ("id") on delete cascade,
      "type" text null, "disposition_status" text not null, "author_country" text null, "section_id" uuid null, "withdrawn" boolean not null,
      "n" int not null)`);
    this.addSql(`create unique index "comment_facet_summary_key" on "comment_facet_summary" (${key.map((k) => `"${k}"`).join(', ')}) nulls not distinct`);
    this.addSql(`insert into comment_facet_summary (${key.join(', ')}, n) select ${key.join(', ')}, sum(n) from comment_facet_count group by ${key.join(', ')} having sum(n) <> 0`);
    this.addSql('create index "comment_facet_count_organization" on "comment_facet_count" ("round_id", "author_organization_id")');
    this.addSql(countingFunction(facetDeltas(COUNTS)));
  }
}
