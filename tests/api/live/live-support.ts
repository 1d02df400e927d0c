import { MikroORM } from '@mikro-orm/postgresql';
import { expect, onTestFinished } from 'vitest';
import { pino } from 'pino';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { loadConfig } from '../../../api/src/config.js';
import type { AppServices } from '../../../api/src/context.js';
import { ormConfig } from '../../../api/src/db/orm.config.js';
import { createEventBus } from '../../../api/src/live/transports.js';
import { createRateLimits } from '../../../api/src/limits/rate-limits.js';
import { RoundTrees } from '../../../api/src/rounds/round-trees.js';
import { createApi } from '../../../api/src/server.js';
import { GENEROUS_RATE_LIMITS, demo, startTestApi, type TestApi } from '../../support/api.js';
import { createFramework, openRound } from '../rounds/fixtures.js';
import { GraphQLClient } from '../../support/client.js';

/**
 * Another API process in all but the OS process: its own ORM pool, bus connection and HTTP server,
 * over the first one's database; on `port` when given (to restart it where a web server expects it).
 */
export async function startSecondApi(first: TestApi, env: Record<string, string> = {}, port = 0) {
  const config = loadConfig({ NODE_ENV: 'test', DATABASE_URL: first.db.url, PASSWORD_HASH_MEMORY_KIB: '19456', LOG_LEVEL: 'silent', ...GENEROUS_RATE_LIMITS, ...env });
  const log = pino({ level: config.LOG_LEVEL });
  const orm = await MikroORM.init(ormConfig({ clientUrl: first.db.url, poolMax: 5 }));
  const app: AppServices = { ...first.app, config, log, rateLimits: createRateLimits(config, { embedded: first.db.embedded }), live: createEventBus({ config, orm, log, embedded: first.db.embedded }), roundTrees: new RoundTrees(config.ROUND_TREE_CACHE_ROUNDS) };
  const api = await createApi(orm, app);
  const bound = await api.listen(port, '127.0.0.1');
  const graphqlUrl = `http://127.0.0.1:${bound}/graphql`;
  return {
    app,
    url: `http://127.0.0.1:${bound}`,
    port: bound,
    graphqlUrl,
    /** Signs in through this process; the session is the same database row either process reads. */
    as: async (email: string, password = 'consulta-demo-2026') => {
      const c = new GraphQLClient(graphqlUrl);
      await c.signIn(email, password);
      return c;
    },
    stop: async () => {
      await api.stop();
      await app.rateLimits.close();
      await app.live.close();
      await orm.close(true);
    },
  };
}

export const ROUND_ACTIVITY = `subscription($roundId: ID!, $indicatorVersionId: ID, $afterSequence: Int) {
  roundActivity(roundId: $roundId, indicatorVersionId: $indicatorVersionId, afterSequence: $afterSequence) { topic sequence kind roundId indicatorVersionId commentId threadId } }`;

export const wsUrl = (graphqlUrl: string) => graphqlUrl.replace(/^http/, 'ws');

/** A WebSocket that presents the session cookie on the upgrade request, as a browser does. */
export function cookieSocket(cookie: string, headers: Record<string, string> = {}) {
  return class extends WebSocket {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols, { headers: { ...(cookie ? { cookie } : {}), ...headers } });
    }
  };
}

export interface Received<T = any> {
  data?: T;
  errors?: Array<{ message: string; extensions?: { code?: string; reason?: string } }>;
  at: number;
}

/** A graphql-ws client subscribed to one operation, collecting what arrives. */
export function subscribe(graphqlUrl: string, cookie: string, query: string, variables: Record<string, unknown> = {}) {
  const received: Received[] = [];
  let closed: { code: number; reason: string } | undefined;
  let completed = false;
  const client: Client = createClient({
    url: wsUrl(graphqlUrl),
    webSocketImpl: cookieSocket(cookie),
    retryAttempts: 0,
    on: { closed: (e) => void (closed = { code: (e as { code: number }).code, reason: (e as { reason: string }).reason }) },
  });
  const dispose = client.subscribe(
    { query, variables },
    {
      next: (r) => void received.push({ ...(r as object), at: Date.now() }),
      error: (e) => void received.push({ errors: Array.isArray(e) ? e : [{ message: String((e as { reason?: string })?.reason ?? e) }], at: Date.now() }),
      complete: () => void (completed = true),
    },
  );
  let disposed = false;
  const close = async () => {
    if (disposed) return;
    disposed = true;
    dispose();
    await client.dispose();
  };
  // A test that fails before its own close() must not leave its subscription to the next test,
  // which counts the server's subscriptions (`following`).
  if (expect.getState().currentTestName) onTestFinished(close);
  return {
    received,
    get closed() {
      return closed;
    },
    get completed() {
      return completed;
    },
    /** Waits until the server closed the socket (or fails after `ms`). */
    async waitForClose(ms = 3000) {
      await until(() => closed !== undefined, ms, () => `the socket was not closed; received ${JSON.stringify(received)}`);
      return closed!;
    },
    /** Waits until `count` results arrived (or fails after `ms`). */
    async waitFor(count: number, ms = 3000) {
      await until(() => received.length >= count, ms, () => `expected ${count} results, got ${received.length}: ${JSON.stringify(received)}`);
      return received;
    },
    close,
  };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits until `fact` holds, checking every 10 ms; fails with `failure()` after `ms`. */
export async function until(fact: () => boolean, ms: number, failure: () => string) {
  const deadline = Date.now() + ms;
  while (!fact()) {
    if (Date.now() > deadline) throw new Error(failure());
    await sleep(10);
  }
}

/**
 * Waits until the API process `server` follows `topic` with exactly `count` subscriptions, each
 * from a known sequence on (EventBus.following): after that, every event committed reaches them.
 * 0 after closing: the server let go of them.
 */
export async function following(server: { app: Pick<AppServices, 'live'> }, topic: string, count: number, ms = 5000) {
  await until(() => server.app.live.following(topic) === count, ms, () => `expected ${count} subscriptions following ${topic}, the server has ${server.app.live.following(topic)}`);
}

/**
 * Two API processes over one test database (the bus chosen by `env`), a facilitator signed in on
 * the first, a stakeholder on the second, and an open round on a small framework.
 */
export async function twoProcessesWithRound(slug: string, perArea: number, env: Record<string, string> = {}) {
  const api = await startTestApi({ env });
  const second = await startSecondApi(api, env);
  const facilitator = await api.as(demo.facilitator);
  const stakeholderOnSecond = await second.as(demo.stakeholder);
  const fw = await createFramework(api.db.orm, { slug, areas: 1, perArea });
  const roundId = (await openRound(facilitator, fw)).id as string;
  return { api, second, facilitator, stakeholderOnSecond, fw, roundId };
}
