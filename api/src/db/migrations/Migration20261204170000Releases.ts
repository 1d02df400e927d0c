import { Migration } from '@mikro-orm/migrations';

/**
 * Releases: a numbered snapshot of a framework (framework_release) and its indicators, each at one
 * version (release_indicator). Both are immutable in the database, as the audit log is: a release
 * row changes only once, when it is marked final (finalized_at from null to a time, nothing else);
 * snapshot rows never change; neither is ever deleted or truncated.
 */
export class Migration20261204170000Releases extends Migration {
  override async up(): Promise<void> {
    this.addSql('create table "framework_release" ("id" uuid not null, "framework_id" uuid not null, "number" varchar(20) not null, "sequence" int not null, "notes" jsonb not null, "created_by_id" uuid not null, "created_at" timestamptz not null, "final_at" timestamptz null, "final_by_id" uuid null, constraint "framework_release_pkey" primary key ("id"))');
    this.addSql('alter table "framework_release" add constraint "framework_release_framework_id_number_unique" unique ("framework_id", "number")');
    this.addSql('alter table "framework_release" add constraint "framework_release_framework_id_sequence_unique" unique ("framework_id", "sequence")');
    this.addSql('alter table "framework_release" add constraint "framework_release_framework_id_foreign" foreign key ("framework_id") references "framework" ("id") on update cascade');
    this.addSql(`alter table "framework_release" add constraint "framework_release_number_format" check ("number" ~ '^(19|20|21)[0-9]{2}\\.[1-9][0-9]{0,2}$')`);
    this.addSql('alter table "framework_release" add constraint "framework_release_final_by" check (("final_at" is null) = ("final_by_id" is null))');

    this.addSql('create table "release_indicator" ("id" uuid not null, "release_id" uuid not null, "indicator_id" uuid not null, "version_id" uuid not null, "code" varchar(30) not null, "position" int not null, constraint "release_indicator_pkey" primary key ("id"))');
    this.addSql('create index "release_indicator_indicator_id_index" on "release_indicator" ("indicator_id")');
    this.addSql('alter table "release_indicator" add constraint "release_indicator_release_id_indicator_id_unique" unique ("release_id", "indicator_id")');
    this.addSql('alter table "release_indicator" add constraint "release_indicator_release_id_foreign" foreign key ("release_id") references "framework_release" ("id") on update cascade');
    this.addSql('alter table "release_indicator" add constraint "release_indicator_indicator_id_foreign" foreign key ("indicator_id") references "indicator" ("id") on update cascade');
    this.addSql('alter table "release_indicator" add constraint "release_indicator_version_id_foreign" foreign key ("version_id") references "indicator_version" ("id") on update cascade');

    this.addSql(`create function framework_release_immutable() returns trigger language plpgsql as $$
begin
  if tg_op = 'UPDATE' and old.final_at is null and new.final_at is not null
     and (new.id, new.framework_id, new.number, new.sequence, new.notes, new.created_by_id, new.created_at)
         is not distinct from (old.id, old.framework_id, old.number, old.sequence, old.notes, old.created_by_id, old.created_at) then
    return new;
  end if;
  raise exception 'a release is immutable: only marking it final changes it, once' using errcode = '42501';
end $$`);
    this.addSql('create trigger framework_release_no_change before update or delete on "framework_release" for each row execute function framework_release_immutable()');
    this.addSql('create trigger framework_release_no_truncate before truncate on "framework_release" for each statement execute function framework_release_immutable()');
    this.addSql(`create function release_indicator_immutable() returns trigger language plpgsql as $$ begin raise exception 'a release''s indicators are immutable' using errcode = '42501'; end $$`);
    this.addSql('create trigger release_indicator_no_change before update or delete on "release_indicator" for each row execute function release_indicator_immutable()');
    this.addSql('create trigger release_indicator_no_truncate before truncate on "release_indicator" for each statement execute function release_indicator_immutable()');
  }
}
