import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { preparedRows, reads } from '../../../api/src/db/reads.js';
import { TABLES_FILE, tableTypes } from '../../../api/src/db/table-types.js';
import { createTestDatabase, type TestDatabase } from '../../support/database.js';

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db?.drop());

describe('table types', () => {
  it('are what the migrations make: regenerate them with `npm run db:types -w api` after adding a migration', async () => {
    expect(await tableTypes(db.url)).toBe(readFileSync(TABLES_FILE, 'utf8'));
  });
});

describe('typed reads', () => {
  const id = randomUUID();
  const byName = (name: string) => reads(db.orm.em.fork()).selectFrom('organization').select('name').where('name', '=', name);

  it('run in the entity manager’s transaction when it has one, and roll back with it', async () => {
    await expect(
      db.orm.em.fork().transactional(async (em) => {
        await em.execute(`insert into organization (id, name, kind, country, created_at) values (?, 'Cooperativa de prueba', 'MFI', 'PE', now())`, [id]);
        expect(await reads(em).selectFrom('organization').select('name').where('id', '=', id).execute()).toEqual([{ name: 'Cooperativa de prueba' }]);
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(await byName('Cooperativa de prueba').execute()).toEqual([]);
  });

  it('run as a named prepared statement when asked, with the same rows', async () => {
    const em = db.orm.em.fork();
    await em.execute(`insert into organization (id, name, kind, country, created_at) values (?, 'Cooperativa preparada', 'MFI', 'PE', now())`, [id]);
    const query = reads(em).selectFrom('organization').select(['id', 'name']).where('id', '=', id);
    expect(await preparedRows(em, 'test-organization-by-id', query)).toEqual([{ id, name: 'Cooperativa preparada' }]);
    expect(await preparedRows(em, 'test-organization-by-id', query)).toEqual(await query.execute());
  });
});
