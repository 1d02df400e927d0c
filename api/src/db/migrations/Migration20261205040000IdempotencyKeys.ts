import { Migration } from '@mikro-orm/migrations';

/**
 * Keys a client makes for a write it may send more than once (a phone's outbox retrying after a lost
 * response): the first request with a key writes and records what it wrote; the same key again reads
 * that back. Keyed by person, so one person's key never touches another's.
 */
export class Migration20261205040000IdempotencyKeys extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "idempotency_key" (
      "user_id" uuid not null references "app_user" ("id") on delete cascade,
      "key" uuid not null,
      "operation" varchar(60) not null,
      "payload_hash" varchar(64) not null,
      "result_id" uuid null,
      "created_at" timestamptz not null default now(),
      constraint "idempotency_key_pkey" primary key ("user_id", "key"))`);
  }
}
