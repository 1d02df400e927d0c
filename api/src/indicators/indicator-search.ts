import type { EntityManager } from '@mikro-orm/postgresql';
import { sql } from 'kysely';
import { preparedRows, reads } from '../db/reads.js';
import { Field, Float, ObjectType } from 'type-graphql';
import { badInput } from '../errors.js';
import type { Locale } from '../users/user.entity.js';
import { IndicatorField, INDICATOR_FIELDS } from './indicator-field.js';
import { IndicatorVersion, SEARCH_CONFIG, Indicator } from './indicator.entity.js';

@ObjectType({ description: 'A piece of a snippet; `match` pieces are the words the search found.' })
export class SnippetPart {
  @Field(() => String, { description: 'Plain text, to be escaped when shown.' }) text!: string;
  @Field(() => Boolean, { description: 'Whether these are words the search found (to highlight).' }) match!: boolean;
}

@ObjectType({ description: 'An indicator whose current text (or code) matches a search.' })
export class IndicatorSearchHit {
  @Field(() => Indicator, { description: 'The indicator found.' }) indicator!: Indicator;
  @Field(() => IndicatorVersion, { description: 'The current version the text was found in.' }) version!: IndicatorVersion;
  @Field(() => Float, { description: 'Higher is a better match; a matching code ranks first.' }) rank!: number;
  @Field(() => [SnippetPart], { description: 'Passages around the matches, as plain text parts (never HTML).' }) snippet!: SnippetPart[];
}

// Private-use characters cannot occur in our texts, so they mark matches safely; the client gets parts, not HTML.
const START = '\uE000';
const STOP = '\uE001';
const HEADLINE_OPTIONS = `StartSel=${START}, StopSel=${STOP}, MaxFragments=2, MinWords=6, MaxWords=18, FragmentDelimiter=" … "`;

function snippetParts(headline: string): SnippetPart[] {
  const parts: SnippetPart[] = [];
  for (const [i, piece] of headline.split(new RegExp(`[${START}${STOP}]`)).entries()) {
    if (piece) parts.push({ text: piece, match: i % 2 === 1 });
  }
  return parts;
}

/**
 * Full-text search over the current version of every indicator, in one language's configuration
 * (accent-free, stemmed), plus codes by substring. Ranked by ts_rank, titles weighing most. Each
 * way of matching uses its own index (the language's GIN index on the stored vectors,
 * `indicator_version_search`, and the codes' trigram index), their hits joined as a union; ranks
 * read the stored vectors, and only the page's hits get a headline.
 */
export async function searchIndicators(em: EntityManager, query: string, language: Locale, frameworkSlug?: string | null, limit = 20) {
  const q = query.trim();
  if (q.length < 2) throw badInput('query', 'query needs at least 2 characters');
  const config = sql.lit(SEARCH_CONFIG[language]);
  const tsquery = sql<string>`websearch_to_tsquery(${config}::regconfig, ${q})`;
  const codePattern = `%${q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const db = reads(em);
  const hits = db
    .selectFrom('indicator_version_search as s')
    .select('s.indicator_version_id as id')
    // A literal, so that the planner picks the language's partial index.
    .where('s.language', '=', sql.lit(language))
    .where(({ ref }) => sql<boolean>`${ref('s.vector')} @@ ${tsquery}`)
    .union(
      db
        .selectFrom('indicator as i')
        .select('i.current_version_id as id')
        .where('i.current_version_id', 'is not', null)
        .where(({ ref }) => sql<boolean>`lower(${ref('i.code')}) like ${codePattern}`)
        .$narrowType<{ id: string }>(),
    );
  const page = db
    .selectFrom(hits.as('h'))
    .innerJoin('indicator as i', 'i.current_version_id', 'h.id')
    .innerJoin('indicator_version as v', 'v.id', 'i.current_version_id')
    .innerJoin('framework as f', 'f.id', 'i.framework_id')
    .innerJoin('indicator_version_search as s', (join) => join.onRef('s.indicator_version_id', '=', 'v.id').on('s.language', '=', sql.lit(language)))
    .crossJoin(sql<{ query: string }>`(select ${tsquery} as query)`.as('tq'))
    .select(({ ref }) => {
      const document = sql.join(
        INDICATOR_FIELDS.map((f: IndicatorField) => sql`coalesce(${ref('v.texts', '->').key(f)}->>${sql.lit(language)}, '')`),
        sql` || ' · ' || `,
      );
      return [
        'i.id as indicator_id',
        'v.id as version_id',
        sql<number>`ts_rank(${ref('s.vector')}, ${ref('tq.query')}) + case when lower(${ref('i.code')}) = lower(${q}) then 10 when lower(${ref('i.code')}) like ${codePattern} then 1 else 0 end`.as('rank'),
        sql<string>`ts_headline(${config}::regconfig, ${document}, ${ref('tq.query')}, ${sql.lit(HEADLINE_OPTIONS)})`.as('headline'),
      ];
    })
    .$if(frameworkSlug != null, (qb) => qb.where('f.slug', '=', frameworkSlug!))
    .orderBy('rank', 'desc')
    .orderBy('i.code', 'asc')
    .limit(limit);
  // Prepared per language and shape: planning this statement cost more than running it.
  const rows = await preparedRows(em, `indicator-search-${language}${frameworkSlug != null ? '-in-framework' : ''}`, page);
  const indicators = new Map((await em.find(Indicator, { id: { $in: rows.map((r) => r.indicator_id) } })).map((i) => [i.id, i]));
  const versions = new Map((await em.find(IndicatorVersion, { id: { $in: rows.map((r) => r.version_id) } })).map((v) => [v.id, v]));
  return rows.map((r) => ({ indicator: indicators.get(r.indicator_id)!, version: versions.get(r.version_id)!, rank: Number(r.rank), snippet: snippetParts(r.headline) }));
}
