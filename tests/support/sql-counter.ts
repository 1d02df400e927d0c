import { createRequire } from 'node:module';
import type pgTypes from 'pg';
import { currentTask, JOB_QUEUE_APPLICATION_NAME } from '../../api/src/jobs/queue.js';

// The copy of pg the API's ORM loads (tests/ may hold another copy of its own).
const pg = createRequire(new URL('../../api/package.json', import.meta.url))('pg') as typeof pgTypes;

/** The job queue's own statements and those of the jobs it runs: work after the request, not the request's. */
const byJobQueue = (client: pgTypes.Client) =>
  currentTask() !== undefined || (client as unknown as { connectionParameters?: { application_name?: string } }).connectionParameters?.application_name === JOB_QUEUE_APPLICATION_NAME;

export interface SqlCount<T> {
  result: T;
  /** Statements sent to PostgreSQL while `fn` ran. */
  count: number;
  statements: string[];
}

/**
 * Counts the SQL statements every pg client in this process sends while `fn` runs (the test API
 * runs in the test's process), but the job queue's. Run nothing else against the database meanwhile.
 */
export async function countSql<T>(fn: () => Promise<T>): Promise<SqlCount<T>> {
  const statements: string[] = [];
  const original = pg.Client.prototype.query;
  pg.Client.prototype.query = function (this: pgTypes.Client, ...args: unknown[]) {
    const first = args[0] as string | { text?: string };
    if (!byJobQueue(this)) statements.push(typeof first === 'string' ? first : (first?.text ?? String(first)));
    return (original as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof original;
  try {
    const result = await fn();
    return { result, count: statements.length, statements };
  } finally {
    pg.Client.prototype.query = original;
  }
}
