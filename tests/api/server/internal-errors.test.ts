import { afterAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { startTestApi, type TestApi } from '../../support/api.js';

const PREVIEW = `query { invitation(token: "a-token-long-enough") { email } }`;

/**
 * An API whose `invitation` table has gone (a broken deployment): reading an invitation fails inside
 * PostgreSQL, a genuine internal error whose text names the table. Its log lines are kept.
 */
async function brokenApi(nodeEnv: 'production' | 'development') {
  const lines: Array<Record<string, any>> = [];
  const api = await startTestApi({ seed: 'none', env: { NODE_ENV: nodeEnv, LOG_LEVEL: 'error' }, logTo: { write: (line: string) => void lines.push(JSON.parse(line)) } });
  const c = new pg.Client({ connectionString: api.db.url });
  await c.connect();
  await c.query('alter table invitation rename to invitation_moved');
  await c.end();
  return { api, lines };
}

const started: TestApi[] = [];
afterAll(() => Promise.all(started.map((a) => a.stop())));

async function ask(api: TestApi) {
  const res = await fetch(api.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: PREVIEW }) });
  return ((await res.json()) as { errors: Array<{ message: string; extensions: Record<string, unknown> }> }).errors[0];
}

describe('an internal error', () => {
  it('in production shows a generic message with a correlation id, which the log line carries with the detail', async () => {
    const { api, lines } = await brokenApi('production');
    started.push(api);
    const error = await ask(api);
    expect(error.extensions.code).toBe('INTERNAL_SERVER_ERROR');
    expect(error.extensions.correlationId).toMatch(/^[0-9a-f-]{36}$/);
    expect(Object.keys(error.extensions).sort()).toEqual(['code', 'correlationId']);
    expect(error.message).toBe(`Internal server error (reference ${error.extensions.correlationId})`);
    expect(JSON.stringify([error.message, error.extensions])).not.toMatch(/invitation|does not exist|select |https?:/i);

    const logged = lines.filter((l) => l.correlationId === error.extensions.correlationId);
    expect(logged).toHaveLength(1);
    expect(logged[0].msg).toBe('unexpected error in a resolver');
    expect(logged[0].err.message).toMatch(/relation "invitation" does not exist/);
  });

  it('in development shows the detail, with the same correlation id as its log line', async () => {
    const { api, lines } = await brokenApi('development');
    started.push(api);
    const error = await ask(api);
    expect(error.extensions.code).toBe('INTERNAL_SERVER_ERROR');
    expect(error.message).toMatch(/relation "invitation" does not exist/);
    expect(lines.filter((l) => l.correlationId === error.extensions.correlationId)).toHaveLength(1);
  });
});
