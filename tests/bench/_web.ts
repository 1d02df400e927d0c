import { generate, shape } from './generate.js';
import { startApi, startWeb } from './processes.js';
const g = await generate(shape(0.01));
const api = await startApi(g.db.url);
const web = await startWeb(api.url);
try {
  for (const p of [`/rounds/${g.roundId}`, `/rounds/${g.roundId}/indicators/${g.indicatorId}`]) {
    const t = performance.now();
    const res = await fetch(web.url + p, { headers: { cookie: `consulta_session=${g.readerToken}` } });
    const html = await res.text();
    console.log(p, res.status, Math.round(performance.now() - t), html.length);
    console.log([...html.matchAll(/<(?:link|script)[^>]*>|import\([^)]*\)/g)].map((m) => m[0]).join('\n'));
    console.log(html.slice(html.indexOf('__sveltekit'), html.indexOf('__sveltekit') + 800));
  }
} finally { api.process.kill('SIGKILL'); web.process.kill('SIGKILL'); await g.db.drop(); }
