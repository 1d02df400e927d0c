import { Migration } from '@mikro-orm/migrations';

/**
 * Every e-mail Consulta sends, one row per message (mail/mail.service.ts): written in the transaction
 * that decides to send it, with the job that sends it. `key` makes queueing idempotent (the same
 * notification decided twice is one message); `status` makes sending at most once: a job claims the
 * row ('sending') in its own committed statement before it talks to the mail server, so a retry after
 * a crash between the send and the mark never sends it again. Without SMTP outside production, the
 * rows are the development mailbox.
 */
export class Migration20261205020000MailMessages extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "mail_message" (
      "id" uuid primary key,
      "key" text not null unique,
      "kind" text not null,
      "user_id" uuid null references "app_user" ("id") on delete set null,
      "to_address" varchar(320) not null,
      "language" text not null,
      "subject" text not null,
      "text_body" text not null,
      "html_body" text not null,
      "headers" jsonb not null default '{}',
      "status" text not null default 'queued' constraint "mail_message_status" check ("status" in ('queued', 'sending', 'sent', 'unknown', 'failed')),
      "transport" text null,
      "attempts" int not null default 0,
      "last_error" text null,
      "created_at" timestamptz not null default now(),
      "claimed_at" timestamptz null,
      "sent_at" timestamptz null
    )`);
    this.addSql('create index "mail_message_created_at_index" on "mail_message" ("created_at" desc)');
    this.addSql('create index "mail_message_user_id_index" on "mail_message" ("user_id")');
  }
}
