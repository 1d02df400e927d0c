import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RequestContext } from '../../../api/src/context.js';
import { entityById } from '../../../api/src/db/entity-loader.js';
import { executePrepared } from '../../../api/src/db/prepared-statement.js';
import { Organization } from '../../../api/src/organizations/organization.entity.js';
import { startTestApi, type TestApi } from '../../support/api.js';

let api: TestApi;
const id = randomUUID();

beforeAll(async () => {
  // A pool of one: every call below goes through the same connection, where the statements stay prepared.
  api = await startTestApi({ env: { DATABASE_POOL_MAX: '1' } });
});
afterAll(() => api?.stop());

describe('prepared statements', () => {
  it('run in the entity manager’s transaction when it has one, and roll back with it', async () => {
    const insert = `insert into organization (id, name, kind, country, created_at) values (?, ?, 'MFI', 'PE', now())`;
    await expect(
      api.db.orm.em.fork().transactional(async (em) => {
        await executePrepared(em, 'test-insert-organization', insert, [id, 'Cooperativa de prueba']);
        expect(await executePrepared(em, 'test-organization-name', 'select name from organization where id = ?', [id])).toEqual([{ name: 'Cooperativa de prueba' }]);
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(await executePrepared(api.db.orm.em.fork(), 'test-organization-name', 'select name from organization where id = ?', [id])).toEqual([]);
  });

  it('an entity read by id keeps working after a migration adds a column to its table', async () => {
    await executePrepared(api.db.orm.em.fork(), 'test-insert-organization', `insert into organization (id, name, kind, country, created_at) values (?, ?, 'MFI', 'PE', now())`, [id, 'Cooperativa de prueba']);
    const load = () => entityById(Organization)(api.db.orm.em.fork(), {} as RequestContext).load(id);
    expect(await load()).toMatchObject({ id, name: 'Cooperativa de prueba' });
    await api.db.orm.em.fork().execute('alter table organization add column motto text');
    try {
      expect(await load()).toMatchObject({ id, name: 'Cooperativa de prueba' });
    } finally {
      await api.db.orm.em.fork().execute('alter table organization drop column motto');
    }
  });
});
