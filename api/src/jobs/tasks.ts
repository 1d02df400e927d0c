import type { EntityManager } from '@mikro-orm/postgresql';
import type { AppServices } from '../context.js';
import type { Config } from '../config.js';

/** What a task's run receives: its own entity manager (open a transaction on it for writes) and the process's services. */
export interface JobContext {
  em: EntityManager;
  app: AppServices;
  /** 1 on the first delivery, more on retries. */
  attempt: number;
}

/**
 * A kind of job, defined by the feature that reacts. Delivery is at least once (a job whose run
 * committed may run again when its completion was lost): `run` must be idempotent.
 */
export interface TaskDefinition<P> {
  readonly name: string;
  readonly run: (payload: P, ctx: JobContext) => Promise<void>;
  /** For a task the clock starts: every this many minutes (a divisor of 60, or 60 for hourly), on the hour's boundaries. */
  readonly everyMinutes?: number;
  /** Also once as each process's queue starts: a periodic task that catches up on what a stopped process left. */
  readonly atStart?: boolean;
}

const registry = new Map<string, TaskDefinition<never>>();

/**
 * Registers a task under its name, for every queue this process runs. Features define theirs in
 * their own modules, which the server's schema imports before the queue starts.
 */
export function defineTask<P>(name: string, run: (payload: P, ctx: JobContext) => Promise<void>, options: { everyMinutes?: number; atStart?: boolean } = {}): TaskDefinition<P> {
  if (registry.has(name)) throw new Error(`Two tasks are named ${name}`);
  const task: TaskDefinition<P> = { name, run, everyMinutes: options.everyMinutes, atStart: options.atStart };
  registry.set(name, task as TaskDefinition<never>);
  return task;
}

/**
 * An hourly task that deletes what `prune` finds older than `keptDays` allow, logging how much went:
 * how every store that would otherwise grow forever (old events, keys, links, sessions) is kept small.
 */
export function definePruning(name: string, what: string, keptDays: (config: Config) => number, prune: (em: EntityManager, before: Date) => Promise<number>): TaskDefinition<Record<string, never>> {
  return defineTask<Record<string, never>>(
    name,
    async (_, { em, app }) => {
      const count = await prune(em, new Date(Date.now() - keptDays(app.config) * 86_400_000));
      if (count) app.log.info({ count }, `pruned ${what}`);
    },
    { everyMinutes: 60 },
  );
}

export function registeredTasks(): TaskDefinition<unknown>[] {
  return [...registry.values()] as TaskDefinition<unknown>[];
}

export interface EnqueueOptions {
  /** Not before this time (default now). */
  runAt?: Date;
  /**
   * At most one waiting job per key: enqueueing again replaces its payload and time (a closing
   * time moved), so a clock job follows the latest setting.
   */
  jobKey?: string;
  /** How many times it is tried before it fails for good (graphile-worker's default: 25, the last about three days on). */
  maxAttempts?: number;
  /** Jobs of one named queue run one at a time, across processes: those waiting take no worker's slot. */
  queueName?: string;
}

/**
 * Adds a job in the caller's transaction (graphile-worker's `add_job`): it exists if and only if
 * that transaction commits, and no worker sees it before.
 */
export async function enqueue<P>(em: EntityManager, task: TaskDefinition<P>, payload: P, options: EnqueueOptions = {}): Promise<void> {
  await em.execute('select graphile_worker.add_job(?, ?::json, queue_name => ?, run_at => ?::timestamptz, job_key => ?, max_attempts => ?::int)', [
    task.name,
    JSON.stringify(payload),
    options.queueName ?? null,
    options.runAt ?? null,
    options.jobKey ?? null,
    options.maxAttempts ?? null,
  ]);
}

/** A job to add under a key: at most one of each key waits (graphile-worker's job key). */
export interface KeyedJob {
  task: string;
  jobKey: string;
  payload: unknown;
  /** As in `EnqueueOptions`. */
  maxAttempts?: number;
}

export const keyedJob = <P>(task: TaskDefinition<P>, jobKey: string, payload: P, maxAttempts?: number): KeyedJob => ({ task: task.name, jobKey, payload, maxAttempts });

/**
 * Adds jobs due now in one statement (graphile-worker's `add_jobs`), in the caller's transaction if
 * any; a job already waiting under a key is joined (keeping its time), a running one is not.
 */
export async function enqueueKeyed(em: EntityManager, jobs: KeyedJob[]): Promise<void> {
  // In key order: two processes adding the same keys lock the job rows in one order.
  const sorted = [...jobs].sort((a, b) => (a.jobKey < b.jobKey ? -1 : a.jobKey > b.jobKey ? 1 : 0));
  await em.execute(
    `select count(*) from graphile_worker.add_jobs(array(
       select (t.task, t.payload::json, null, now(), t.max_attempts, t.job_key, null, null)::graphile_worker.job_spec
       from unnest(array[?]::text[], array[?]::text[], array[?]::smallint[], array[?]::text[]) as t(task, payload, max_attempts, job_key)), true)`,
    [sorted.map((j) => j.task), sorted.map((j) => JSON.stringify(j.payload)), sorted.map((j) => j.maxAttempts ?? null), sorted.map((j) => j.jobKey)],
  );
}
