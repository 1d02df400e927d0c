import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { AuditEntry } from '../../../api/src/audit/audit-entry.entity.js';
import { startTestApi, type TestApi } from '../../support/api.js';
import { settled } from '../../support/jobs.js';
import { expectedOutcome, matrixHarness, mutations, type Caller } from '../authorization/authorization-matrix.js';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
  // The jobs due at start (the clock's, the pilot flags' delivery) write entries of their own: the log is checked once they are done.
  await settled(api.db.orm);
});
afterAll(() => api?.stop());

const count = () => api.db.orm.em.fork().count(AuditEntry, {});

describe('the audit log is append-only, enforced by the database', () => {
  it.each([
    ['UPDATE', `update audit_entry set action = 'forged'`],
    ['DELETE', `delete from audit_entry`],
    ['TRUNCATE', `truncate audit_entry`],
    ['DELETE of one entry', `delete from audit_entry where id = (select min(id) from audit_entry)`],
  ])('%s through the application’s own connection fails and changes nothing', async (_name, sql) => {
    const before = await api.db.orm.em.fork().getConnection().execute(`select id, action from audit_entry order by id`);
    expect(before.length).toBeGreaterThan(0);
    await expect(api.db.orm.em.fork().getConnection().execute(sql)).rejects.toThrow(/append-only/);
    expect(await api.db.orm.em.fork().getConnection().execute(`select id, action from audit_entry order by id`)).toEqual(before);
  });

  it('inside a transaction that otherwise succeeds, the whole transaction fails', async () => {
    const before = await count();
    await expect(
      api.db.orm.em.fork().transactional(async (em) => {
        await em.getConnection().execute(`insert into audit_entry (action, subject_type, subject_id, data) values ('test.x', 'Test', '1', '{}')`, [], 'run', em.getTransactionContext());
        await em.getConnection().execute(`update audit_entry set data = '{}'`, [], 'run', em.getTransactionContext());
      }),
    ).rejects.toThrow(/append-only/);
    expect(await count()).toBe(before);
  });

  it('a direct connection as the database owner (the tests’ superuser) cannot rewrite it either', async () => {
    const c = new pg.Client({ connectionString: api.db.url });
    await c.connect();
    try {
      await expect(c.query(`update audit_entry set actor_id = null`)).rejects.toThrow(/append-only/);
      await expect(c.query(`truncate audit_entry`)).rejects.toThrow(/append-only/);
    } finally {
      await c.end();
    }
  });
});

describe('every mutation that succeeds writes an audit entry', () => {
  const preference: Caller[] = ['admin', 'facilitator', 'member', 'stakeholder', 'anonymous'];
  it.for(Object.entries(mutations).filter(([, row]) => !row.unaudited))('%s', async ([field, row], ctx) => {
    const { fx, clientFor, forget } = matrixHarness(api);
    const caller = preference.find((c) => expectedOutcome(row, c) === 'allowed')!;
    const { client, variables } = row.asFreshAccount
      ? await row.asFreshAccount(fx)
      : { client: await clientFor(caller), variables: (await row.variables?.(fx, caller)) ?? {} };
    const before = await count();
    const r = await client.request(row.document, variables);
    if (row.changesSession) forget(caller);
    const codes = (r.errors ?? []).map((e) => e.extensions?.code ?? '');
    if (codes.length && codes.every((c) => row.tolerate?.includes(c))) {
      // visible in the report: such a row cannot prove its audit entry until its variables make the call succeed
      return ctx.skip(`${field}: the matrix row's variables end in ${codes.join(', ')}; give it variables that succeed to check its audit entry`);
    }
    expect(r.errors, `${field} should succeed for ${row.asFreshAccount ? 'a fresh account' : caller}`).toBeUndefined();
    expect(await count(), `${field} succeeded but wrote no audit entry (or mark the row \`unaudited\` with the reason)`).toBeGreaterThan(before);
  });
});
