/**
 * SQL statements per request, counted on the server by pg_stat_statements when PostgreSQL loads it
 * (`shared_preload_libraries = 'pg_stat_statements'`, as docker-compose.yml's database does), else
 * by the relay of wire-count.ts, which counts the same messages on their way in. Each server under
 * test connects as a role of its own, so the server's statements are told apart by their `userid`.
 * The two agree on every request; after a comment, PostgreSQL 15's pg_stat_statements also records
 * the matching function the planner evaluates on a parameter (`comment_match_text`, 4 calls) as
 * statements of their own, which the relay does not see.
 */
import pg from 'pg';
import { onServer } from '../support/database.js';
import { startWireCounter } from './wire-count.js';

export interface StatementCounter {
  /** Where the server under test connects: the database as its own role, or the relay. */
  url: string;
  /** Statements the server sent since the last `reset()`. */
  count(): Promise<number>;
  reset(): Promise<void>;
  stop(): Promise<void>;
}

export type CountedBy = 'pg_stat_statements' | 'relay';

/** What counts on this server: pg_stat_statements if PostgreSQL preloads it. */
export async function countedBy(databaseUrl: string): Promise<CountedBy> {
  const [setting] = await onServer<{ preloaded: boolean }>(
    databaseUrl,
    `select 'pg_stat_statements' = any (string_to_array(replace(current_setting('shared_preload_libraries'), ' ', ''), ',')) as preloaded`,
  );
  return setting.preloaded ? 'pg_stat_statements' : 'relay';
}

/** A counter for the server `name` (ours, floor, peer) on `databaseUrl`, by `method`. */
export async function startStatementCounter(databaseUrl: string, name: string, method: CountedBy): Promise<StatementCounter> {
  if (method === 'relay') {
    const wire = await startWireCounter(databaseUrl);
    return { url: wire.url, count: async () => wire.count(), reset: async () => wire.reset(), stop: () => wire.stop() };
  }
  const role = `consulta_bench_${name}`;
  const admin = new pg.Client({ connectionString: databaseUrl });
  await admin.connect();
  try {
    // A login role per server that acts with the bench owner's rights on its tables (trust auth, as on the local server).
    await admin.query(`do $$ begin if not exists (select from pg_roles where rolname = '${role}') then create role ${role} login; end if; end $$`);
    const { rows: owner } = await admin.query<{ owner: string }>('select current_user as owner');
    await admin.query(`grant ${pg.escapeIdentifier(owner[0].owner)} to ${role}`);
    await admin.query('create extension if not exists pg_stat_statements');
    const { rows } = await admin.query<{ userid: string; dbid: string }>(
      'select (select oid from pg_roles where rolname = $1)::text as userid, (select oid from pg_database where datname = current_database())::text as dbid',
      [role],
    );
    const { userid, dbid } = rows[0];
    const url = new URL(databaseUrl);
    url.username = role;
    url.password = '';
    return {
      url: url.toString(),
      count: async () => {
        const { rows: counted } = await admin.query<{ n: number }>('select coalesce(sum(calls), 0)::int as n from pg_stat_statements where userid = $1::oid and dbid = $2::oid', [userid, dbid]);
        return counted[0].n;
      },
      reset: async () => {
        await admin.query('select pg_stat_statements_reset($1::oid, $2::oid, 0)', [userid, dbid]);
      },
      stop: () => admin.end(),
    };
  } catch (e) {
    await admin.end();
    throw e;
  }
}
