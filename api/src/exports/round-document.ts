import type { EntityManager } from '@mikro-orm/postgresql';
import { sql } from 'kysely';
import { cursorPages, readAhead } from './sql-cursor.js';

/** The `format` and `version` of the document; see docs/export-format.md. A change to the shape bumps the version. */
export const DOCUMENT_FORMAT = 'consulta-round';
export const DOCUMENT_VERSION = 1;

/** The ballots on the round's revisions (`roundRevisions` in round-summary.ts: revisions linked to its comments, new versions of a version it pinned). */
const BALLOTS = `select q.ballot_id from ballot_question q where q.revision_id in (
  select v.id from indicator_version v where v.parent_id in (select indicator_version_id from round_version where round_id = $round)
  union select rc.revision_id from revision_comment rc join comment c on c.id = rc.comment_id where c.round_id = $round)`;
const FRAMEWORK = 'select framework_id from consultation_round where id = $round';
const COMMENTS = 'select id from comment where round_id = $round';

/** Everyone the round's records name: they come along (without password) so references hold in the other instance. */
const PEOPLE = `select created_by_id from consultation_round where id = $round
  union select author_id from indicator_version where indicator_id in (select id from indicator where framework_id in (${FRAMEWORK}))
  union select author_id from comment where round_id = $round
  union select decided_by_id from disposition where round_id = $round
  union select user_id from practice_rating where round_id = $round
  union select user_id from ballot_voter where ballot_id in (${BALLOTS})
  union select cast_by_id from ballot_vote where ballot_id in (${BALLOTS})
  union select created_by_id from ballot where id in (${BALLOTS})
  union select closed_by_id from ballot where id in (${BALLOTS})`;

export interface DocumentTable {
  /** The table's name, also its key under `tables` in the document. */
  name: string;
  /** Which rows belong to the round; `$round` stands for the round's id. */
  where: string;
  /** Columns never exported. */
  omit?: string[];
  /** Reference data shared with other rounds: an import keeps a row that is already there. */
  shared?: boolean;
  /** Columns set only once every table is in: they point forward (an indicator's current version) or a trigger guards them. */
  deferred?: string[];
  /**
   * Rows numbered by each instance in its own sequence (the audit log): an import gives each row
   * this instance's next number, in the document's order, and keeps the document's in `source_id`.
   */
  renumbered?: boolean;
  /**
   * The column naming the row each row belongs to (an audit entry's scope): the rows of a shared
   * row that was already here came with it, and are not imported again.
   */
  belongsTo?: string;
  /**
   * HTML columns an import renders again from their Markdown column (html column → Markdown column):
   * a document is not trusted to say what is safe to show.
   */
  rendered?: Record<string, string>;
}

/**
 * Every table of a round's document, in the order an import inserts them (referenced before
 * referencing). A feature whose table belongs to a round adds it here and to the format's doc.
 */
export const DOCUMENT_TABLES: DocumentTable[] = [
  {
    name: 'organization',
    shared: true,
    where: `id in (select organization_id from app_user where id in (${PEOPLE}))
      or id in (select author_organization_id from comment where round_id = $round)
      or id::text in (select unnest(audience_organization_ids) from consultation_round where id = $round)
      or id in (select organization_id from ballot_voter where ballot_id in (${BALLOTS}))`,
  },
  { name: 'app_user', shared: true, omit: ['password_hash'], where: `id in (${PEOPLE})` },
  { name: 'framework', shared: true, where: `id in (${FRAMEWORK})` },
  { name: 'section', shared: true, where: `framework_id in (${FRAMEWORK})` },
  { name: 'indicator', shared: true, deferred: ['current_version_id'], where: `framework_id in (${FRAMEWORK})` },
  { name: 'indicator_version', shared: true, where: `indicator_id in (select id from indicator where framework_id in (${FRAMEWORK}))` },
  { name: 'consultation_round', where: 'id = $round' },
  { name: 'round_version', where: 'round_id = $round' },
  { name: 'comment', rendered: { body_html: 'body' }, where: 'round_id = $round' },
  { name: 'comment_revision', rendered: { body_html: 'body' }, where: `comment_id in (${COMMENTS})` },
  { name: 'disposition', rendered: { response_html: 'response' }, where: 'round_id = $round' },
  { name: 'practice_rating', where: 'round_id = $round' },
  { name: 'revision_comment', where: `comment_id in (${COMMENTS})` },
  { name: 'theme', where: 'round_id = $round' },
  { name: 'comment_theme', where: `comment_id in (${COMMENTS})` },
  { name: 'near_duplicate_group', where: 'round_id = $round' },
  { name: 'near_duplicate_member', where: `comment_id in (${COMMENTS})` },
  { name: 'on_behalf_source', where: `comment_id in (${COMMENTS})` },
  // A ballot may decide revisions of several rounds (two rounds that pinned the same version):
  // it comes with each of their documents, so it is shared.
  { name: 'ballot', shared: true, where: `id in (${BALLOTS})` },
  { name: 'ballot_voter', shared: true, where: `ballot_id in (${BALLOTS})` },
  // The tally trigger counts each vote as it goes in and refuses votes on a decided question:
  // counts and decision are set from the document once the votes are in.
  { name: 'ballot_question', shared: true, deferred: ['approve_count', 'reject_count', 'abstain_count', 'outcome', 'decided_at'], where: `ballot_id in (${BALLOTS})` },
  { name: 'ballot_vote', shared: true, where: `ballot_id in (${BALLOTS})` },
  // Exports and imports are events of a copy, not of the round: each instance keeps its own.
  { name: 'audit_entry', renumbered: true, belongsTo: 'scope_id', where: `(scope_id = $round or scope_id in (${BALLOTS})) and action not like 'export.%' and action <> 'round.imported'` },
];

/** JSON with object keys in code-point order at every depth: the same data always gives the same bytes. */
export function stableJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  const entries = Object.keys(value as object)
    .sort()
    .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
    .map((k) => `${JSON.stringify(k)}:${stableJson((value as Record<string, unknown>)[k])}`);
  return `{${entries.join(',')}}`;
}

/**
 * The whole round as one JSON document, streamed table by table through a cursor, rows ordered by
 * id, one chunk per page of rows (the next page read while this one is written). Must run in one
 * transaction (a consistent snapshot) with the time zone at UTC, which `writeExport` sets up. No
 * timestamp of its own: exporting the same data twice gives the same bytes.
 */
export async function* roundDocument(em: EntityManager, roundId: string): AsyncGenerator<string | Buffer> {
  yield `{"format":${JSON.stringify(DOCUMENT_FORMAT)},"version":${DOCUMENT_VERSION},"roundId":${JSON.stringify(roundId)},"tables":{`;
  let firstTable = true;
  for (const table of DOCUMENT_TABLES) {
    // Each table's rows as one JSON object, whatever its columns: the document is every table as it stands.
    const where = sql.join(table.where.split('$round').map((part) => sql.raw(part)), sql`${roundId}`);
    const omit = sql.raw((table.omit ?? []).map((c) => ` - '${c}'`).join(''));
    yield `${firstTable ? '' : ','}\n${JSON.stringify(table.name)}:[`;
    firstTable = false;
    let first = true;
    for await (const rows of readAhead(cursorPages(em, sql<{ r: Record<string, unknown> }>`select to_jsonb(t)${omit} as r from ${sql.table(table.name)} t where (${where}) order by t.id`))) {
      // Bytes made from a string nothing keeps: a page's text is large enough to skip V8's nursery.
      yield Buffer.from(`${first ? '' : ','}\n${rows.map((row) => stableJson(row.r)).join(',\n')}`);
      first = false;
    }
    yield '\n]';
  }
  yield '\n}}\n';
}
