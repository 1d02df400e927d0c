import { mkdirSync } from 'node:fs';
import { generate, shape } from './generate.js';
import { startChild, ROOT } from './processes.js';
import { scenarios } from './scenarios.js';
mkdirSync('/tmp/benchprof', { recursive: true });
const g = await generate(shape(0.01));
const api = await startChild('api', `${ROOT}api`, ['--prof', '--logfile=/tmp/benchprof/v8.log', '--no-logfile-per-isolate', '--import', 'tsx', 'src/main.ts'], { DATABASE_URL: g.db.url, LOG_LEVEL: 'error', SEED: 'none', NODE_ENV: 'production', RATE_LIMIT_COMMENT_USER: '100000/60' }, '/readyz');
try {
  const list = scenarios(g);
  for (const s of [list[0], list[3]]) {
    const t = performance.now();
    for (let i = 0; i < 30; i++) {
      const { cookie, body } = s.ours.next();
      const res = await fetch(api.url + '/graphql', { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body });
      await res.text();
    }
    console.log(s.name, 'avg ms', (performance.now() - t) / 30);
  }
} finally { api.process.kill('SIGKILL'); await g.db.drop(); }
