import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../support/database.js';
import { demo, DEMO_PASSWORD } from '../../support/api.js';

const apiDir = fileURLToPath(new URL('../../../api/', import.meta.url));

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
    await new Promise((r) => setTimeout(r, 300)); // the sign-in is now hashing
    const signalledAt = performance.now();
    child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 100));
    const late = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ me { id } }' }) }).then(
      (res) => `HTTP ${res.status}`,
      () => 'refused',
    );

    const answer = await slow;
    const exit = await exited;
    console.info(`sigterm-drain: the sign-in took ${(answer.at - started).toFixed(0)} ms, answered ${(answer.at - signalledAt).toFixed(0)} ms after SIGTERM; the process exited ${(exit.at - answer.at).toFixed(0)} ms after that; a new request got: ${late}`);
    expect(answer.status).toBe(200);
    expect(answer.body.errors).toBeUndefined();
    expect(answer.body.data.signIn.id).toBeTruthy();
    expect(answer.at).toBeGreaterThan(signalledAt);
    expect(exit.at).toBeGreaterThanOrEqual(answer.at);
    expect(exit.code).toBe(0);
    expect(late).toBe('refused');
    expect(output).toMatch(/SIGTERM: draining in-flight requests/);
  }, 150_000);
});
