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
}

const registry = new Map<string, TaskDefinition<never>>();

/**
 * Registers a task under its name, for every queue this process runs. Features define theirs in
 * their own modules, which the server's schema imports before the queue starts.
 */
export function defineTask<P>(name: string, run: (payload: P, ctx: JobContext) => Promise<void>, options: { everyMinutes?: number } = {}): TaskDefinition<P> {
  if (registry.has(name)) throw new Error(`Two tasks are named ${name}`);
  const task: TaskDefinition<P> = { name, run, everyMinutes: options.everyMinutes };
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
}

/**
 * Adds a job in the caller's transaction (graphile-worker's `add_job`): it exists if and only if
 * that transaction commits, and no worker sees it before.
 */
export async function enqueue<P>(em: EntityManager, task: TaskDefinition<P>, payload: P, options: EnqueueOptions = {}): Promise<void> {
  await em.execute('select graphile_worker.add_job(?, ?::json, run_at => ?::timestamptz, job_key => ?, max_attempts => ?::int)', [
    task.name,
    JSON.stringify(payload),
    options.runAt ?? null,
    options.jobKey ?? null,
    options.maxAttempts ?? null,
  ]);
}
