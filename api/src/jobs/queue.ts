import { AsyncLocalStorage } from 'node:async_hooks';
import type { MikroORM } from '@mikro-orm/postgresql';
import { Logger as WorkerLogger, run, runMigrations, type Runner, type TaskList } from 'graphile-worker';
import pg from 'pg';
import type { Logger } from 'pino';
import type { AppServices } from '../context.js';
import { registeredTasks } from './tasks.js';

/** The job queue of this process: graphile-worker on the application's database, schema `graphile_worker`. */
export interface JobQueue {
  /** Lets the running jobs finish, then stops taking new ones. */
  stop(): Promise<void>;
}

/** The name the queue's own connections give PostgreSQL (pg_stat_activity, and tests counting a request's statements). */
export const JOB_QUEUE_APPLICATION_NAME = 'consulta-jobs';

const runningTask = new AsyncLocalStorage<string>();

/** The task the calling code runs for, if it runs inside a job. */
export const currentTask = (): string | undefined => runningTask.getStore();

/** Jobs run at once per process; placements of one round queue behind each other anyway. */
const CONCURRENCY = 4;

/**
 * Starts working through the queue in this process, with every task defined so far (the schema's
 * modules define theirs as the server imports them). Every API process runs one: a job goes to exactly one of them.
 *
 * The embedded PGlite is one session behind its socket, shared by every connection: a
 * notification reaches whichever connection's statement raised it, not the worker's LISTEN, so
 * there the worker polls often, and it prepares no named statements (their names would collide
 * in the shared session).
 */
export async function startJobQueue(orm: MikroORM, app: AppServices, options: { embedded: boolean }): Promise<JobQueue> {
  const { embedded } = options;
  const pgPool = new pg.Pool({ connectionString: orm.config.get('clientUrl'), max: embedded ? 2 : CONCURRENCY + 1, application_name: JOB_QUEUE_APPLICATION_NAME });
  pgPool.on('error', (err) => app.log.warn({ err }, 'a job queue connection failed'));
  const logger = workerLogger(app.log);
  const tasks = registeredTasks();
  const taskList: TaskList = Object.fromEntries(
    tasks.map((t) => [t.name, (payload: unknown, helpers) => runningTask.run(t.name, () => t.run(payload, { em: orm.em.fork(), app, attempt: helpers.job.attempts }))]),
  );
  const runner: Runner = await run({
    pgPool,
    logger,
    taskList,
    crontab: tasks.filter((t) => t.cron).map((t) => `${t.cron} ${t.name}`).join('\n'),
    concurrency: embedded ? 1 : CONCURRENCY,
    pollInterval: embedded ? 200 : 2000,
    noPreparedStatements: embedded,
    noHandleSignals: true,
  });
  return {
    stop: async () => {
      await runner.stop();
      await pgPool.end();
    },
  };
}

/**
 * Creates or updates the queue's schema, `graphile_worker`, next to the application's: wherever
 * the migrations run, since writes add jobs inside their transactions.
 */
export async function migrateJobQueue(orm: MikroORM): Promise<void> {
  await runMigrations({ connectionString: orm.config.get('clientUrl'), logger: new WorkerLogger(() => () => {}) });
}

/** graphile-worker's log lines through the API's logger. */
function workerLogger(log: Logger) {
  return new WorkerLogger((scope) => (level, message, meta) => {
    const fields = { ...meta, jobQueue: scope };
    if (level === 'error') log.error(fields, message);
    else if (level === 'warning') log.warn(fields, message);
    else if (level === 'info') log.info(fields, message);
    else log.debug(fields, message);
  });
}
