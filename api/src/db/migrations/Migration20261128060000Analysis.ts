import { Migration } from '@mikro-orm/migrations';

export class Migration20261128060000Analysis extends Migration {
  override async up(): Promise<void> {
    this.addSql('create table "theme" ("id" uuid not null, "round_id" uuid not null, "label" jsonb not null, "position" int not null, "created_at" timestamptz not null, constraint "theme_pkey" primary key ("id"))');
    this.addSql('create index "theme_round_id_position_index" on "theme" ("round_id", "position")');
    this.addSql(`create table "on_behalf_source" ("id" uuid not null, "comment_id" uuid not null, "kind" text check ("kind" in ('WORKSHOP', 'MEETING', 'EMAIL', 'PAPER', 'OTHER')) not null, "event_name" varchar(300) null, "given_on" date null, "place" varchar(300) null, "person_name" varchar(200) null, "organization_name" varchar(200) null, "entered_by_id" uuid not null, "entered_by_name" varchar(200) not null, "entered_at" timestamptz not null, constraint "on_behalf_source_pkey" primary key ("id"))`);
    this.addSql('alter table "on_behalf_source" add constraint "on_behalf_source_comment_id_unique" unique ("comment_id")');
    this.addSql('create table "near_duplicate_group" ("id" uuid not null, "round_id" uuid not null, "representative_id" uuid not null, "confirmed_at" timestamptz null, "confirmed_by_id" uuid null, "created_at" timestamptz not null, constraint "near_duplicate_group_pkey" primary key ("id"))');
    this.addSql('create index "near_duplicate_group_round_id_created_at_index" on "near_duplicate_group" ("round_id", "created_at")');
    this.addSql(`create table "near_duplicate_member" ("id" uuid not null, "comment_id" uuid not null, "group_id" uuid not null, "state" text check ("state" in ('SUGGESTED', 'CONFIRMED', 'REMOVED')) not null, "similarity" double precision not null, "created_at" timestamptz not null, constraint "near_duplicate_member_pkey" primary key ("id"))`);
    this.addSql('alter table "near_duplicate_member" add constraint "near_duplicate_member_comment_id_unique" unique ("comment_id")');
    this.addSql('create index "near_duplicate_member_group_id_state_index" on "near_duplicate_member" ("group_id", "state")');
    this.addSql('create table "comment_theme" ("id" uuid not null, "comment_id" uuid not null, "theme_id" uuid not null, "tagged_by_id" uuid not null, "tagged_at" timestamptz not null, constraint "comment_theme_pkey" primary key ("id"))');
    this.addSql('create index "comment_theme_theme_id_index" on "comment_theme" ("theme_id")');
    this.addSql('alter table "comment_theme" add constraint "comment_theme_comment_id_theme_id_unique" unique ("comment_id", "theme_id")');
    this.addSql('alter table "theme" add constraint "theme_round_id_foreign" foreign key ("round_id") references "consultation_round" ("id") on update cascade');
    this.addSql('alter table "on_behalf_source" add constraint "on_behalf_source_comment_id_foreign" foreign key ("comment_id") references "comment" ("id") on update cascade on delete cascade');
    this.addSql('alter table "near_duplicate_group" add constraint "near_duplicate_group_round_id_foreign" foreign key ("round_id") references "consultation_round" ("id") on update cascade');
    this.addSql('alter table "near_duplicate_group" add constraint "near_duplicate_group_representative_id_foreign" foreign key ("representative_id") references "comment" ("id") on update cascade');
    this.addSql('alter table "near_duplicate_member" add constraint "near_duplicate_member_comment_id_foreign" foreign key ("comment_id") references "comment" ("id") on update cascade on delete cascade');
    this.addSql('alter table "near_duplicate_member" add constraint "near_duplicate_member_group_id_foreign" foreign key ("group_id") references "near_duplicate_group" ("id") on update cascade on delete cascade');
    this.addSql('alter table "comment_theme" add constraint "comment_theme_comment_id_foreign" foreign key ("comment_id") references "comment" ("id") on update cascade on delete cascade');
    this.addSql('alter table "comment_theme" add constraint "comment_theme_theme_id_foreign" foreign key ("theme_id") references "theme" ("id") on update cascade on delete cascade');
    // The text near-duplicates are compared on: case, accents and runs of whitespace do not count
    // (punctuation already does not: trigrams are taken over words). Immutable, so it can be indexed.
    this.addSql(`create or replace function comment_match_text(text) returns text language sql immutable parallel safe strict as $$ select btrim(regexp_replace(lower(public.immutable_unaccent($1)), '\\s+', ' ', 'g')) $$`);
    this.addSql('create index "comment_match_text_trgm_index" on "comment" using gin (comment_match_text("body") gin_trgm_ops) where "parent_id" is null');
  }
}
