import { randomBytes } from 'node:crypto';
import { MikroORM } from '@mikro-orm/postgresql';
import pg from 'pg';
import { ormConfig } from '../../api/src/db/orm.config.js';

export const TEST_SERVER_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestDatabase {
  url: string;
  orm: MikroORM;
  drop(): Promise<void>;
}

/**
 * A fresh, migrated database on the real PostgreSQL server for one test file; `drop()` removes it.
 * Every suite that touches the database goes through here.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `consulta_test_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const admin = new pg.Client({ connectionString: TEST_SERVER_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(TEST_SERVER_URL);
  url.pathname = `/${name}`;
  const orm = await MikroORM.init(ormConfig({ clientUrl: url.toString(), poolMax: 10 }));
  await orm.getMigrator().up();
  return {
    url: url.toString(),
    orm,
    drop: async () => {
      await orm.close(true);
      const c = new pg.Client({ connectionString: TEST_SERVER_URL });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}
