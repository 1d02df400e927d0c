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
  const seeded = await seedDemoIfEmpty(db.orm, app.hasher);
  if (seeded) log.info(seeded, 'loaded the demo data');
}
// Ballots past their closing time are also decided on first access; this catches the ones nobody opens.
const closeDue = () =>
  closeDueBallots(db.orm.em)
    .then((closed) => closed && log.info({ closed }, 'decided ballots past their closing time'))
    .catch((err) => log.error({ err }, 'deciding due ballots failed'));
await closeDue();
const ballotClock = setInterval(closeDue, 60_000).unref();
// The event log would grow with every comment and vote for as long as the platform runs.
const pruneEvents = () =>
  pruneLiveEvents(db.orm.em.fork(), new Date(Date.now() - config.LIVE_EVENT_RETENTION_DAYS * 86_400_000))
    .then((pruned) => pruned && log.info({ pruned }, 'pruned old live events'))
    .catch((err) => log.error({ err }, 'pruning live events failed'));
await pruneEvents();
const eventPruner = setInterval(pruneEvents, 3_600_000).unref();
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
