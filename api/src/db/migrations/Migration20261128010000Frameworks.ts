import { Migration } from '@mikro-orm/migrations';

export class Migration20261128010000Frameworks extends Migration {
  override async up(): Promise<void> {
    // Accent-free text search per language: `genero` finds `género`, and ts_headline still shows
    // the accented original because the unaccent step lives in the configuration, not the text.
    for (const [config, stem] of [
      ['consulta_es', 'spanish'],
      ['consulta_en', 'english'],
      ['consulta_pt', 'portuguese'],
      ['consulta_fr', 'french'],
    ]) {
      this.addSql(`create text search configuration ${config} (copy = pg_catalog.${stem})`);
      this.addSql(`alter text search configuration ${config} alter mapping for hword, hword_part, word with public.unaccent, ${stem}_stem`);
    }
    this.addSql("create table \"framework\" (\"id\" uuid not null, \"slug\" varchar(80) not null, \"name\" jsonb not null, \"description\" jsonb not null, \"source_language\" text check (\"source_language\" in ('es', 'en', 'pt', 'fr')) not null default 'es', \"kind\" text check (\"kind\" in ('CERTIFICATION', 'PRACTICES')) not null, \"status\" text check (\"status\" in ('DRAFT', 'IN_CONSULTATION', 'FINAL')) not null default 'DRAFT', \"created_at\" timestamptz not null, constraint \"framework_pkey\" primary key (\"id\"))");
    this.addSql("alter table \"framework\" add constraint \"framework_slug_unique\" unique (\"slug\")");
    this.addSql("create table \"section\" (\"id\" uuid not null, \"framework_id\" uuid not null, \"parent_id\" uuid null, \"code\" varchar(20) not null, \"title\" jsonb not null, \"position\" int not null, constraint \"section_pkey\" primary key (\"id\"))");
    this.addSql("create index \"section_parent_id_index\" on \"section\" (\"parent_id\")");
    this.addSql("alter table \"section\" add constraint \"section_framework_id_code_unique\" unique (\"framework_id\", \"code\")");
    this.addSql("create table \"indicator\" (\"id\" uuid not null, \"framework_id\" uuid not null, \"section_id\" uuid not null, \"code\" varchar(30) not null, \"position\" int not null, \"status\" text check (\"status\" in ('DRAFT', 'ACTIVE', 'RETIRED')) not null default 'DRAFT', \"current_version_id\" uuid null, \"created_at\" timestamptz not null, constraint \"indicator_pkey\" primary key (\"id\"))");
    this.addSql("create index \"indicator_section_id_position_index\" on \"indicator\" (\"section_id\", \"position\")");
    this.addSql("alter table \"indicator\" add constraint \"indicator_framework_id_code_unique\" unique (\"framework_id\", \"code\")");
    this.addSql("create table \"indicator_version\" (\"id\" uuid not null, \"indicator_id\" uuid not null, \"number\" int not null, \"parent_id\" uuid null, \"texts\" jsonb not null, \"status\" text check (\"status\" in ('PUBLISHED', 'PROPOSED', 'REJECTED')) not null, \"author_id\" uuid not null, \"change_summary\" text null, \"created_at\" timestamptz not null, constraint \"indicator_version_pkey\" primary key (\"id\"))");
    this.addSql("alter table \"indicator_version\" add constraint \"indicator_version_indicator_id_number_unique\" unique (\"indicator_id\", \"number\")");
    this.addSql("create table \"indicator_draft\" (\"id\" uuid not null, \"indicator_id\" uuid not null, \"texts\" jsonb not null, \"base_version_id\" uuid null, \"updated_by_id\" uuid not null, \"updated_at\" timestamptz not null, \"revision\" int not null default 1, constraint \"indicator_draft_pkey\" primary key (\"id\"))");
    this.addSql("alter table \"indicator_draft\" add constraint \"indicator_draft_indicator_id_unique\" unique (\"indicator_id\")");
    this.addSql("alter table \"section\" add constraint \"section_framework_id_foreign\" foreign key (\"framework_id\") references \"framework\" (\"id\") on update cascade on delete cascade");
    this.addSql("alter table \"section\" add constraint \"section_parent_id_foreign\" foreign key (\"parent_id\") references \"section\" (\"id\") on update cascade on delete cascade");
    this.addSql("alter table \"indicator\" add constraint \"indicator_framework_id_foreign\" foreign key (\"framework_id\") references \"framework\" (\"id\") on update cascade on delete cascade");
    this.addSql("alter table \"indicator\" add constraint \"indicator_section_id_foreign\" foreign key (\"section_id\") references \"section\" (\"id\") on update cascade");
    this.addSql("alter table \"indicator\" add constraint \"indicator_current_version_id_foreign\" foreign key (\"current_version_id\") references \"indicator_version\" (\"id\") on update cascade on delete set null");
    this.addSql("alter table \"indicator_version\" add constraint \"indicator_version_indicator_id_foreign\" foreign key (\"indicator_id\") references \"indicator\" (\"id\") on update cascade on delete cascade");
    this.addSql("alter table \"indicator_version\" add constraint \"indicator_version_parent_id_foreign\" foreign key (\"parent_id\") references \"indicator_version\" (\"id\") on update cascade on delete set null");
    this.addSql("alter table \"indicator_version\" add constraint \"indicator_version_author_id_foreign\" foreign key (\"author_id\") references \"app_user\" (\"id\") on update cascade");
    this.addSql("alter table \"indicator_draft\" add constraint \"indicator_draft_indicator_id_foreign\" foreign key (\"indicator_id\") references \"indicator\" (\"id\") on update cascade on delete cascade");
    this.addSql("alter table \"indicator_draft\" add constraint \"indicator_draft_base_version_id_foreign\" foreign key (\"base_version_id\") references \"indicator_version\" (\"id\") on update cascade on delete set null");
    this.addSql("alter table \"indicator_draft\" add constraint \"indicator_draft_updated_by_id_foreign\" foreign key (\"updated_by_id\") references \"app_user\" (\"id\") on update cascade");
    // Versions never change, so an expression index over their texts stays valid; searches join
    // each indicator's current version. The expression is `searchVector()` in indicator-version.entity.ts.
    for (const [language, config] of [
      ['es', 'consulta_es'],
      ['en', 'consulta_en'],
      ['pt', 'consulta_pt'],
      ['fr', 'consulta_fr'],
    ]) {
      const field = (f: string) => `coalesce("indicator_version".texts->'${f}'->>'${language}', '')`;
      const body = ['STATEMENT', 'RATIONALE', 'MEASUREMENT', 'VERIFICATION', 'DATA_SOURCE', 'LEVELS'].map(field).join(` || ' ' || `);
      this.addSql(
        `create index "indicator_version_search_${language}_index" on "indicator_version" using gin ((setweight(to_tsvector('${config}'::regconfig, ${field('TITLE')}), 'A') || setweight(to_tsvector('${config}'::regconfig, ${body}), 'B')))`,
      );
    }
    // Codes are matched by substring (`gen-0`, `1a.`).
    this.addSql('create index "indicator_code_trgm_index" on "indicator" using gin (lower("code") gin_trgm_ops)');
    // A published text is what comments and votes point at: the database refuses to change it.
    this.addSql(`create function indicator_version_texts_immutable() returns trigger language plpgsql as $$ begin raise exception 'indicator_version.texts is immutable' using errcode = '42501'; end $$`);
    this.addSql('create trigger indicator_version_texts_no_change before update of texts on indicator_version for each row when (old.texts is distinct from new.texts) execute function indicator_version_texts_immutable()');
  }
}
