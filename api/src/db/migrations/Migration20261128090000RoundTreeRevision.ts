import { Migration } from '@mikro-orm/migrations';

/**
 * One number that moves whenever anything a round page shows of its indicators, other than the
 * counters, may have changed: frameworks, sections, indicators and the versions pinned in rounds.
 * The API keeps each round's indicator tree in memory under this number and reads only the
 * number and the counters per request. Triggers move it, so no writer can forget to; a reader
 * reads it in the same statement (the same snapshot) as the tree it caches.
 */
export class Migration20261128090000RoundTreeRevision extends Migration {
  override async up(): Promise<void> {
    this.addSql('create table "round_tree_revision" ("only" boolean primary key default true check ("only"), "revision" bigint not null)');
    this.addSql('insert into "round_tree_revision" ("revision") values (0)');
    this.addSql(
      `create function round_tree_revision_bump() returns trigger language plpgsql as $$ begin update round_tree_revision set revision = revision + 1; return null; end $$`,
    );
    for (const table of ['framework', 'section', 'indicator']) {
      this.addSql(`create trigger ${table}_round_tree_revision after insert or update or delete on "${table}" for each statement execute function round_tree_revision_bump()`);
      this.addSql(`create trigger ${table}_round_tree_revision_truncate after truncate on "${table}" for each statement execute function round_tree_revision_bump()`);
    }
    // Not on the counters: every comment moves them, and they are read per request anyway.
    this.addSql(
      'create trigger round_version_round_tree_revision after insert or delete or update of "round_id", "indicator_version_id", "indicator_id", "position" on "round_version" for each statement execute function round_tree_revision_bump()',
    );
    this.addSql('create trigger round_version_round_tree_revision_truncate after truncate on "round_version" for each statement execute function round_tree_revision_bump()');
  }
}
