import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { dropAbandonedDatabases, onServer, TEST_SERVER_URL } from '../../support/database.js';

const hoursAgo = (h: number) => (Date.now() - h * 3600_000).toString(36);
const suffix = () => Math.random().toString(16).slice(2, 8).padEnd(6, '0');
const names = {
  abandoned: `consulta_test_${hoursAgo(7)}_${suffix()}`,
  recent: `consulta_test_${hoursAgo(1)}_${suffix()}`,
  oldInUse: `consulta_test_${hoursAgo(8)}_${suffix()}`,
};
const existing = async () =>
  (await onServer<{ datname: string }>(TEST_SERVER_URL, 'select datname from pg_database where datname = any($1)', [Object.values(names)])).map((r) => r.datname).sort();

describe('test databases that killed runs left', () => {
  const holder = new pg.Client({ connectionString: `${TEST_SERVER_URL.replace(/\/[^/]*$/, '')}/${names.oldInUse}` });
  afterAll(async () => {
    await holder.end().catch(() => undefined);
    for (const name of Object.values(names)) await onServer(TEST_SERVER_URL, `drop database if exists ${name} with (force)`);
  });

  it('are dropped once over six hours old with no one connected; a recent one and one in use stay', async () => {
    for (const name of Object.values(names)) await onServer(TEST_SERVER_URL, `create database ${name}`);
    await holder.connect();
    const dropped = await dropAbandonedDatabases();
    expect(dropped).toContain(names.abandoned);
    expect(dropped).not.toContain(names.recent);
    expect(dropped).not.toContain(names.oldInUse);
    expect(await existing()).toEqual([names.oldInUse, names.recent].sort());
  });
});
