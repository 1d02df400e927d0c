import { pino, type DestinationStream } from 'pino';
import { loadConfig } from '../../api/src/config.js';
import type { AppServices } from '../../api/src/context.js';
import { passwordHasher } from '../../api/src/auth/password.js';
import { createMailTransport } from '../../api/src/mail/mail-transport.js';
import { createApi } from '../../api/src/server.js';
import { startJobQueue } from '../../api/src/jobs/queue.js';
import { createRateLimits } from '../../api/src/limits/rate-limits.js';
import { createEventBus } from '../../api/src/live/transports.js';
import { RoundTrees } from '../../api/src/rounds/round-trees.js';
import { demoSteps } from '../../api/src/demo-steps.js';
import { seedDemo } from '../../api/src/seed/seed.service.js';
import { createTestDatabase, TEST_SERVER_URL, type TestDatabase } from './database.js';
import { GraphQLClient } from './client.js';
import { settled } from './jobs.js';
import { fileStore } from '../../api/src/storage/file-store.js';

export const DEMO_PASSWORD = 'consulta-demo-2026';
export const demo = {
  admin: 'admin@consulta.demo',
  facilitator: 'facilitadora@consulta.demo',
  member: 'miembro.redcamif@consulta.demo',
  member2: 'miembro.rfr@consulta.demo',
  member3: 'miembro.copeme@consulta.demo',
  stakeholder: 'actor@consulta.demo',
  stakeholderEn: 'stakeholder@consulta.demo',
} as const;

/** Suites sign in and out many times from one IP; a test of the limits themselves passes its own through `env`. */
export const GENEROUS_RATE_LIMITS = {
  RATE_LIMIT_SIGN_IN_EMAIL_NETWORK: '10000/60',
  RATE_LIMIT_SIGN_IN_EMAIL: '10000/60',
  RATE_LIMIT_SIGN_IN_IP: '10000/60',
  RATE_LIMIT_SIGN_IN_DEVICE: '10000/60',
  SIGN_IN_FREE_FAILURES: '10000',
  RATE_LIMIT_INVITATION_IP: '10000/60',
  RATE_LIMIT_COMMENT_USER: '10000/60',
  RATE_LIMIT_SIGN_UP_EMAIL: '10000/60',
  RATE_LIMIT_SIGN_UP_IP: '10000/60',
  RATE_LIMIT_PASSWORD_RESET_EMAIL: '10000/60',
  RATE_LIMIT_PASSWORD_RESET_IP: '10000/60',
  RATE_LIMIT_ACCOUNT_LINK_IP: '10000/60',
  RATE_LIMIT_SEAL_VERIFICATION_IP: '10000/60',
  RATE_LIMIT_ORGANIZATION_LOOKUP_IP: '10000/60',
  RATE_LIMIT_PASSWORD_CHANGE_USER: '10000/60',
};

export interface MailboxEntry {
  id: string;
  kind: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  status: string;
  headers: Record<string, string>;
}

export interface TestApi {
  /** e.g. http://127.0.0.1:41234 */
  url: string;
  graphqlUrl: string;
  db: TestDatabase;
  app: AppServices;
  /**
   * The messages queued so far, oldest first, once their jobs ran: without SMTP_URL the development
   * mailbox; with it (`env: { SMTP_URL: smtp.url }`, support/smtp.ts) what was sent or tried.
   */
  mailbox(): Promise<MailboxEntry[]>;
  /** A client with its own cookie jar; `as(email)` signs it in with the demo password. */
  client(): GraphQLClient;
  as(email: string, password?: string): Promise<GraphQLClient>;
  stop(): Promise<void>;
}

/**
 * The real API (Apollo + Express) on a free port, over a fresh database on the real server,
 * with the demo data loaded unless `seed: 'none'`.
 */
export async function startTestApi(
  options: { seed?: 'demo' | 'none'; env?: Record<string, string>; db?: TestDatabase; /** Where the log lines go (pino's JSON), to read them. */ logTo?: DestinationStream } = {},
): Promise<TestApi> {
  const demo = (options.seed ?? 'demo') === 'demo';
  // The demo template's password hashes have this file's default cost: a suite asking for another seeds its own.
  const db = options.db ?? (await createTestDatabase(TEST_SERVER_URL, demo && !options.env?.PASSWORD_HASH_MEMORY_KIB ? 'demo' : 'migrated'));
  const config = loadConfig({ NODE_ENV: 'test', DATABASE_URL: db.url, PASSWORD_HASH_MEMORY_KIB: '19456', LOG_LEVEL: 'silent', ...GENEROUS_RATE_LIMITS, ...options.env });
  const log = options.logTo ? pino({ level: config.LOG_LEVEL }, options.logTo) : pino({ level: config.LOG_LEVEL });
  const app: AppServices = { config, log, hasher: passwordHasher(config.PASSWORD_HASH_MEMORY_KIB), mail: createMailTransport(config, log), rateLimits: createRateLimits(config, { embedded: db.embedded }), live: createEventBus({ config, orm: db.orm, log, embedded: db.embedded }), roundTrees: new RoundTrees(config.ROUND_TREE_CACHE_ROUNDS) };
  // As main.ts: the queue runs before the demo data is written.
  const jobs = await startJobQueue(db.orm, app, { embedded: db.embedded });
  if (demo && !db.demo) await seedDemo(db.orm.em.fork(), demoSteps(app.hasher, fileStore(app.config)));
  const api = await createApi(db.orm, app);
  const port = await api.listen(0, '127.0.0.1');
  const url = `http://127.0.0.1:${port}`;
  const graphqlUrl = `${url}/graphql`;
  return {
    url,
    graphqlUrl,
    db,
    app,
    mailbox: async () => {
      await settled(db.orm);
      return db.orm.em.fork().execute<MailboxEntry[]>(
        'select id, kind, to_address as "to", subject, text_body as text, html_body as html, status, headers from mail_message order by created_at, id',
      );
    },
    client: () => new GraphQLClient(graphqlUrl),
    as: async (email, password = DEMO_PASSWORD) => {
      const c = new GraphQLClient(graphqlUrl);
      await c.signIn(email, password);
      return c;
    },
    stop: async () => {
      await api.stop();
      await jobs.stop();
      await app.rateLimits.close();
      await app.live.close();
      app.mail.close();
      await db.drop();
    },
  };
}
