import { AsyncLocalStorage } from 'node:async_hooks';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { Logger as WorkerLogger, run, runMigrations, runTaskListOnce, type TaskList } from 'graphile-worker';
import pg from 'pg';
import type { Logger } from 'pino';
import type { AppServices } from '../context.js';
import { enqueue, enqueueKeyed, registeredTasks, type KeyedJob, type TaskDefinition } from './tasks.js';

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
/** How often the embedded database's queue looks for due jobs. */
const EMBEDDED_POLL_MS = 200;
/**
 * Completions and failures go through graphile-worker's batcher, which stopping waits for: unbatched
 * (0.17's default), a job that ended just before a stop could stay locked, for four hours, when its
 * record lost the race with the pool's end.
 */
const RECORDED_BEFORE_STOP = { worker: { completeJobBatchDelay: 0, failJobBatchDelay: 0 } };

/**
 * Creates or updates the queue's schema, `graphile_worker`, next to the application's: wherever
 * the migrations run, since writes add jobs inside their transactions.
 */
export async function migrateJobQueue(orm: MikroORM): Promise<void> {
  await runMigrations({ connectionString: orm.config.get('clientUrl'), logger: new WorkerLogger(() => () => {}) });
}

/**
 * Starts working through the queue in this process, with every task defined so far (the schema's
 * modules define theirs as the server imports them). Every API process runs one: a job goes to
 * exactly one of them.
 */
export async function startJobQueue(orm: MikroORM, app: AppServices, options: { embedded: boolean }): Promise<JobQueue> {
  const tasks = registeredTasks();
  const taskList: TaskList = Object.fromEntries(
    tasks.map((t) => [t.name, (payload: unknown, helpers) => runningTask.run(t.name, () => t.run(payload, { em: orm.em.fork(), app, attempt: helpers.job.attempts }))]),
  );
  const logger = workerLogger(app.log);
  for (const task of tasks.filter((t) => t.atStart)) await enqueue(orm.em.fork(), task, {}, { jobKey: task.name });
  if (options.embedded) return embeddedQueue(orm, app, taskList, tasks, logger);

  const pgPool = new pg.Pool({ connectionString: orm.config.get('clientUrl'), max: CONCURRENCY + 1, application_name: JOB_QUEUE_APPLICATION_NAME });
  // An idle connection's failure reaches the pool, a busy one's its client: neither may go unheard (and end the process).
  const connectionFailed = (err: Error) => app.log.warn({ err }, 'a job queue connection failed');
  pgPool.on('error', connectionFailed);
  pgPool.on('connect', (client) => client.on('error', connectionFailed));
  const runner = await supervised(
    () =>
      run({
        pgPool,
        logger,
        taskList,
        crontab: tasks
          .filter((t) => t.everyMinutes)
          .map((t) => `${t.everyMinutes! >= 60 ? '0' : `*/${t.everyMinutes}`} * * * * ${t.name}`)
          .join('\n'),
        concurrency: CONCURRENCY,
        preset: RECORDED_BEFORE_STOP,
        noHandleSignals: true,
      }),
    app.log,
  );
  return {
    stop: async () => {
      await runner.stop();
      await pgPool.end();
    },
  };
}

/** The longest wait before starting a stopped job runner again; the first is half a second, doubling. */
export const RESTART_MAX_MS = 8_000;

interface SupervisedRunner {
  stop(): Promise<void>;
  promise: Promise<void>;
}

/**
 * Runs the job runner `start` makes, and starts another whenever one stops without being asked
 * to. graphile-worker's runner stops for good when its worker pool or its cron fails (the cron's
 * read at a minute's turn while the database restarts, say), and its promise then resolves as if
 * all were well: unwatched, the process would go on answering requests with no jobs run. The first
 * start's failure is the caller's; later ones are retried.
 */
export async function supervised(start: () => Promise<SupervisedRunner>, log: Pick<Logger, 'error'>): Promise<{ stop(): Promise<void> }> {
  let stopping = false;
  let current = await start();
  let retry: NodeJS.Timeout | undefined;
  let restarting: Promise<void> = Promise.resolve();
  // A runner that stops within a minute of its start counts as one more failure in a row: the wait doubles.
  const restartAfter = (err: unknown, failures: number) => {
    if (stopping) return;
    const delay = Math.min(RESTART_MAX_MS, 500 * 2 ** failures);
    log.error({ err, restartInMs: delay }, 'the job queue stopped; starting it again');
    retry = setTimeout(() => {
      restarting = start().then(
        (next) => {
          current = next;
          watch(next, failures + 1);
        },
        (startErr) => restartAfter(startErr, failures + 1),
      );
    }, delay);
  };
  const watch = (runner: SupervisedRunner, failures: number) => {
    const startedAt = Date.now();
    const ended = (err: unknown) => restartAfter(err, Date.now() - startedAt < 60_000 ? failures : 0);
    runner.promise.then(() => ended(new Error('the job runner ended')), ended);
  };
  watch(current, 0);
  return {
    stop: async () => {
      stopping = true;
      clearTimeout(retry);
      await restarting;
      await current.stop().catch(() => undefined);
    },
  };
}

/**
 * The embedded PGlite is one session behind its socket, shared by every connection, and it
 * interleaves their protocol messages: a second connection's statement can land between the
 * parse and the execution of the ORM's, which then fails ("unnamed prepared statement does not
 * exist"). So there graphile-worker works through the ORM's one connection, a statement at a
 * time, polling (a notification reaches whichever connection raised it), and the clock's periodic
 * tasks are enqueued by a timer instead of graphile-worker's cron.
 */
function embeddedQueue(orm: MikroORM, app: AppServices, taskList: TaskList, tasks: TaskDefinition<unknown>[], logger: WorkerLogger): JobQueue {
  const knex = orm.em.getConnection().getKnex();
  const client = {
    query: async (...args: unknown[]) => {
      const connection = await knex.client.acquireConnection();
      try {
        return await connection.query(...args);
      } finally {
        await knex.client.releaseConnection(connection);
      }
    },
    release: () => {},
  } as unknown as pg.PoolClient;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let working: Promise<void> = Promise.resolve();
  const poll = () => {
    working = runTaskListOnce({ logger, noHandleSignals: true, noPreparedStatements: true, preset: RECORDED_BEFORE_STOP }, taskList, client)
      .promise.catch((err) => app.log.error({ err }, 'the job queue could not run its jobs'))
      .finally(() => {
        if (!stopped) timer = setTimeout(poll, EMBEDDED_POLL_MS);
      });
  };
  poll();
  const clocks = tasks
    .filter((t) => t.everyMinutes)
    .map((t) =>
      setInterval(() => {
        enqueue(orm.em.fork(), t, {}, { jobKey: t.name }).catch((err) => app.log.error({ err, task: t.name }, 'could not enqueue a periodic job'));
      }, t.everyMinutes! * 60_000).unref(),
    );
  return {
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      clocks.forEach(clearInterval);
      await working;
    },
  };
}

/** Keyed jobs waiting for the end of their window, by job key, per database connection (a test process may run several APIs). */
const gathering = new Map<object, Map<string, KeyedJob>>();

/**
 * Adds a keyed job once the caller's transaction (if any) has committed and `windowMs` have passed,
 * together with every other keyed job this process gathered meanwhile: a burst of writes costs one
 * `add_jobs` statement (and one wake-up of the workers) per window, not a job-row update and a
 * notification each inside the writers' transactions. Not durable: a process that stops first
 * loses what it gathered, so whatever the job is for must also be found by a periodic task (for
 * live events, `liveSweep`).
 */
export function enqueueAfterCommit(em: EntityManager, job: KeyedJob, windowMs: number): void {
  const transaction = em.getTransactionContext<{ executionPromise?: Promise<unknown> }>();
  const connection = em.getConnection();
  const gather = () => {
    let due = gathering.get(connection);
    if (!due) {
      const gathered = (due = new Map<string, KeyedJob>());
      gathering.set(connection, gathered);
      setTimeout(() => {
        gathering.delete(connection);
        // The queue's own statement, not the writer's request's; a failure leaves the work to the periodic task.
        runningTask.run(JOB_QUEUE_APPLICATION_NAME, () => enqueueKeyed(em.fork(), [...gathered.values()])).catch(() => {});
      }, windowMs).unref();
    }
    due.set(job.jobKey, job);
  };
  // A rolled-back transaction has nothing to add.
  (transaction?.executionPromise ?? Promise.resolve()).then(gather, () => {});
}

/** graphile-worker's warnings and errors through the API's logger. */
function workerLogger(log: Logger) {
  return new WorkerLogger((scope) => (level, message, meta) => {
    const fields = { ...meta, jobQueue: scope };
    if (level === 'error') log.error(fields, message);
    else if (level === 'warning') log.warn(fields, message);
    // Its info lines are one per job run: debug here.
    else log.debug(fields, message);
  });
}
