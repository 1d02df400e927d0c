import { generate, shape } from './generate.js';
import { startChild, ROOT } from './processes.js';
import { scenarios } from './scenarios.js';
const g = await generate(shape(0.01));
const api = await startChild('api', `${ROOT}api`, ['--cpu-prof', '--cpu-prof-dir=/tmp/benchprof', '--import', 'tsx', 'src/main.ts'], { DATABASE_URL: g.db.url, LOG_LEVEL: 'error', SEED: 'none', NODE_ENV: 'production', RATE_LIMIT_COMMENT_USER: '100000/60' }, '/readyz');
try {
  const [round] = scenarios(g);
  const t = performance.now();
  for (let i = 0; i < 40; i++) {
    const { cookie, body } = round.ours.next();
    const res = await fetch(api.url + '/graphql', { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body });
    await res.text();
  }
  console.log('avg ms', (performance.now() - t) / 40);
} finally { const t0=Date.now(); api.process.kill('SIGTERM'); await new Promise((r) => api.process.once('exit', r)); console.log('exit after', Date.now()-t0); await g.db.drop(); }
