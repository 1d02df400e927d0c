import { Migration } from '@mikro-orm/migrations';

export class Migration20261128000000Foundation extends Migration {
  override async up(): Promise<void> {
    this.addSql('create extension if not exists pg_trgm');
    this.addSql('create extension if not exists unaccent');
    // unaccent() is only STABLE; an IMMUTABLE wrapper lets text-search and trigram indexes use it.
    this.addSql(`create or replace function immutable_unaccent(text) returns text language sql immutable parallel safe strict as $$ select public.unaccent('public.unaccent'::regdictionary, $1) $$`);
    this.addSql("create table \"audit_entry\" (\"id\" bigserial primary key, \"at\" timestamptz not null default now(), \"actor_id\" uuid null, \"action\" varchar(80) not null, \"subject_type\" varchar(60) not null, \"subject_id\" varchar(64) not null, \"scope_id\" uuid null, \"data\" jsonb not null)");
    this.addSql("create index \"audit_entry_scope_id_at_index\" on \"audit_entry\" (\"scope_id\", \"at\")");
    this.addSql("create table \"organization\" (\"id\" uuid not null, \"name\" varchar(200) not null, \"acronym\" varchar(30) null, \"kind\" text check (\"kind\" in ('NETWORK', 'MFI', 'DONOR', 'RATING_AGENCY', 'REGULATOR', 'OTHER')) not null, \"country\" varchar(2) not null, \"created_at\" timestamptz not null, constraint \"organization_pkey\" primary key (\"id\"))");
    this.addSql("create table \"app_user\" (\"id\" uuid not null, \"name\" varchar(200) not null, \"email\" varchar(320) not null, \"password_hash\" varchar(200) null, \"organization_id\" uuid null, \"roles\" text[] not null, \"language\" text check (\"language\" in ('es', 'en', 'pt', 'fr')) not null default 'es', \"active\" boolean not null default true, \"created_at\" timestamptz not null, constraint \"app_user_pkey\" primary key (\"id\"))");
    this.addSql("alter table \"app_user\" add constraint \"app_user_email_unique\" unique (\"email\")");
    this.addSql("create table \"session\" (\"token_hash\" varchar(64) not null, \"user_id\" uuid not null, \"created_at\" timestamptz not null, \"expires_at\" timestamptz not null, \"revoked_at\" timestamptz null, constraint \"session_pkey\" primary key (\"token_hash\"))");
    this.addSql("create index \"session_user_id_index\" on \"session\" (\"user_id\")");
    this.addSql("create table \"invitation\" (\"id\" uuid not null, \"token_hash\" varchar(64) not null, \"email\" varchar(320) not null, \"name\" varchar(200) not null, \"organization_id\" uuid null, \"roles\" text[] not null, \"language\" text check (\"language\" in ('es', 'en', 'pt', 'fr')) not null, \"invited_by_id\" uuid not null, \"created_at\" timestamptz not null, \"expires_at\" timestamptz not null, \"accepted_at\" timestamptz null, constraint \"invitation_pkey\" primary key (\"id\"))");
    this.addSql("alter table \"invitation\" add constraint \"invitation_token_hash_unique\" unique (\"token_hash\")");
    this.addSql("alter table \"app_user\" add constraint \"app_user_organization_id_foreign\" foreign key (\"organization_id\") references \"organization\" (\"id\") on update cascade on delete set null");
    this.addSql("alter table \"session\" add constraint \"session_user_id_foreign\" foreign key (\"user_id\") references \"app_user\" (\"id\") on update cascade on delete cascade");
    this.addSql("alter table \"invitation\" add constraint \"invitation_organization_id_foreign\" foreign key (\"organization_id\") references \"organization\" (\"id\") on update cascade on delete set null");
    this.addSql("alter table \"invitation\" add constraint \"invitation_invited_by_id_foreign\" foreign key (\"invited_by_id\") references \"app_user\" (\"id\") on update cascade");
    // The audit log is append-only for everyone, the application included.
    this.addSql(`create function audit_entry_append_only() returns trigger language plpgsql as $$ begin raise exception 'audit_entry is append-only' using errcode = '42501'; end $$`);
    this.addSql('create trigger audit_entry_no_change before update or delete on audit_entry for each row execute function audit_entry_append_only()');
    this.addSql('create trigger audit_entry_no_truncate before truncate on audit_entry for each statement execute function audit_entry_append_only()');
  }
}
