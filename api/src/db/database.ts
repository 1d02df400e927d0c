import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { MikroORM } from '@mikro-orm/postgresql';
import type { Config } from '../config.js';
import { ormConfig } from './orm.config.js';
import { migrateJobQueue } from '../jobs/queue.js';

export interface Database {
  orm: MikroORM;
  /** Where the database is, without credentials, for the start-up line. */
  description: string;
  embedded: boolean;
  close(): Promise<void>;
}

/** Opens PostgreSQL (or the embedded PGlite when DATABASE_URL is unset) and applies pending migrations. */
export async function openDatabase(config: Config): Promise<Database> {
  if (config.DATABASE_URL) {
    const orm = await MikroORM.init(ormConfig({ clientUrl: config.DATABASE_URL, poolMax: config.DATABASE_POOL_MAX }));
    await orm.getMigrator().up();
  await migrateJobQueue(orm);
    const url = new URL(config.DATABASE_URL);
    return {
      orm,
      embedded: false,
      description: `PostgreSQL at ${url.hostname}:${url.port || 5432}${url.pathname}`,
      close: () => orm.close(),
    };
  }
  return openEmbedded(resolve(config.DATA_DIR, 'pglite'));
}

/**
 * PGlite runs PostgreSQL in WebAssembly inside this process and is reached over a local socket,
 * so the same driver and migrations serve both. It runs one transaction at a time, hence a pool of one.
 */
async function openEmbedded(dataDir: string): Promise<Database> {
  mkdirSync(dataDir, { recursive: true });
  const { PGlite } = await import('@electric-sql/pglite');
  const { PGLiteSocketServer } = await import('@electric-sql/pglite-socket');
  const { pg_trgm } = await import('@electric-sql/pglite/contrib/pg_trgm');
  const { unaccent } = await import('@electric-sql/pglite/contrib/unaccent');
  const db = await PGlite.create({ dataDir, extensions: { pg_trgm, unaccent } });
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: 4 });
  await server.start();
  const address = server.getServerConn();
  const orm = await MikroORM.init(ormConfig({ clientUrl: `postgres://postgres@${address}/postgres`, poolMax: 1 }));
  await orm.getMigrator().up();
  await migrateJobQueue(orm);
  return {
    orm,
    embedded: true,
    description: `embedded PGlite in ${dataDir}`,
    close: async () => {
      await orm.close();
      await server.stop();
      await db.close();
    },
  };
}
