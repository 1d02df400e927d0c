import { Migration } from '@mikro-orm/migrations';

/**
 * The live-event log that subscribers catch up from (api/src/live/live-event.log.ts).
 * `live_topic` holds each topic's last sequence: taking the next one locks the topic's row until
 * the writing transaction ends, so within a topic sequences are gap-free and in commit order.
 */
export class Migration20261128040000LiveEvents extends Migration {
  override async up(): Promise<void> {
    this.addSql('create table "live_topic" ("topic" varchar(120) primary key, "last_sequence" bigint not null)');
    this.addSql(
      'create table "live_event" ("topic" varchar(120) not null, "sequence" bigint not null, "kind" varchar(40) not null, "ids" jsonb not null, "at" timestamptz not null default now(), primary key ("topic", "sequence"))',
    );
    this.addSql('create index "live_event_at_index" on "live_event" ("at")');
    // Events are never changed once written; old ones may be deleted (catch-up needs only recent ones).
    this.addSql(`create function live_event_append_only() returns trigger language plpgsql as $$ begin raise exception 'live_event is append-only' using errcode = '42501'; end $$`);
    this.addSql('create trigger live_event_no_update before update on live_event for each row execute function live_event_append_only()');
  }
}
