import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pruneAccountLinks } from '../../../api/src/accounts/account-links.js';
import { pruneSessions } from '../../../api/src/auth/session.service.js';
import { registeredTasks } from '../../../api/src/jobs/tasks.js';
import { demo, startTestApi, type TestApi } from '../../support/api.js';

let api: TestApi;
let userId: string;
const sql = <T>(query: string, params: unknown[] = []) => api.db.orm.em.fork().execute<T[]>(query, params);
const weekAgo = () => new Date(Date.now() - 7 * 86_400_000);

beforeAll(async () => {
  api = await startTestApi();
  [{ id: userId }] = await sql<{ id: string }>('select id from app_user where email = ?', [demo.stakeholder]);
});
afterAll(() => api?.stop());

describe('pruning what has ended', () => {
  it('deletes links expired over a week ago, spent or not, and keeps the others', async () => {
    const link = (expiresDaysAgo: number, used: boolean) => {
      const hash = randomUUID().replaceAll('-', '').padEnd(64, '0');
      return sql(
        `insert into account_token (token_hash, user_id, purpose, created_at, expires_at, used_at) values (?, ?, 'RESET_PASSWORD', now() - interval '30 days', now() - make_interval(days => ?), ${used ? "now() - interval '20 days'" : 'null'})`,
        [hash, userId, expiresDaysAgo],
      ).then(() => hash);
    };
    const old = [await link(10, false), await link(9, true)];
    const recent = [await link(2, true), await link(-1, false)];
    expect(await pruneAccountLinks(api.db.orm.em.fork(), weekAgo())).toBe(2);
    const left = (await sql<{ token_hash: string }>('select token_hash from account_token where token_hash in (?, ?, ?, ?)', [...old, ...recent])).map((r) => r.token_hash);
    expect(left.sort()).toEqual([...recent].sort());
  });

  it('deletes sessions expired or revoked over a week ago; the open one still signs in', async () => {
    const session = (expires: string, revoked: string | null) => {
      const hash = randomUUID().replaceAll('-', '').padEnd(64, '1');
      return sql(`insert into session (token_hash, user_id, created_at, expires_at, revoked_at) values (?, ?, now() - interval '60 days', now() + interval '${expires}', ${revoked ? `now() - interval '${revoked}'` : 'null'})`, [hash, userId]).then(() => hash);
    };
    const ended = [await session('-10 days', null), await session('5 days', '8 days')];
    const kept = [await session('-2 days', null), await session('5 days', '1 day'), await session('5 days', null)];
    const client = await api.as(demo.stakeholder);
    expect(await pruneSessions(api.db.orm.em.fork(), weekAgo())).toBeGreaterThanOrEqual(2);
    const left = (await sql<{ token_hash: string }>('select token_hash from session where token_hash in (?, ?, ?, ?, ?)', [...ended, ...kept])).map((r) => r.token_hash);
    expect(left.sort()).toEqual([...kept].sort());
    expect((await client.data('{ me { email } }')).me.email).toBe(demo.stakeholder);
  });

  it('runs every hour from the job queue', () => {
    const hourly = registeredTasks().filter((t) => t.everyMinutes === 60).map((t) => t.name);
    expect(hourly).toEqual(expect.arrayContaining(['accounts:prune-links', 'auth:prune-sessions']));
  });
});
