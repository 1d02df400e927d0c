import { pino } from 'pino';
import { ConfigError, loadConfig, type Config } from './config.js';
import { openDatabase } from './db/database.js';
import { passwordHasher } from './auth/password.js';
import { createMailer } from './auth/mailer.js';
import { createApi } from './server.js';
import { createRateLimits } from './limits/rate-limits.js';
import { createEventBus } from './live/transports.js';
import { pruneLiveEvents } from './live/live-event.log.js';
import { seedDemoIfEmpty } from './seed/seed.service.js';
import { demoSteps } from './demo-steps.js';
import { FirstAdminRefusal, inviteFirstAdmin } from './auth/first-admin.js';
import { invitationMail } from './auth/invitation.service.js';
import { closeDueBallots } from './ballots/ballot.service.js';
import type { AppServices } from './context.js';
import { RoundTrees } from './rounds/round-trees.js';

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
  mailer: createMailer(config.SMTP_URL, config.SMTP_FROM, log),
  rateLimits: createRateLimits(config, { embedded: db.embedded }),
  live: createEventBus({ config, orm: db.orm, log, embedded: db.embedded }),
  roundTrees: new RoundTrees(config.ROUND_TREE_CACHE_ROUNDS),
};
if (config.seed === 'demo') {
  const seeded = await seedDemoIfEmpty(db.orm, demoSteps(app.hasher));
  if (seeded) log.info(seeded, 'loaded the demo data');
}
if (config.ADMIN_EMAIL) {
  const outcome = await inviteFirstAdmin(db.orm.em.fork(), config, config.ADMIN_EMAIL, 'ADMIN_EMAIL');
  if (outcome.invited) {
    log.info({ email: outcome.email, link: outcome.link, expiresAt: outcome.expiresAt }, 'invited the first admin (ADMIN_EMAIL): the link opens once');
    await app.mailer
      .send({ to: outcome.email, ...invitationMail(outcome.language, outcome.name, outcome.link, config.INVITATION_TTL_HOURS) })
      .catch((err) => log.error({ err }, 'the first admin\'s invitation could not be e-mailed; the link above works'));
  } else if (outcome.reason === FirstAdminRefusal.INVITATION_OPEN) {
    log.info('ADMIN_EMAIL: the first admin\'s invitation is still open; `npm run admin -w api -- create <email>` makes a new link');
  }
}
/** Runs a housekeeping job now and then every `ms`, logging how many rows it handled; returns its timer. */
async function every(ms: number, job: () => Promise<number>, done: string, failed: string) {
  const run = () =>
    job()
      .then((count) => count && log.info({ count }, done))
      .catch((err) => log.error({ err }, failed));
  await run();
  return setInterval(run, ms).unref();
}
// Ballots past their closing time are also decided on first access; this catches the ones nobody opens.
const ballotClock = await every(60_000, () => closeDueBallots(db.orm.em, app), 'decided ballots past their closing time', 'deciding due ballots failed');
// The event log would grow with every comment and vote for as long as the platform runs.
const eventPruner = await every(
  3_600_000,
  () => pruneLiveEvents(db.orm.em.fork(), new Date(Date.now() - config.LIVE_EVENT_RETENTION_DAYS * 86_400_000)),
  'pruned old live events',
  'pruning live events failed',
);
const api = await createApi(db.orm, app);
const port = await api.listen(config.API_PORT);
log.info({ database: db.description, rateLimits: app.rateLimits.store, liveEvents: app.live.transport }, `Consulta API ready at http://localhost:${port}/graphql`);

let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, async () => {
    if (stopping) return;
    stopping = true;
    log.info(`${signal}: draining in-flight requests`);
    clearInterval(ballotClock);
    clearInterval(eventPruner);
    await api.stop();
    await app.rateLimits.close();
    await app.live.close();
    await db.close();
    process.exit(0);
  });
}
