import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../support/database.js';
import { demo, DEMO_PASSWORD } from '../../support/api.js';

const apiDir = fileURLToPath(new URL('../../../api/', import.meta.url));

/** Waits until `fact` holds, checking every 20 ms; fails with `failure()` after `ms`. */
async function until(fact: () => boolean | Promise<boolean>, ms: number, failure: () => string) {
  const deadline = Date.now() + ms;
  while (!(await fact())) {
    if (Date.now() > deadline) throw new Error(failure());
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * The API as it runs in production (its own process, main.ts) receives SIGTERM while a request is
 * in flight. The slow request is a real one: a sign-in against a costly argon2 hash (256 MiB).
 */
describe('SIGTERM', () => {
  let db: TestDatabase;
  let child: ChildProcess | undefined;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    await db?.drop();
  });

  it('lets the in-flight request finish, refuses new connections, then exits 0', async () => {
    child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: apiDir,
      env: { ...process.env, NODE_ENV: 'test', DATABASE_URL: db.url, API_PORT: '0', API_HOST: '127.0.0.1', SEED: 'demo', LOG_LEVEL: 'info', PASSWORD_HASH_MEMORY_KIB: '262144' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const exited = new Promise<{ code: number | null; at: number }>((resolve) => child!.once('exit', (code) => resolve({ code, at: performance.now() })));
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the API did not start:\n${output}`)), 90_000);
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        const m = /API ready at http:\/\/localhost:(\d+)\/graphql/.exec(output);
        if (m) {
          clearTimeout(timer);
          resolve(Number(m[1]));
        }
      };
      child!.stdout!.on('data', onData);
      child!.stderr!.on('data', onData);
      child!.once('exit', () => reject(new Error(`the API exited early:\n${output}`)));
    });
    const url = `http://127.0.0.1:${port}/graphql`;

    const started = performance.now();
    const slow = fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: `mutation($input: SignInInput!) { signIn(input: $input) { id } }`, variables: { input: { email: demo.member, password: DEMO_PASSWORD } } }),
    }).then(async (res) => ({ status: res.status, body: await res.json(), at: performance.now() }));
    // The sign-in counts the attempt against its e-mail (a rate_limit row) before it looks up the
    // account and hashes: once the row is there, the request is in the server's hands.
    const counted = `sign_in_email:${createHash('sha256').update(demo.member).digest('base64url')}`;
    const em = db.orm.em.fork();
    await until(async () => (await em.execute('select 1 from rate_limit where key = ?', [counted])).length > 0, 30_000, () => `the sign-in was never counted:\n${output}`);
    const signalledAt = performance.now();
    child.kill('SIGTERM');
    await until(() => /SIGTERM: draining in-flight requests/.test(output), 10_000, () => `no draining line after SIGTERM:\n${output}`);
    // The listener closes within a turn of the event loop after that line: wait for the refusal itself,
    // then check below that it came while the sign-in was still running.
    let answeredLate = 0;
    const lateRequest = () =>
      fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ me { id } }' }) }).then(
        (res) => `HTTP ${res.status}`,
        () => 'refused',
      );
    const refused = async () => {
      if ((await lateRequest()) === 'refused') return true;
      answeredLate++;
      return false;
    };
    await until(refused, 10_000, () => `new requests were still answered:\n${output}`);
    const refusedAt = performance.now();

    const answer = await slow;
    const exit = await exited;
    console.info(`sigterm-drain: the sign-in took ${(answer.at - started).toFixed(0)} ms, answered ${(answer.at - signalledAt).toFixed(0)} ms after SIGTERM; the process exited ${(exit.at - answer.at).toFixed(0)} ms after that; a new request was refused ${(refusedAt - signalledAt).toFixed(0)} ms after SIGTERM (${answeredLate} answered before)`);
    expect(answer.status).toBe(200);
    expect(answer.body.errors).toBeUndefined();
    expect(answer.body.data.signIn.id).toBeTruthy();
    expect(answer.at).toBeGreaterThan(signalledAt);
    expect(exit.at).toBeGreaterThanOrEqual(answer.at);
    expect(exit.code).toBe(0);
    expect(refusedAt).toBeLessThan(answer.at);
    expect(output).toMatch(/SIGTERM: draining in-flight requests/);
  }, 150_000);
});
