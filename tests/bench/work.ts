/**
 * The database work per request of castVote and addComment, counted rather than timed (a loaded
 * machine changes the times, hardly the counts): transactions, jobs added and done, and rows written,
 * from PostgreSQL's statistics before and after a fixed number of requests at c=1 and c=32. After
 * `npm run build` at the root, in tests/: `node --import tsx bench/work.ts`.
 */
import 'reflect-metadata';
import pg from 'pg';
import { generate, shape } from './generate.js';
import { startApi } from './processes.js';
import { scenarios } from './scenarios.js';

const g = await generate(shape(0.02));
const api = await startApi(g.db.url);
const c = new pg.Client({ connectionString: g.db.url });
await c.connect();
const stats = async () => {
  await new Promise((r) => setTimeout(r, 12_000)); // idle backends flush their statistics within 10 s
  const { rows: [d] } = await c.query('select xact_commit::int as tx, tup_inserted::int as ins, tup_updated::int as upd, tup_deleted::int as del from pg_stat_database where datname = current_database()');
  const { rows: [j] } = await c.query("select coalesce(sum(n_tup_del),0)::int as done, coalesce(sum(n_tup_ins),0)::int as added, coalesce(sum(n_tup_upd),0)::int as upd from pg_stat_user_tables where schemaname = 'graphile_worker' and relname = '_private_jobs'");
  return { ...d, jobsDone: j.done, jobsAdded: j.added, jobRowUpdates: j.upd };
};
console.log('| scenario | conc. | requests | failed | transactions | jobs added | job-row updates | jobs done | rows inserted | rows updated | rows deleted | ms |');
try {
  for (const name of ['castVote', 'addComment']) {
    const s = scenarios(g).find((x) => x.name === name)!;
    for (const conc of [1, 32]) {
      const N = name === 'castVote' ? 640 : 320;
      const before = await stats();
      let sent = 0;
      let failed = 0;
      const t0 = Date.now();
      await Promise.all(Array.from({ length: conc }, async () => {
        while (sent < N) {
          sent++;
          const { cookie, body } = s.ours.next();
          const res = await fetch(api.url + s.ours.path, { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body });
          const text = await res.text();
          if (res.status !== 200 || text.includes('"errors"')) failed++;
        }
      }));
      const ms = Date.now() - t0;
      const after = await stats();
      // Per request.
      const per = (k: keyof typeof after) => ((after[k] - before[k]) / N).toFixed(2);
      console.log(`| ${name} | ${conc} | ${N} | ${failed} | ${per('tx')} | ${per('jobsAdded')} | ${per('jobRowUpdates')} | ${per('jobsDone')} | ${per('ins')} | ${per('upd')} | ${per('del')} | ${ms} |`);
    }
  }
} finally {
  await c.end();
  await api.stop();
  await g.db.drop();
}
