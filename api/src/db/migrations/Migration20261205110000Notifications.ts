import { Migration } from '@mikro-orm/migrations';

/**
 * Notifications (notifications/): one row per person and thing they are told about, unique on
 * (person, key) so a reaction delivered twice tells once; the person's choice per kind (no row: the
 * kind's default); and the secret that signs one-click unsubscribe links, made once per instance.
 */
export class Migration20261205110000Notifications extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "notification" (
      "id" uuid primary key,
      "user_id" uuid not null references "app_user" ("id") on delete cascade,
      "kind" text not null,
      "key" text not null,
      "subject" jsonb not null,
      "subject_language" text not null,
      "link" text not null,
      "delivery" text not null constraint "notification_delivery" check ("delivery" in ('IMMEDIATE', 'DIGEST', 'NEVER')),
      "created_at" timestamptz not null default now(),
      "read_at" timestamptz null,
      "digested_at" timestamptz null,
      constraint "notification_user_key_unique" unique ("user_id", "key")
    )`);
    this.addSql('create index "notification_user_created_index" on "notification" ("user_id", "created_at" desc)');
    this.addSql(`create index "notification_unread_index" on "notification" ("user_id") where "read_at" is null`);
    this.addSql(`create index "notification_digest_pending_index" on "notification" ("created_at") where "delivery" = 'DIGEST' and "digested_at" is null`);
    this.addSql(`create table "notification_preference" (
      "user_id" uuid not null references "app_user" ("id") on delete cascade,
      "kind" text not null,
      "delivery" text not null constraint "notification_preference_delivery" check ("delivery" in ('IMMEDIATE', 'DIGEST', 'NEVER')),
      primary key ("user_id", "kind")
    )`);
    this.addSql(`insert into "instance_secret" ("name", "value") values ('notification_unsubscribe', gen_random_uuid()::text || gen_random_uuid()::text)`);
  }
}
