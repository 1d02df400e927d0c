import { Migration } from '@mikro-orm/migrations';

/** What the facets count by: one row per round and combination of these, with how many top-level comments have it. */
const KEY = ['round_id', 'type', 'disposition_status', 'author_organization_id', 'author_organization_name', 'author_country', 'section_id', 'withdrawn'];
const OF_COMMENT = 'round_id, type, disposition_status, author_organization_id, author_organization_name, author_country, section_id, withdrawn_at is not null';

/**
 * The comments of one statement's transition tables (`gained` counted +1, `lost` −1), applied to
 * the counts of the rounds that still exist, each round's row locked first; `lowest` gets the
 * smallest count it left (a check constraint would refuse the negative delta an upsert proposes
 * before it finds the row to add it to, so the function checks instead).
 */
function applyDelta(gained: string | null, lost: string | null) {
  const sides = [gained && `select ${OF_COMMENT}, 1 from ${gained} where parent_id is null`, lost && `select ${OF_COMMENT}, -1 from ${lost} where parent_id is null`];
  const columns = KEY.join(', ');
  return `with changed (${columns}, n) as (${sides.filter(Boolean).join(' union all ')}),
    delta as (select ${columns}, sum(n)::int as n from changed group by ${columns} having sum(n) <> 0),
    rounds as (select r.id from consultation_round r where r.id in (select round_id from delta) order by r.id for no key update),
    applied as (
      insert into comment_facet_count (${columns}, n)
      select ${KEY.map((k) => `d.${k}`).join(', ')}, d.n from delta d
      where d.round_id in (select id from rounds)
      order by ${KEY.map((k) => `d.${k}`).join(', ')}
      on conflict (${columns}) do update set n = comment_facet_count.n + excluded.n
      returning n)
  select min(n) into lowest from applied`;
}

/**
 * The trigger function applying `apply`'s deltas for the statement's transition tables; refuses a
 * count left below zero. The facet summary's migration replaces it with one applying both tables'.
 */
export function countingFunction(apply: (gained: string | null, lost: string | null) => string) {
  return `create or replace function comment_facet_count() returns trigger language plpgsql as $$
declare lowest int;
begin
  if tg_op = 'INSERT' then
    ${apply('gained', null)};
  elsif tg_op = 'UPDATE' then
    ${apply('gained', 'lost')};
  else
    ${apply(null, 'lost')};
  end if;
  if lowest < 0 then
    raise exception 'comment_facet_count below zero' using errcode = 'check_violation';
  end if;
  return null;
end $$`;
}

/**
 * The comment list's facets (per type, disposition, organization, country and section, each within
 * the other criteria) read maintained counts instead of a round's comments: one row per round and
 * combination of facet values, bounded by the combinations that occur rather than by the comments.
 * Statement triggers on `comment` move them in the writing statement from its transition tables
 * (set-based: a bulk insert is one upsert), including the disposition status that the trigger on
 * `disposition` writes into the comment. Each locks its rounds' rows before the counts, in the order
 * every comment writer already takes them (`adjustCounters` locks the round first), so writers of
 * one round never deadlock on a count. Rounds deleted in the same statement are skipped (their
 * counts go with them).
 */
export class Migration20261205150000CommentFacetCounts extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "comment_facet_count" (
      "round_id" uuid not null references "consultation_round" ("id") on delete cascade,
      "type" text null, "disposition_status" text not null, "author_organization_id" uuid null, "author_organization_name" text null,
      "author_country" text null, "section_id" uuid null, "withdrawn" boolean not null,
      "n" int not null)`);
    this.addSql(`create unique index "comment_facet_count_key" on "comment_facet_count" (${KEY.map((k) => `"${k}"`).join(', ')}) nulls not distinct`);
    this.addSql(
      `insert into comment_facet_count (${KEY.join(', ')}, n) select ${OF_COMMENT}, count(*) from comment where parent_id is null group by ${KEY.map((_, i) => i + 1).join(', ')}`,
    );
    this.addSql(countingFunction(applyDelta));
    this.addSql('create trigger comment_facet_count_insert after insert on "comment" referencing new table as gained for each statement execute function comment_facet_count()');
    this.addSql(
      'create trigger comment_facet_count_update after update on "comment" referencing old table as lost new table as gained for each statement execute function comment_facet_count()',
    );
    this.addSql('create trigger comment_facet_count_delete after delete on "comment" referencing old table as lost for each statement execute function comment_facet_count()');
  }
}
