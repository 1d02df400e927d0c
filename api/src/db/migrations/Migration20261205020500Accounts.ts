import { Migration } from '@mikro-orm/migrations';

/**
 * Open registration (accounts/): a person's country and when their e-mail was confirmed (accounts made
 * by invitation count as confirmed: the link reached them); suspension by a facilitator; single-use,
 * expiring links to confirm an e-mail or reset a password (only their SHA-256 is stored); and the
 * requests for a new organization that a facilitator approves or refuses.
 */
export class Migration20261205020500Accounts extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "app_user"
      add column "country" varchar(2) null,
      add column "email_confirmed_at" timestamptz null,
      add column "suspended_at" timestamptz null,
      add column "suspended_by" uuid null references "app_user" ("id") on delete set null,
      add column "suspension_reason" text null`);
    this.addSql('update "app_user" set "email_confirmed_at" = "created_at"');

    this.addSql(`create table "account_token" (
      "token_hash" varchar(64) primary key,
      "user_id" uuid not null references "app_user" ("id") on delete cascade,
      "purpose" text not null constraint "account_token_purpose" check ("purpose" in ('CONFIRM_EMAIL', 'RESET_PASSWORD')),
      "created_at" timestamptz not null default now(),
      "expires_at" timestamptz not null,
      "used_at" timestamptz null
    )`);
    this.addSql('create index "account_token_user_id_index" on "account_token" ("user_id")');

    this.addSql(`create table "organization_request" (
      "id" uuid primary key,
      "name" varchar(200) not null,
      "country" varchar(2) not null,
      "kind" text not null,
      "requested_by_id" uuid not null references "app_user" ("id") on delete cascade,
      "status" text not null default 'PENDING' constraint "organization_request_status" check ("status" in ('PENDING', 'APPROVED', 'REFUSED')),
      "organization_id" uuid null references "organization" ("id") on delete set null,
      "decided_by_id" uuid null references "app_user" ("id") on delete set null,
      "decided_at" timestamptz null,
      "created_at" timestamptz not null default now()
    )`);
    this.addSql(`create index "organization_request_pending_index" on "organization_request" ("created_at") where "status" = 'PENDING'`);
  }
}
