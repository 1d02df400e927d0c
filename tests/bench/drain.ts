/** Between two timed turns of the bench: nothing of the first may be measured as the second's load. */
import pg from 'pg';
import { cpuMs, type Child } from './processes.js';

/**
 * Waits until the run just ended has left no work behind (at most 120 s): no statement of it still
 * executing on the bench database, and the server's process idle (at most one 10 ms clock tick of
 * CPU in the last 500 ms). A server that fell behind keeps working through the requests it had
 * taken after the load stops (autocannon closes its connections, it does not wait for the
 * answers): PostGraphile's indicator page for minutes, ours' comment list at 2,000,000 comments,
 * whose queued requests wait in the process for a connection while the database looks idle. That
 * work would be measured as the next turn's load. Statements still running after 30 s are
 * cancelled, again each second.
 */
export async function drain(databaseUrl: string, server: Child) {
  const db = new URL(databaseUrl).pathname.slice(1);
  const pid = server.process.pid!;
  const c = new pg.Client({ connectionString: databaseUrl });
  await c.connect();
  try {
    const busy = `select pid from pg_stat_activity where datname = $1 and state = 'active' and pid <> pg_backend_pid()`;
    const STEP = 100;
    const cpu: number[] = [];
    let cancelled = 0;
    let waited = 0;
    for (; waited < 120_000; waited += STEP) {
      cpu.push(cpuMs(pid));
      const processIdle = cpu.length > 5 && cpu[cpu.length - 1] - cpu[cpu.length - 6] <= 10;
      if (processIdle && (await c.query(busy, [db])).rowCount === 0) break;
      if (waited >= 30_000 && waited % 1000 === 0) cancelled += (await c.query(`select pg_cancel_backend(pid) from (${busy}) s`, [db])).rowCount ?? 0;
      await new Promise((r) => setTimeout(r, STEP));
    }
    if (waited > 2000 || cancelled) console.log(`  (drained for ${(waited / 1000).toFixed(1)} s${cancelled ? `, cancelled ${cancelled} statements still running 30 s or more after the run` : ''})`);
  } finally {
    await c.end();
  }
}
