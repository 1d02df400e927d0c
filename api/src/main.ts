import { pino } from 'pino';
import { ConfigError, loadConfig, type Config } from './config.js';
import { openDatabase } from './db/database.js';
import { passwordHasher } from './auth/password.js';
import { createMailTransport } from './mail/mail-transport.js';
import { createApi } from './server.js';
import { createRateLimits } from './limits/rate-limits.js';
import { createEventBus } from './live/transports.js';
import { seedDemoIfEmpty } from './seed/seed.service.js';
import { demoSteps } from './demo-steps.js';
import { FirstAdminRefusal, inviteFirstAdmin } from './auth/first-admin.js';
import type { AppServices } from './context.js';
import { RoundTrees } from './rounds/round-trees.js';
import { startJobQueue } from './jobs/queue.js';
import { fileStore } from './storage/file-store.js';

let config: Config;
try {
  config = loadConfig();
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(`Invalid setting ${err.message}`);
    process.exit(2);
  }
  throw err;
}

const log = pino({ level: config.LOG_LEVEL, base: { service: 'api' } });
const db = await openDatabase(config);
const app: AppServices = {
  config,
  log,
  hasher: passwordHasher(config.PASSWORD_HASH_MEMORY_KIB),
  mail: createMailTransport(config, log),
  rateLimits: createRateLimits(config, { embedded: db.embedded }),
  live: createEventBus({ config, orm: db.orm, log, embedded: db.embedded }),
  roundTrees: new RoundTrees(config.ROUND_TREE_CACHE_ROUNDS),
};
// Before the demo data: its writes enqueue jobs. The clock's decisions and every reaction to a write run on it.
const jobs = await startJobQueue(db.orm, app, { embedded: db.embedded });
if (config.seed === 'demo') {
  const seeded = await seedDemoIfEmpty(db.orm, demoSteps(app.hasher, fileStore(app.config)));
  if (seeded) log.info(seeded, 'loaded the demo data');
}
if (config.ADMIN_EMAIL) {
  const outcome = await inviteFirstAdmin(db.orm.em.fork(), config, config.ADMIN_EMAIL, 'ADMIN_EMAIL');
  if (outcome.invited) {
    log.info({ email: outcome.email, link: outcome.link, expiresAt: outcome.expiresAt }, 'invited the first admin (ADMIN_EMAIL): the link opens once, and is e-mailed when SMTP_URL is set');
  } else if (outcome.reason === FirstAdminRefusal.INVITATION_OPEN) {
    log.info('ADMIN_EMAIL: the first admin\'s invitation is still open; `npm run admin -w api -- create <email>` makes a new link');
  }
}
const api = await createApi(db.orm, app);
const port = await api.listen(config.API_PORT);
log.info({ database: db.description, rateLimits: app.rateLimits.store, liveEvents: app.live.transport }, `Consulta API ready at http://localhost:${port}/graphql`);

let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, async () => {
    if (stopping) return;
    stopping = true;
    log.info(`${signal}: draining in-flight requests`);
    await api.stop();
    await jobs.stop();
    await app.rateLimits.close();
    await app.live.close();
    app.mail.close();
    await db.close();
    process.exit(0);
  });
}
