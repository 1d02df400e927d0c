import { randomBytes } from 'node:crypto';
import { MikroORM } from '@mikro-orm/postgresql';
import pg from 'pg';
import { ormConfig } from '../../api/src/db/orm.config.js';
import { migrateJobQueue } from '../../api/src/jobs/queue.js';

export const TEST_SERVER_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** What a new database starts from: just migrated, or migrated with the demo data loaded. */
export type Template = 'migrated' | 'demo';
/** The global setup (templates.ts) names its template databases here, as JSON; the test processes inherit it. */
export const TEMPLATES_VARIABLE = 'CONSULTA_TEST_TEMPLATES';

export interface TestDatabase {
  url: string;
  orm: MikroORM;
  /** True for the in-memory PGlite fallback (one process: live events stay in process). */
  embedded: boolean;
  /** True when it was copied from the demo template: the demo data is there already. */
  demo: boolean;
  drop(): Promise<void>;
}

/**
 * A fresh, migrated database on the real PostgreSQL server for one test file; `drop()` removes it.
 * Every suite that touches the database goes through here. On the test server it is a copy of the
 * global setup's template (`from`), which costs a fraction of migrating and seeding again.
 */
export async function createTestDatabase(serverUrl = TEST_SERVER_URL, from: Template = 'migrated'): Promise<TestDatabase> {
  if (serverUrl === TEST_SERVER_URL && !(await serverReachable())) return createEmbeddedTestDatabase();
  const template = serverUrl === TEST_SERVER_URL ? templates()?.[from] : undefined;
  const name = `consulta_test_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  await onServer(serverUrl, template ? `create database ${name} template ${template}` : `create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const orm = await MikroORM.init(ormConfig({ clientUrl: url.toString(), poolMax: 10 }));
  if (!template) {
    await orm.getMigrator().up();
    await migrateJobQueue(orm);
  }
  return {
    url: url.toString(),
    orm,
    embedded: false,
    demo: template !== undefined && from === 'demo',
    drop: async () => {
      await orm.close(true);
      await onServer(serverUrl, `drop database if exists ${name} with (force)`);
    },
  };
}

/** How old a test database with no one connected must be before `dropAbandonedDatabases` takes it. */
const ABANDONED_AFTER_MS = 6 * 3600_000;

/**
 * Drops the test databases that killed runs left on the server: named by `createTestDatabase` more than
 * six hours ago and with no one connected (a running file holds its ORM's connections open; a bench
 * that keeps its database for hours keeps it by staying connected). Returns their names.
 */
export async function dropAbandonedDatabases(serverUrl = TEST_SERVER_URL): Promise<string[]> {
  const unused = await onServer<{ datname: string }>(
    serverUrl,
    `select datname from pg_database d
      where datname like 'consulta\\_test\\_%' and not datistemplate
        and not exists (select from pg_stat_activity a where a.datid = d.oid)`,
  );
  const abandoned = unused.map((r) => r.datname).filter((name) => Date.now() - createdAt(name) > ABANDONED_AFTER_MS);
  for (const name of abandoned) await onServer(serverUrl, `drop database if exists ${name}`);
  return abandoned;
}

/** When `createTestDatabase` named it (the base-36 time after the prefix); NaN for a name it did not make. */
function createdAt(name: string): number {
  return parseInt(/^consulta_test_([0-9a-z]+)_[0-9a-f]{6}$/.exec(name)?.[1] ?? '', 36);
}

function templates(): Record<Template, string> | undefined {
  const named = process.env[TEMPLATES_VARIABLE];
  return named ? (JSON.parse(named) as Record<Template, string>) : undefined;
}

/** One statement on the server's maintenance database (creating, listing and dropping databases); its rows. */
export async function onServer<R extends object = object>(serverUrl: string, sql: string, params: unknown[] = []): Promise<R[]> {
  const c = new pg.Client({ connectionString: serverUrl });
  await c.connect();
  try {
    return (await c.query<R & pg.QueryResultRow>(sql, params)).rows;
  } finally {
    await c.end();
  }
}

let reachable: Promise<boolean> | undefined;
function serverReachable(): Promise<boolean> {
  reachable ??= (async () => {
    const c = new pg.Client({ connectionString: TEST_SERVER_URL, connectionTimeoutMillis: 3000 });
    try {
      await c.connect();
      await c.end();
      return true;
    } catch {
      console.warn(`No PostgreSQL at ${TEST_SERVER_URL.replace(/\/\/[^@]*@/, '//')}: using the embedded PGlite (set TEST_DATABASE_URL to use a server).`);
      return false;
    }
  })();
  return reachable;
}

/** Without a server: an in-memory PGlite behind a local socket, one connection at a time. */
async function createEmbeddedTestDatabase(): Promise<TestDatabase> {
  const { PGlite } = await import('@electric-sql/pglite');
  const { PGLiteSocketServer } = await import('@electric-sql/pglite-socket');
  const { pg_trgm } = await import('@electric-sql/pglite/contrib/pg_trgm');
  const { unaccent } = await import('@electric-sql/pglite/contrib/unaccent');
  const db = await PGlite.create({ extensions: { pg_trgm, unaccent } });
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: 4 });
  await server.start();
  const url = `postgres://postgres@${server.getServerConn()}/postgres`;
  const orm = await MikroORM.init(ormConfig({ clientUrl: url, poolMax: 1 }));
  await orm.getMigrator().up();
  await migrateJobQueue(orm);
  return {
    url,
    orm,
    embedded: true,
    demo: false,
    drop: async () => {
      await orm.close(true);
      await server.stop();
      await db.close();
    },
  };
}
