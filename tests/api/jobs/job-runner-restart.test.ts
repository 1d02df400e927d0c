import { Logger as WorkerLogger, run, type Runner } from 'graphile-worker';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { RESTART_MAX_MS, supervised } from '../../../api/src/jobs/queue.js';
import { createTestDatabase, type TestDatabase } from '../../support/database.js';
import { eventually } from '../../support/jobs.js';

let db: TestDatabase;
let pool: pg.Pool;
beforeAll(async () => {
  db = await createTestDatabase();
  pool = new pg.Pool({ connectionString: db.url, max: 4 });
});
afterAll(async () => {
  await pool?.end();
  await db?.drop();
});

it('starts the job runner again when it stops without being asked, and not once it is stopped', async () => {
  const done: string[] = [];
  const runners: Runner[] = [];
  const logged: unknown[] = [];
  const start = async () => {
    const runner = await run({
      pgPool: pool,
      logger: new WorkerLogger(() => () => {}),
      taskList: { 'test:note': async (payload) => void done.push((payload as { note: string }).note) },
      concurrency: 1,
      pollInterval: 100,
      noHandleSignals: true,
    });
    runners.push(runner);
    return runner;
  };
  const addJob = (note: string) => pool.query(`select graphile_worker.add_job('test:note', json_build_object('note', $1::text))`, [note]);
  const queue = await supervised(start, { error: (entry: unknown) => void logged.push(entry) });

  await addJob('first');
  await eventually(async () => done.includes('first'), () => 'the first runner ran no job');

  // As graphile-worker's runner does when its cron or worker pool fails: it stops, and its promise resolves.
  await runners[0].stop();
  await addJob('after the stop');
  await eventually(async () => done.includes('after the stop'), () => 'no runner took the job after the first one stopped', RESTART_MAX_MS + 10_000);
  expect(runners).toHaveLength(2);
  expect(logged).toHaveLength(1);

  await queue.stop();
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  expect(runners, 'a runner started after the queue was stopped').toHaveLength(2);
  await addJob('after the queue stopped');
  await new Promise((resolve) => setTimeout(resolve, 500));
  expect(done).not.toContain('after the queue stopped');
});
