import { Migration } from '@mikro-orm/migrations';

/**
 * The comment's copy of its disposition's status is kept per statement, from the statement's
 * transition tables, where it was kept per row. A facilitator's bulk decision inserts up to 1,000
 * dispositions in one statement; per row, each set off its own update of `comment`, and each of
 * those the facet counts' statement trigger, three upserts a comment. Now one update of `comment`
 * follows the statement, and the facet counts move once for all of it.
 * (Transition tables allow neither a column list nor several events on one trigger: hence three
 * triggers, and the update one fires on every update, a response edited too, skipping the comments
 * whose status is already right.)
 */
export class Migration20261206050001DispositionStatusPerStatement extends Migration {
  override async up(): Promise<void> {
    this.addSql('drop trigger disposition_comment_status on "disposition"');
    this.addSql(`create or replace function comment_disposition_status() returns trigger language plpgsql as $$
begin
  if tg_op = 'INSERT' then
    update comment c set disposition_status = g.status from gained g where c.id = g.comment_id and c.disposition_status <> g.status;
  elsif tg_op = 'DELETE' then
    update comment c set disposition_status = 'NONE' from lost l where c.id = l.comment_id and c.disposition_status <> 'NONE';
  else
    -- A disposition moved to another comment leaves its former one undecided (one disposition a comment).
    update comment c set disposition_status = s.status
      from (select g.comment_id, g.status from gained g
            union all
            select l.comment_id, 'NONE' from lost l where not exists (select from gained g where g.comment_id = l.comment_id)) s
     where c.id = s.comment_id and c.disposition_status <> s.status;
  end if;
  return null;
end $$`);
    for (const [event, tables] of [
      ['insert', 'new table as gained'],
      ['update', 'old table as lost new table as gained'],
      ['delete', 'old table as lost'],
    ]) {
      this.addSql(`create trigger disposition_comment_status_${event} after ${event} on "disposition" referencing ${tables} for each statement execute function comment_disposition_status()`);
    }
  }
}
