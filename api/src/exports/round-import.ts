import type { EntityManager } from '@mikro-orm/postgresql';
import { audit } from '../audit/audit.service.js';
import { badInput, conflict } from '../errors.js';
import { DOCUMENT_FORMAT, DOCUMENT_TABLES, DOCUMENT_VERSION } from './round-document.js';

interface ColumnInfo {
  column_name: string;
  data_type: string;
  udt_name: string;
  is_nullable: 'YES' | 'NO';
  column_default: string | null;
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

/**
 * Loads a `consulta-round` document into this instance with every id preserved, so exporting the
 * round here gives the same document. Runs in the caller's transaction: all or nothing. Problems
 * with the document are BAD_USER_INPUT naming the path (`tables.comment[3].body`); a round that is
 * already here is a CONFLICT.
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
  if (existing.n) throw conflict('This round is already in this instance', { reason: 'ROUND_EXISTS' });

  const counts: Record<string, number> = {};
  const deferred: { table: string; columns: string[]; rows: Record<string, unknown>[] }[] = [];
  for (const table of DOCUMENT_TABLES) {
    const rows = tables[table.name] ?? [];
    const path = `tables.${table.name}`;
    if (!Array.isArray(rows)) throw badInput(path, 'Must be a list of rows');
    counts[table.name] = 0;
    if (!rows.length) continue;
    const columns = await em.execute<ColumnInfo[]>(
      "select column_name, data_type, udt_name, is_nullable, column_default from information_schema.columns where table_schema = current_schema() and table_name = ?",
      [table.name],
    );
    const byName = new Map(columns.map((c) => [c.column_name, c]));
    const keys = isObject(rows[0]) ? Object.keys(rows[0]).sort() : [];
    rows.forEach((row, i) => validateRow(row, i, path, keys, byName, table.omit ?? []));
    const later = (table.deferred ?? []).filter((c) => keys.includes(c));
    const now = keys.filter((k) => !later.includes(k));
    const list = now.map((c) => `"${c}"`).join(', ');
    const onConflict = table.shared ? ' on conflict do nothing' : '';
    const insertedIds = new Set<string>();
    for (let i = 0; i < rows.length; i += INSERT_BATCH) {
      const chunk = rows.slice(i, i + INSERT_BATCH);
      try {
        const inserted = await em.execute<{ id: unknown }[]>(
          `insert into "${table.name}" (${list}) select ${list} from json_populate_recordset(null::"${table.name}", ?::json)${onConflict} returning id`,
          [JSON.stringify(chunk)],
        );
        counts[table.name] += inserted.length;
        for (const r of inserted) insertedIds.add(String(r.id));
      } catch (err) {
        throw storageProblem(err, path);
      }
    }
    // Only rows this import inserted: a shared row that was already here keeps its own values.
    const mine = (rows as Record<string, unknown>[]).filter((r) => insertedIds.has(String(r.id)));
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
  // Imported audit entries keep their numbers: new ones continue after the highest.
  await em.execute("select setval(pg_get_serial_sequence('audit_entry', 'id'), greatest((select max(id) from audit_entry), 1))");
  audit(em, { actorId, action: 'round.imported', subjectType: 'ConsultationRound', subjectId: roundId, scopeId: roundId, data: { counts } });
  await em.flush();
  return { roundId, counts };
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
  if (e.code === '23505') return conflict(`${path}: ${e.detail ?? 'already here'}`, { reason: 'ALREADY_EXISTS', fields: [{ field: path, message: e.detail ?? 'already here' }] });
  if (e.code?.startsWith('23') || e.code?.startsWith('22')) return badInput(path, e.detail ?? e.message ?? 'Rejected by the database');
  return err;
}
