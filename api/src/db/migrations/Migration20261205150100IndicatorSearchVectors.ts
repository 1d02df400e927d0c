import { Migration } from '@mikro-orm/migrations';

const LANGUAGES = [
  ['es', 'consulta_es'],
  ['en', 'consulta_en'],
  ['pt', 'consulta_pt'],
  ['fr', 'consulta_fr'],
];

/** A version's search vector in one language, the version named `v` (as the Frameworks migration's expression indexes had it): the title weighs most. */
function vector(v: string, language: string, config: string) {
  const field = (f: string) => `coalesce(${v}.texts->'${f}'->>'${language}', '')`;
  const body = ['STATEMENT', 'RATIONALE', 'MEASUREMENT', 'VERIFICATION', 'DATA_SOURCE', 'LEVELS'].map(field).join(` || ' ' || `);
  return `setweight(to_tsvector('${config}'::regconfig, ${field('TITLE')}), 'A') || setweight(to_tsvector('${config}'::regconfig, ${body}), 'B')`;
}

/** The version named `v`'s row per language. */
const vectors = (v: string) => `select ${v}.id, l.language, case l.language ${LANGUAGES.map(([language, config]) => `when '${language}' then ${vector(v, language, config)}`).join(' ')} end
  from (values ${LANGUAGES.map(([language]) => `('${language}')`).join(', ')}) l (language)`;

/**
 * Indicator search kept its vectors as expressions: matching could use the expression index only
 * when nothing else was OR-ed in, and the code match was, so every search computed the vector of
 * every current version twice (match and rank), tens of milliseconds per request. Versions are
 * immutable, so each one's vector per language is computed once, when it is inserted, into
 * `indicator_version_search`, with a GIN index per language; a search unions the index's hits
 * with the codes' trigram index and ranks from the stored vectors.
 */
export class Migration20261205150100IndicatorSearchVectors extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "indicator_version_search" (
      "indicator_version_id" uuid not null references "indicator_version" ("id") on delete cascade,
      "language" text not null, "vector" tsvector not null,
      primary key ("indicator_version_id", "language"))`);
    this.addSql(`insert into indicator_version_search (indicator_version_id, language, vector) ${vectors('v')} cross join indicator_version v`);
    for (const [language] of LANGUAGES) {
      this.addSql(`create index "indicator_version_search_${language}_vector_index" on "indicator_version_search" using gin ("vector") where "language" = '${language}'`);
      this.addSql(`drop index if exists "indicator_version_search_${language}_index"`);
    }
    this.addSql(`create function indicator_version_search() returns trigger language plpgsql as $$
begin
  insert into indicator_version_search (indicator_version_id, language, vector) ${vectors('new')};
  return null;
end $$`);
    this.addSql('create trigger indicator_version_search after insert on "indicator_version" for each row execute function indicator_version_search()');
  }
}
