import 'reflect-metadata';
import { startTestApi } from './api.js';
import { createTestDatabase, dropAbandonedDatabases, onServer, TEMPLATES_VARIABLE, TEST_SERVER_URL, type Template } from './database.js';

/**
 * Vitest's global setup: migrates one database and loads the demo into another once per run, so that each
 * test file copies one (`create database … template …`) instead of migrating and seeding its own.
 * The demo's times are relative to its loading (a round closing in 30 days), so they are as old as the run.
 */
export default async function setup() {
  const [migrated, demo] = await Promise.all([createTestDatabase(), createTestDatabase()]);
  const names: Record<Template, string> = { migrated: new URL(migrated.url).pathname.slice(1), demo: new URL(demo.url).pathname.slice(1) };
  const dropBoth = () => Promise.all(Object.values(names).map((name) => onServer(TEST_SERVER_URL, `drop database if exists ${name} with (force)`)));
  if (migrated.embedded) {
    await Promise.all([migrated.drop(), demo.drop()]);
    return;
  }
  const abandoned = await dropAbandonedDatabases();
  if (abandoned.length) console.log(`Dropped ${abandoned.length} test databases that killed runs left on the server.`);
  try {
    // Loaded as a test file's API loads it; stopping that API closes the database, which a template must be.
    const api = await startTestApi({ db: { ...demo, drop: () => demo.orm.close(true) } });
    await api.stop();
    await migrated.orm.close(true);
  } catch (err) {
    await Promise.all([migrated.orm.close(true), demo.orm.close(true)]);
    await dropBoth();
    throw err;
  }
  process.env[TEMPLATES_VARIABLE] = JSON.stringify(names);
  return async () => {
    delete process.env[TEMPLATES_VARIABLE];
    await dropBoth();
  };
}
