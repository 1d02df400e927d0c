import { randomBytes } from 'node:crypto';
import { MikroORM } from '@mikro-orm/postgresql';
import pg from 'pg';
import { ormConfig } from '../../api/src/db/orm.config.js';

export const TEST_SERVER_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestDatabase {
  url: string;
  orm: MikroORM;
  /** True for the in-memory PGlite fallback (one process: live events stay in process). */
  embedded: boolean;
  drop(): Promise<void>;
}

/**
 * A fresh, migrated database on the real PostgreSQL server for one test file; `drop()` removes it.
 * Every suite that touches the database goes through here.
 */
export async function createTestDatabase(serverUrl = TEST_SERVER_URL): Promise<TestDatabase> {
  if (serverUrl === TEST_SERVER_URL && !(await serverReachable())) return createEmbeddedTestDatabase();
  const name = `consulta_test_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const orm = await MikroORM.init(ormConfig({ clientUrl: url.toString(), poolMax: 10 }));
  await orm.getMigrator().up();
  return {
    url: url.toString(),
    orm,
    embedded: false,
    drop: async () => {
      await orm.close(true);
      const c = new pg.Client({ connectionString: serverUrl });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
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
  return {
    url,
    orm,
    embedded: true,
    drop: async () => {
      await orm.close(true);
      await server.stop();
      await db.close();
    },
  };
}
