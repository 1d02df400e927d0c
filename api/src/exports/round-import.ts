import type { EntityManager } from '@mikro-orm/postgresql';
import { audit } from '../audit/audit.service.js';
import { renderMarkdown } from '../comments/markdown.js';
import { badInput, conflict, Refusal } from '../errors.js';
import { DOCUMENT_FORMAT, DOCUMENT_TABLES, DOCUMENT_VERSION, type DocumentTable } from './round-document.js';

interface ColumnInfo {
  column_name: string;
  data_type: string;
  udt_name: string;
  is_nullable: 'YES' | 'NO';
  column_default: string | null;
  character_maximum_length: number | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const INSERT_BATCH = 500;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Why `value` cannot go into a column of this type, or null when it can. */
function typeProblem(value: unknown, column: ColumnInfo): string | null {
  if (value === null) return column.is_nullable === 'YES' ? null : 'must not be null';
  switch (column.data_type) {
    case 'uuid':
      return typeof value === 'string' && UUID.test(value) ? null : 'must be a UUID';
    case 'integer':
    case 'bigint':
      return Number.isInteger(value) ? null : 'must be an integer';
    case 'double precision':
      return typeof value === 'number' ? null : 'must be a number';
    case 'boolean':
      return typeof value === 'boolean' ? null : 'must be true or false';
    case 'timestamp with time zone':
      return typeof value === 'string' && !Number.isNaN(Date.parse(value)) ? null : 'must be an ISO 8601 date and time';
    case 'ARRAY':
      return Array.isArray(value) && value.every((v) => typeof v === 'string') ? null : 'must be a list of strings';
    case 'jsonb':
    case 'json':
      return null;
    default:
      return typeof value === 'string' ? null : 'must be a string';
  }
}

export interface ImportResult {
  roundId: string;
  /** Rows inserted per table (rows of shared tables already there are kept and not counted). */
  counts: Record<string, number>;
}

type Row = Record<string, unknown>;

interface CheckedTable {
  table: DocumentTable;
  rows: Row[];
  /** The columns every row of the table carries. */
  keys: string[];
  columns: Map<string, ColumnInfo>;
}

/**
 * Loads a `consulta-round` document into this instance with its ids, so exporting the round here
 * gives the same document but for what docs/export-format.md names instance-specific: audit
 * entries take this instance's numbers (keeping the document's in `source_id`), a person who has
 * an account here under another id is that account, and a framework new here whose slug is taken
 * takes a free one. Runs in the caller's transaction: all or nothing; the GraphQL mutation and the
 * command line both come here. Problems with the document are BAD_USER_INPUT naming the path
 * (`tables.comment[3].body`); a round that is already here is a CONFLICT, before anything is written.
 */
export async function importRound(em: EntityManager, document: unknown, actorId: string | null): Promise<ImportResult> {
  if (!isObject(document)) throw badInput('document', 'The document must be a JSON object');
  if (document.format !== DOCUMENT_FORMAT) throw badInput('format', `Expected "${DOCUMENT_FORMAT}"`);
  if (document.version !== DOCUMENT_VERSION) throw badInput('version', `This instance reads version ${DOCUMENT_VERSION}`);
  const roundId = document.roundId;
  if (typeof roundId !== 'string' || !UUID.test(roundId)) throw badInput('roundId', 'Must be the round’s UUID');
  const tables = document.tables;
  if (!isObject(tables)) throw badInput('tables', 'Must be an object of tables');
  const known = new Set(DOCUMENT_TABLES.map((t) => t.name));
  for (const name of Object.keys(tables)) if (!known.has(name)) throw badInput(`tables.${name}`, 'Not a table of this format');
  const rounds = tables.consultation_round;
  if (!Array.isArray(rounds) || rounds.length !== 1 || !isObject(rounds[0]) || rounds[0].id !== roundId) {
    throw badInput('tables.consultation_round', 'Must hold exactly the round named by roundId');
  }
  const [existing] = await em.execute<{ n: number }[]>('select count(*)::int as n from consultation_round where id = ?', [roundId]);
  if (existing.n) throw conflict('This round is already in this instance', { reason: Refusal.ROUND_EXISTS });

  const checked: CheckedTable[] = [];
  for (const table of DOCUMENT_TABLES) checked.push(await checkTable(em, table, tables[table.name] ?? []));
  const named = (name: string) => checked.find((c) => c.table.name === name)!;
  const accounts = await accountsHere(em, named('app_user').rows);
  const framework = named('framework');
  framework.rows = await withFreeSlugs(em, framework.rows, framework.columns.get('slug')?.character_maximum_length ?? null);

  const counts: Record<string, number> = {};
  const deferred: { table: string; columns: string[]; rows: Row[] }[] = [];
  const kept = new Set<string>();
  for (const { table, keys, rows: documentRows } of checked) {
    const placed = accounts.size ? (replaceIds(documentRows, accounts) as Row[]) : documentRows;
    const owner = table.belongsTo;
    const rows = owner ? placed.filter((r) => !kept.has(String(r[owner]))) : placed;
    const insertedIds = await insertRows(em, table, rows, keys);
    counts[table.name] = insertedIds.size;
    if (table.shared) for (const r of rows) if (!insertedIds.has(String(r.id))) kept.add(String(r.id));
    // Only rows this import inserted: a shared row that was already here keeps its own values.
    const later = (table.deferred ?? []).filter((c) => keys.includes(c));
    const mine = rows.filter((r) => insertedIds.has(String(r.id)));
    if (later.length && mine.length) deferred.push({ table: table.name, columns: ['id', ...later], rows: mine });
  }
  for (const { table, columns, rows } of deferred) {
    const set = columns.filter((c) => c !== 'id').map((c) => `"${c}" = x."${c}"`).join(', ');
    try {
      await em.execute(`update "${table}" t set ${set} from json_populate_recordset(null::"${table}", ?::json) x where t.id = x.id`, [JSON.stringify(rows)]);
    } catch (err) {
      throw storageProblem(err, `tables.${table}`);
    }
  }
  audit(em, { actorId, action: 'round.imported', subjectType: 'ConsultationRound', subjectId: roundId, scopeId: roundId, data: { counts } });
  await em.flush();
  return { roundId, counts };
}

/** A table's rows checked against its columns here, before anything is written. */
async function checkTable(em: EntityManager, table: DocumentTable, rows: unknown): Promise<CheckedTable> {
  const path = `tables.${table.name}`;
  if (!Array.isArray(rows)) throw badInput(path, 'Must be a list of rows');
  const columns = new Map<string, ColumnInfo>();
  if (!rows.length) return { table, rows: [], keys: [], columns };
  const found = await em.execute<ColumnInfo[]>(
    'select column_name, data_type, udt_name, is_nullable, column_default, character_maximum_length from information_schema.columns where table_schema = current_schema() and table_name = ?',
    [table.name],
  );
  for (const c of found) columns.set(c.column_name, c);
  const keys = isObject(rows[0]) ? Object.keys(rows[0]).sort() : [];
  rows.forEach((row, i) => validateRow(row, i, path, keys, columns, table.omit ?? []));
  // The number a row had in the document is its provenance here.
  if (table.renumbered && !keys.includes('id')) throw badInput(`${path}[0].id`, 'Missing: the number the row had where it was exported');
  return { table, rows: withRenderedHtml(table, rows as Row[], path), keys, columns };
}

/** Rows whose HTML columns are rendered here from their Markdown, whatever HTML the document carried. */
function withRenderedHtml(table: DocumentTable, rows: Row[], path: string): Row[] {
  const rendered = Object.entries(table.rendered ?? {});
  if (!rendered.length) return rows;
  return rows.map((row, i) => {
    const out = { ...row };
    for (const [html, source] of rendered) {
      if (typeof row[source] === 'string') out[html] = renderMarkdown(row[source], `${path}[${i}].${source}`);
    }
    return out;
  });
}

/**
 * Inserts a table's rows in the document's order and answers the ids inserted. A shared row whose
 * id is here already is kept as it is; a renumbered row takes this instance's next number and
 * keeps the document's as `source_id`.
 */
async function insertRows(em: EntityManager, table: DocumentTable, rows: Row[], keys: string[]): Promise<Set<string>> {
  const inserted = new Set<string>();
  if (!rows.length) return inserted;
  const later = table.deferred ?? [];
  const now = keys.filter((k) => !later.includes(k) && !(table.renumbered && (k === 'id' || k === 'source_id')));
  const targets = [...(table.renumbered ? ['source_id'] : []), ...now].map((c) => `"${c}"`).join(', ');
  const values = [...(table.renumbered ? ['id'] : []), ...now].map((c) => `x."${c}"`).join(', ');
  const onConflict = table.shared ? ' on conflict (id) do nothing' : '';
  const path = `tables.${table.name}`;
  for (let i = 0; i < rows.length; i += INSERT_BATCH) {
    try {
      const ids = await em.execute<{ id: unknown }[]>(
        `insert into "${table.name}" (${targets}) select ${values} from json_populate_recordset(null::"${table.name}", ?::json) with ordinality as x order by x.ordinality${onConflict} returning id`,
        [JSON.stringify(rows.slice(i, i + INSERT_BATCH))],
      );
      for (const r of ids) inserted.add(String(r.id));
    } catch (err) {
      throw storageProblem(err, path);
    }
  }
  return inserted;
}

/**
 * The document's people who have an account here under another id, found by e-mail (unique
 * here): document id → id here. Such a person is that account: the document's references to them
 * point to it, and their row in the document is not imported.
 */
async function accountsHere(em: EntityManager, people: Row[]): Promise<Map<string, string>> {
  if (!people.length) return new Map();
  const found = await em.execute<{ source: string; here: string }[]>(
    `select d.id as source, u.id as here from json_to_recordset(?::json) as d(id text, email text)
       join app_user u on u.email = d.email
      where not exists (select 1 from app_user same where same.id = d.id::uuid)`,
    [JSON.stringify(people.map((p) => ({ id: p.id, email: p.email })))],
  );
  return new Map(found.map((r) => [r.source, r.here]));
}

/** `value` with every string equal to a key of `ids` replaced by its value, at any depth. */
function replaceIds(value: unknown, ids: Map<string, string>): unknown {
  if (typeof value === 'string') return ids.get(value) ?? value;
  if (Array.isArray(value)) return value.map((v) => replaceIds(v, ids));
  if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, replaceIds(v, ids)]));
  return value;
}

/**
 * A framework new here whose slug another framework here holds is a different framework of the
 * same name: it comes in under the first free `slug-2`, `slug-3`, … (within the column's length).
 */
async function withFreeSlugs(em: EntityManager, frameworks: Row[], maxLength: number | null): Promise<Row[]> {
  const taken = async (sql: string, value: unknown) => (await em.execute<{ n: number }[]>(`select count(*)::int as n from framework where ${sql}`, [value]))[0].n > 0;
  const out: Row[] = [];
  for (const framework of frameworks) {
    const slug = String(framework.slug);
    if ((await taken('id = ?::uuid', framework.id)) || !(await taken('slug = ?', slug))) {
      out.push(framework);
      continue;
    }
    let n = 2;
    const candidate = () => `${slug.slice(0, maxLength === null ? undefined : maxLength - `-${n}`.length)}-${n}`;
    while (await taken('slug = ?', candidate())) n++;
    out.push({ ...framework, slug: candidate() });
  }
  return out;
}

function validateRow(row: unknown, i: number, path: string, keys: string[], columns: Map<string, ColumnInfo>, omit: string[]) {
  const at = `${path}[${i}]`;
  if (!isObject(row)) throw badInput(at, 'Must be an object');
  for (const key of Object.keys(row)) {
    const column = columns.get(key);
    if (!column || omit.includes(key)) throw badInput(`${at}.${key}`, 'Not a column of this table');
    const problem = typeProblem(row[key], column);
    if (problem) throw badInput(`${at}.${key}`, problem);
  }
  for (const key of keys) if (!(key in row)) throw badInput(`${at}.${key}`, 'Missing: every row of a table carries the same fields');
  if (Object.keys(row).length !== keys.length) throw badInput(at, 'Every row of a table carries the same fields');
  for (const column of columns.values()) {
    if (column.is_nullable === 'NO' && column.column_default === null && !(column.column_name in row)) {
      throw badInput(`${at}.${column.column_name}`, 'Missing');
    }
  }
}

/** A constraint the rows break (a duplicate, a reference to nothing), named by the table it happened in. */
function storageProblem(err: unknown, path: string) {
  const e = err as { code?: string; detail?: string; message?: string };
  if (e.code === '23505') return conflict(`${path}: ${e.detail ?? 'already here'}`, { reason: Refusal.ALREADY_EXISTS, fields: [{ field: path, message: e.detail ?? 'already here' }] });
  if (e.code?.startsWith('23') || e.code?.startsWith('22')) return badInput(path, e.detail ?? e.message ?? 'Rejected by the database');
  return err;
}
