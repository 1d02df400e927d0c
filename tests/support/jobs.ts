import type { MikroORM } from '@mikro-orm/postgresql';
import { unsentTopics } from '../../api/src/live/live-event.log.js';
import { liveDispatch } from '../../api/src/live/publish.js';

/** Waits until `fact` holds, checking every 20 ms: for what a job does after the write that enqueued it. Fails with `failure()` after `ms`. */
export async function eventually(fact: () => Promise<boolean> | boolean, failure: () => string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await fact())) {
    if (Date.now() > deadline) throw new Error(failure());
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * Jobs waiting or running, of one task or of all: 0 once the queue has done everything due. A job that
 * failed and waits for its retry counts too, though its retry is due later: its work is not done; so
 * does a live event's dispatch, and a topic with events not sent yet, whose dispatch job the writer's
 * process adds a few milliseconds after the commit.
 */
export async function pendingJobs(orm: MikroORM, task?: string): Promise<number> {
  const em = orm.em.fork();
  const [{ n }] = await em.execute<{ n: number }[]>(
    `select count(*)::int as n from graphile_worker.jobs where (run_at <= now() or attempts > 0 or task_identifier = 'live:dispatch') and attempts < max_attempts and (?::text is null or task_identifier = ?)`,
    [task ?? null, task ?? null],
  );
  return n + (task === undefined || task === liveDispatch.name ? (await unsentTopics(em)).length : 0);
}

/** Waits until every job due now has run (or failed for good): the reactions to the writes so far are done. Fails with what still waits. */
export async function settled(orm: MikroORM, ms = 10_000): Promise<void> {
  try {
    await eventually(async () => (await pendingJobs(orm)) === 0, () => 'jobs were still waiting', ms);
  } catch (err) {
    const waiting = await orm.em.fork().execute(`select id, task_identifier, key, run_at, attempts, max_attempts, locked_at, last_error from graphile_worker.jobs order by id`);
    const topics = await unsentTopics(orm.em.fork());
    throw new Error(`${(err as Error).message}: ${JSON.stringify({ jobs: waiting, unsentTopics: topics })}`);
  }
}

/**
 * Moves a clock job to now, as if its time had come: a test cannot wait for the real closing time. A
 * job being run, or whose failure the queue has not recorded yet, is locked and cannot be moved:
 * waits until it can (a failed job's retry is what a test moves most).
 */
export async function runClockJobNow(orm: MikroORM, jobKey: string): Promise<void> {
  await eventually(
    async () => (await orm.em.fork().execute('select graphile_worker.reschedule_jobs(array(select id from graphile_worker.jobs where key = ?), run_at => now())', [jobKey])).length > 0,
    () => `no job with key ${jobKey} that could be moved`,
  );
}
