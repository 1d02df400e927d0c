import { Migration } from '@mikro-orm/migrations';

/**
 * The number that moves when anything a round page shows of its indicators (other than the
 * counters) may have changed, kept per framework instead of once for the whole instance: an edit
 * in one framework no longer makes every round of every framework read its tree again, and
 * writers of different frameworks no longer queue on one row. Triggers move it, so no writer can
 * forget to; a reader reads it in the same statement as the tree it keeps.
 */
export class Migration20261204180000FrameworkTreeRevision extends Migration {
  override async up(): Promise<void> {
    for (const table of ['framework', 'section', 'indicator']) {
      this.addSql(`drop trigger ${table}_round_tree_revision on "${table}"`);
      this.addSql(`drop trigger ${table}_round_tree_revision_truncate on "${table}"`);
    }
    this.addSql('drop trigger round_version_round_tree_revision on "round_version"');
    this.addSql('drop trigger round_version_round_tree_revision_truncate on "round_version"');
    this.addSql('drop function round_tree_revision_bump()');
    this.addSql('drop table "round_tree_revision"');

    this.addSql(
      'create table "framework_tree_revision" ("framework_id" uuid primary key references "framework" ("id") on delete cascade, "revision" bigint not null default 0)',
    );
    this.addSql('insert into "framework_tree_revision" ("framework_id") select "id" from "framework"');

    this.addSql(`create function framework_tree_revision_of_framework() returns trigger language plpgsql as $$
      begin
        if tg_op = 'INSERT' then
          insert into framework_tree_revision (framework_id) values (new.id);
        else
          update framework_tree_revision set revision = revision + 1 where framework_id = new.id;
        end if;
        return null;
      end $$`);
    this.addSql('create trigger framework_tree_revision after insert or update on "framework" for each row execute function framework_tree_revision_of_framework()');

    // Sections and indicators are written one at a time, by people: a row trigger is cheap here.
    this.addSql(`create function framework_tree_revision_of_member() returns trigger language plpgsql as $$
      begin
        if tg_op = 'DELETE' then
          update framework_tree_revision set revision = revision + 1 where framework_id = old.framework_id;
        else
          update framework_tree_revision set revision = revision + 1 where framework_id = new.framework_id;
        end if;
        return null;
      end $$`);
    for (const table of ['section', 'indicator']) {
      this.addSql(`create trigger ${table}_framework_tree_revision after insert or update or delete on "${table}" for each row execute function framework_tree_revision_of_member()`);
    }

    // A round pins up to thousands of versions in one statement: one bump per statement, through
    // the rows it wrote. Not on the counters: every comment moves them, and they are read per request.
    this.addSql(`create function framework_tree_revision_of_pins() returns trigger language plpgsql as $$
      begin
        update framework_tree_revision set revision = revision + 1
        where framework_id in (select r.framework_id from consultation_round r where r.id in (select round_id from pinned));
        return null;
      end $$`);
    this.addSql('create trigger round_version_framework_tree_revision_insert after insert on "round_version" referencing new table as pinned for each statement execute function framework_tree_revision_of_pins()');
    this.addSql('create trigger round_version_framework_tree_revision_delete after delete on "round_version" referencing old table as pinned for each statement execute function framework_tree_revision_of_pins()');
    this.addSql(`create function framework_tree_revision_of_pin() returns trigger language plpgsql as $$
      begin
        update framework_tree_revision set revision = revision + 1
        where framework_id in (select r.framework_id from consultation_round r where r.id in (old.round_id, new.round_id));
        return null;
      end $$`);
    this.addSql(
      'create trigger round_version_framework_tree_revision_update after update of "round_id", "indicator_version_id", "indicator_id", "position" on "round_version" for each row execute function framework_tree_revision_of_pin()',
    );

    // A writer outside the API that empties a table moves every framework's number.
    this.addSql('create function framework_tree_revision_of_truncate() returns trigger language plpgsql as $$ begin update framework_tree_revision set revision = revision + 1; return null; end $$');
    for (const table of ['section', 'indicator', 'round_version']) {
      this.addSql(`create trigger ${table}_framework_tree_revision_truncate after truncate on "${table}" for each statement execute function framework_tree_revision_of_truncate()`);
    }
  }
}
