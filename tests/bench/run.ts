/**
 * `npm run bench`: builds the API and the web (the servers measured are the built ones), generates
 * the global consultation (and a 1,000-comment twin) in dedicated databases, then
 *
 * 1. starts our API, the floors (floor-server.ts) and the peer (PostGraphile, peer-server.ts), all
 *    as a database role of its own (statement-count.ts: pg_stat_statements counts each role's
 *    statements, or a relay in front of PostgreSQL where it is not loaded), checks that every one answers
 *    each scenario with the same data as ours (same-answers.ts; a difference stops the bench) and
 *    counts the SQL statements each sends per request, as PostgreSQL receives them;
 * 2. starts them again straight on the database and measures each scenario with autocannon:
 *    for every repetition, scenario and concurrency, each server in turn (the order reversed in
 *    every other repetition) gets a timed warm-up, then the timed run; a non-2xx answer or one
 *    with GraphQL `errors` counts as failed; CPU per request and peak memory (VmHWM) per process;
 * 3. the round and indicator pages again on the 1,000-comment twin at the same page size;
 * 4. three API processes behind a round-robin proxy against one (cluster.ts), the web's server
 *    rendering, the exports;
 *
 * and puts the report at the top of bench/RESULTS.md.
 *
 *   npm run bench                                   # the issue's scale (200,000 comments), 10 s runs, 3 repetitions
 *   BENCH_SCALE=0.01 BENCH_DURATION=3 npm run bench # while developing (in tests/, after `npm run build` at the root: npm run bench -- --scale 0.01 …)
 *   npm run bench -- --only castVote,addComment --repeat 5   # those scenarios only (no twin, web, cluster or export; --cluster adds the cluster)
 */
import 'reflect-metadata';
import { execSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { clusterBench, clusterTable } from './cluster.js';
import { exportBench, exportTable } from './export.bench.js';
import { generate, shape, type Generated } from './generate.js';
import { ROOT, startApi, startFloor, startPeer, startWeb, type Child } from './processes.js';
import { recordResults } from './results.js';
import { sameAnswers } from './same-answers.js';
import { scenarios, type Scenario, type ServerName } from './scenarios.js';
import { countedBy, startStatementCounter, type CountedBy, type StatementCounter } from './statement-count.js';
import { load, round1, runLine, type Run } from './load.js';
import { drain } from './drain.js';

const { values: args } = parseArgs({
  options: {
    scale: { type: 'string', default: process.env.BENCH_SCALE ?? '1' },
    duration: { type: 'string', default: process.env.BENCH_DURATION ?? '10' },
    /** Seconds of load before each timed run, not counted. */
    warmup: { type: 'string', default: process.env.BENCH_WARMUP ?? '3' },
    /** How many times every server takes its turn at each scenario and concurrency. */
    repeat: { type: 'string', default: process.env.BENCH_REPEAT ?? '3' },
    'skip-export': { type: 'boolean', default: false },
    'skip-web': { type: 'boolean', default: false },
    'skip-cluster': { type: 'boolean', default: false },
    /** With --only: the three-process comparison too (it takes about a minute). */
    cluster: { type: 'boolean', default: false },
    /** Count statements with the relay even where PostgreSQL loads pg_stat_statements (to compare the two). */
    relay: { type: 'boolean', default: false },
    /** Print the report without putting it in bench/RESULTS.md (trying the harness out). */
    'no-record': { type: 'boolean', default: false },
    /** Scenario names, comma-separated: only these (no twin database, web, cluster or export). */
    only: { type: 'string' },
  },
});
// Commas inside parentheses belong to a name ('comment list (filtered, facets)').
const ONLY = args.only?.split(/,(?![^(]*\))/).map((n) => n.trim());
const REPEAT = Math.max(1, Number(args.repeat));
const SCALE = Number(args.scale);
const DURATION = Number(args.duration);
const WARMUP = Number(args.warmup);
const CONCURRENCY = [1, 32];
const PAGE = 50;
const mb = (bytes: number) => round1(bytes / 1024 / 1024);
/** Comments in the twin database: enough that the indicator page fills the same page size. */
const TWIN_COMMENTS = 1000;

/** Who takes turns at a scenario: ours first, then the others (`label` 'ours' for ours). */
const turns = (s: Scenario, servers: Partial<Record<ServerName, Child>>) => [
  { label: 'ours', server: 'ours' as ServerName, request: s.ours },
  ...s.others.filter((o) => servers[o.server]).map((o) => ({ label: o.label, server: o.server as ServerName, request: o.request })),
];

/** runs[scenario][concurrency][label] = one Run per repetition. */
type Runs = Record<string, Record<number, Record<string, Run[]>>>;

async function measure(servers: Partial<Record<ServerName, Child>>, list: Scenario[], databaseUrl: string): Promise<Runs> {
  const runs: Runs = {};
  for (let rep = 0; rep < REPEAT; rep++) {
    for (const s of list) {
      for (const c of CONCURRENCY) {
        const order = turns(s, servers);
        if (rep % 2 === 1) order.reverse();
        for (const t of order) {
          const child = servers[t.server]!;
          if (WARMUP > 0) await load(child, t.request, c, WARMUP);
          const run = await load(child, t.request, c, DURATION);
          await drain(databaseUrl, child);
          ((runs[s.name] ??= {})[c] ??= {})[t.label] ??= [];
          runs[s.name][c][t.label].push(run);
          console.log(`  ${rep + 1}/${REPEAT} ${s.name} c=${c} ${t.label}: ${runLine(run, DURATION)}`);
        }
      }
    }
  }
  return runs;
}

/** SQL statements per request as PostgreSQL receives them: `count` requests one after the other, then the server's tally. */
type Counts = Record<string, Record<string, { request: number; after: number }>>;

async function start(which: ServerName[], databaseUrl: string) {
  const servers: Partial<Record<ServerName, Child>> = {};
  try {
    for (const w of which) servers[w] = await (w === 'ours' ? startApi : w === 'floor' ? startFloor : startPeer)(databaseUrl);
  } catch (e) {
    await stopAll(servers);
    throw e;
  }
  return servers;
}

async function stopAll(servers: Partial<Record<ServerName, Child>>) {
  for (const child of Object.values(servers)) await child.stop();
}

/**
 * Step 1 on one database: the same answers, then the statements per request at each page size,
 * every server started through its own counting relay. Requests go one at a time; the statements
 * a server's connections send from a request until its answer are the request's, those in the
 * 300 ms after a write's answer are what it set off (the dispatch the write scheduled, 50 ms later).
 */
async function checkAndCount(g: Generated, which: ServerName[], pageSizes: number[]) {
  const method = args.relay ? 'relay' : await countedBy(g.db.url);
  const counters: Partial<Record<ServerName, StatementCounter>> = {};
  const servers: Partial<Record<ServerName, Child>> = {};
  const counts: Record<number, Counts> = {};
  let checked: string[] = [];
  try {
    for (const w of which) {
      counters[w] = await startStatementCounter(g.db.url, w, method);
      Object.assign(servers, await start([w], counters[w]!.url));
    }
    const urls = { ours: servers.ours!.url, floor: servers.floor?.url, peer: servers.peer?.url };
    const pick = (list: Scenario[]) => (ONLY ? list.filter((s) => ONLY.includes(s.name)) : list);
    checked = await sameAnswers(urls, pick(scenarios(g, PAGE)), g.db.url);
    for (const size of pageSizes) {
      counts[size] = {};
      for (const s of pick(scenarios(g, size))) {
        for (const t of turns(s, servers)) {
          const counter = counters[t.server]!;
          const send = async () => {
            const { cookie, body } = t.request.next();
            const res = await fetch(servers[t.server]!.url + t.request.path, { method: t.request.method, headers: { cookie, 'content-type': 'application/json' }, body });
            await res.arrayBuffer();
          };
          for (let i = 0; i < 2; i++) await send(); // prepared statements and caches warm
          const N = 10;
          let request = 0;
          let after = 0;
          for (let i = 0; i < N; i++) {
            if (s.write) await new Promise((r) => setTimeout(r, 300)); // the previous write's dispatch done
            await counter.reset();
            await send();
            const during = await counter.count();
            request += during;
            if (s.write) {
              await new Promise((r) => setTimeout(r, 300));
              after += (await counter.count()) - during;
            }
          }
          (counts[size][s.name] ??= {})[t.label] = { request: round1(request / N), after: round1(after / N) };
        }
      }
    }
  } finally {
    await stopAll(servers);
    for (const counter of Object.values(counters)) await counter.stop();
  }
  return { checked, counts, method };
}

interface Measured {
  runs: Runs;
  peakMb: Partial<Record<ServerName, number>>;
}

/** Step 2 on one database: the timed turns, servers straight on the database. */
async function timed(g: Generated, which: ServerName[], list: Scenario[]): Promise<Measured> {
  const servers = await start(which, g.db.url);
  try {
    const runs = await measure(servers, list, g.db.url);
    const peakMb = Object.fromEntries(Object.entries(servers).map(([w, child]) => [w, mb(child.peakRss())]));
    return { runs, peakMb };
  } finally {
    await stopAll(servers);
  }
}

/** The entry scripts, the page's route nodes and every module they import statically (what the browser fetches to hydrate). */
function shippedScripts(roots: string[]): Set<string> {
  const seen = new Set<string>();
  const queue = [...roots];
  while (queue.length) {
    const path = queue.pop()!;
    const file = `${ROOT}web/build/client${path}`;
    if (seen.has(path) || !existsSync(file)) continue;
    seen.add(path);
    for (const m of readFileSync(file, 'utf8').matchAll(/(?:\bfrom\s*|\bimport\s*)"([^"]+\.js)"/g)) queue.push(new URL(m[1], `http://x${path}`).pathname);
  }
  return seen;
}

interface WebPage {
  page: string;
  ssrP50: number;
  ssrP99: number;
  jsFiles: number;
  jsGzipKb: number;
}

/** Server-render time (autocannon, one connection) and the gzip size of every script the page loads or preloads. */
async function webNumbers(apiUrl: string, g: Generated): Promise<WebPage[]> {
  const web = await startWeb(apiUrl);
  const pages: WebPage[] = [];
  try {
    for (const [page, path] of [
      ['round', `/rounds/${g.roundId}`],
      ['indicator', `/rounds/${g.roundId}/indicators/${g.indicatorId}`],
    ]) {
      const cookie = `consulta_session=${g.readerToken}`;
      const res = await fetch(web.url + path, { headers: { cookie } });
      const html = await res.text();
      if (res.status !== 200) throw new Error(`web ${path}: HTTP ${res.status}`);
      const nodeFiles = readdirSync(`${ROOT}web/build/client/_app/immutable/nodes`);
      const nodes = (/node_ids: \[([\d, ]+)\]/.exec(html)?.[1].split(',') ?? []).map((n) => `/_app/immutable/nodes/${nodeFiles.find((f) => new RegExp(`^${n.trim()}\\.[^.]+\\.js$`).test(f))}`);
      const entries = [...html.matchAll(/import\("([^"]+\.js)"\)/g)].map((m) => new URL(m[1], web.url + path).pathname);
      const scripts = shippedScripts([...entries, ...nodes]);
      let gz = 0;
      for (const s of scripts) gz += gzipSync(readFileSync(`${ROOT}web/build/client${s}`), { level: 9 }).byteLength;
      const run = await load(web, { method: 'GET', path, next: () => ({ cookie }) }, 1, DURATION);
      pages.push({ page, ssrP50: run.p50, ssrP99: run.p99, jsFiles: scripts.size, jsGzipKb: round1(gz / 1024) });
    }
  } finally {
    await web.stop();
  }
  return pages;
}

function gitCommit() {
  try {
    const head = execSync('git rev-parse --short HEAD', { cwd: ROOT }).toString().trim();
    const dirty = execSync('git status --porcelain', { cwd: ROOT }).toString().trim() ? ' (with uncommitted work)' : '';
    return head + dirty;
  } catch {
    return 'unknown';
  }
}

const loadAverage = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
/** Median with min–max, as the tables write it. */
const spread = (xs: number[], digits = 1) =>
  xs.length === 0 ? '–' : xs.length === 1 ? xs[0].toFixed(digits) : `${median(xs).toFixed(digits)} (${Math.min(...xs).toFixed(digits)}–${Math.max(...xs).toFixed(digits)})`;

/** The timed table: every server of every scenario and concurrency, our throughput divided by each other's per repetition. */
function runsTable(runs: Runs, counts: Record<number, Counts>, twinCounts: Counts | undefined): string[] {
  const lines = [
    `| scenario | conc. | server | req/s: median (min–max) | p50 ms | p99 ms | CPU ms/request | failed | ours ÷ this: median (min–max) | SQL/request: page 10 → ${PAGE}${twinCounts ? `; ${TWIN_COMMENTS.toLocaleString('en')}-comment db` : ''} (+ after a write) |`,
    '|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const [name, byC] of Object.entries(runs)) {
    for (const [c, byLabel] of Object.entries(byC)) {
      const ours = byLabel.ours;
      for (const [label, list] of Object.entries(byLabel)) {
        const ratios = label === 'ours' ? [] : list.map((r, i) => (r.rps > 0 ? ours[i].rps / r.rps : NaN)).filter((x) => !Number.isNaN(x));
        const sql = Number(c) === 1 ? sqlCell(name, label, counts, twinCounts) : '';
        // A run in which no request came back has no rate, latency or cost per request to average in.
        const done = list.filter((r) => r.requests > 0);
        const none = list.length - done.length;
        const rate = done.length === 0 ? `none completed in ${DURATION} s` : `${spread(done.map((r) => r.rps))}${none ? `; ${none} of ${list.length} runs: none completed` : ''}`;
        lines.push(
          `| ${name} | ${c} | ${label} | ${rate} | ${spread(done.map((r) => r.p50), 0)} | ${spread(done.map((r) => r.p99), 0)} | ${spread(done.map((r) => r.cpu))} | ${list.reduce((n, r) => n + r.failed, 0)} | ${label === 'ours' ? '' : spread(ratios, 2)} | ${sql} |`,
        );
      }
    }
  }
  return lines;
}

function countedByLine(method: CountedBy) {
  return method === 'pg_stat_statements'
    ? 'SQL statements are counted on the server by pg_stat_statements, each server connecting as a database role of its own (tests/bench/statement-count.ts): the calls recorded for its role.'
    : 'SQL statements are counted as PostgreSQL receives them, by a relay in front of it that counts each Query and Execute message per connection (tests/bench/wire-count.ts): pg_stat_statements is not loaded on this server (shared_preload_libraries).';
}

function sqlCell(name: string, label: string, counts: Record<number, Counts>, twin: Counts | undefined) {
  const one = (c: { request: number; after: number } | undefined) => (c ? `${c.request}${c.after ? ` (+${c.after})` : ''}` : '–');
  const sizes = Object.keys(counts).map(Number).sort((a, b) => a - b);
  return `${sizes.map((size) => one(counts[size][name]?.[label])).join(' → ')}${twin ? `; ${one(twin[name]?.[label])}` : ''}`;
}

async function main() {
  const started = new Date();
  const loadAtStart = loadAverage();
  const full = shape(SCALE);
  console.log(`generating: ${JSON.stringify(full)}`);
  const big = await generate(full);
  console.log(`generated in ${big.seconds.toFixed(1)} s`);
  const twin = ONLY ? null : await generate(shape(SCALE, TWIN_COMMENTS));
  const all: ServerName[] = ['ours', 'floor', 'peer'];
  let webPages: WebPage[] = [];
  let bigCheck: Awaited<ReturnType<typeof checkAndCount>>, twinCheck: Awaited<ReturnType<typeof checkAndCount>> | null = null;
  let bigRuns: Measured, twinRuns: Measured | null = null;
  let cluster: Awaited<ReturnType<typeof clusterBench>> | null = null;
  try {
    console.log('same answers, statements per request');
    bigCheck = await checkAndCount(big, all, [10, PAGE]);
    for (const line of bigCheck.checked) console.log(`  ${line}`);
    if (twin) twinCheck = await checkAndCount(twin, all, [PAGE]);
    const list = scenarios(big, PAGE).filter((s) => !ONLY || ONLY.includes(s.name));
    if (ONLY && list.length !== ONLY.length) throw new Error(`unknown scenario among ${ONLY.join(', ')}: known are ${scenarios(big).map((s) => s.name).join(', ')}`);
    console.log('timed runs');
    bigRuns = await timed(big, all, list);
    if (twin) {
      console.log(`timed runs, ${TWIN_COMMENTS}-comment database`);
      const pages = scenarios(twin, PAGE)
        .filter((s) => s.name === 'round page' || s.name === 'indicator page')
        .map((s) => ({ ...s, others: s.others.filter((o) => o.label === 'SQL floor') }));
      twinRuns = await timed(twin, ['ours', 'floor'], pages);
    }
    if (!ONLY && !args['skip-web']) {
      const api = await startApi(big.db.url);
      try {
        webPages = await webNumbers(api.url, big);
      } finally {
        await api.stop();
      }
    }
    if ((!ONLY && !args['skip-cluster']) || args.cluster) cluster = await clusterBench(big, DURATION, WARMUP);
  } finally {
    await big.db.drop();
    await twin?.db.drop();
  }
  const exports = ONLY || args['skip-export'] ? [] : await exportBench(Math.max(1000, Math.round(100_000 * SCALE)));

  const s = big.shape;
  const lines: string[] = [
    `## ${started.toISOString()} — scale ${SCALE}${ONLY ? `, ${ONLY.join(', ')} only` : ''}, ${REPEAT} repetitions of ${WARMUP} s warm-up + ${DURATION} s per server, scenario and concurrency`,
    '',
    `Machine: ${cpus().length} CPUs (${cpus()[0]?.model ?? '?'}), ${round1(totalmem() / 1024 ** 3)} GB RAM, Node ${process.version}, load average at start ${loadAtStart}, at end ${loadAverage()}; commit ${gitCommit()}.`,
    'The load generator (autocannon), the servers and PostgreSQL share these CPUs with whatever else runs: read the ratios (each repetition’s servers ran minutes apart at most, in alternating order) rather than absolute rates. CPU per request is the server process’s own, not PostgreSQL’s.',
    '',
    `Data: ${s.frameworks} frameworks, ${s.frameworks * s.indicatorsPerFramework} indicators × ${s.versions} versions, ${s.users.toLocaleString('en')} users in ${s.organizations} organizations, ` +
      `${s.comments.toLocaleString('en')} comments + ${s.replies.toLocaleString('en')} replies (all in one round), dispositions on half, ${s.ballots} ballots × ${s.votersPerBallot} voters. ` +
      `Generated in ${big.seconds.toFixed(1)} s (after migrating an empty database). Page size ${PAGE}.`,
    '',
    'Same answers before any load (a difference stops the bench):',
    '',
    ...bigCheck.checked.map((c) => `- ${c}`),
    '',
    'Servers: ours = the built API (`node --max-semi-space-size=64 dist/main.js`, NODE_ENV=production); PostGraphile 4.14 with computed columns for what ours computes and the session looked up per request (pgSettings); ' +
      'SQL floor = one prepared statement per page building the JSON in PostgreSQL; Node floor = a few plain statements, JSON built in Node; recount floor = the SQL floor counting comments per request instead of reading the counters; ' +
      'same-work floor = the same checks and rows as ours in one statement; bare floor = the INSERT (or the vote’s upsert) alone. All with the same Node flags, production mode.',
    `${countedByLine(bigCheck.method)} Counted one request at a time: the statements a server’s connections sent between the request and its answer; “+ after” = those in the 300 ms after a write’s answer (the dispatch it scheduled 50 ms later, and its reactions).`,
    '',
    ...runsTable(bigRuns.runs, bigCheck.counts, twinCheck?.counts[PAGE]),
    '',
    `Peak memory (VmHWM) over the timed runs: ours ${bigRuns.peakMb.ours} MB, floors ${bigRuns.peakMb.floor} MB, PostGraphile ${bigRuns.peakMb.peer} MB.`,
  ];
  if (twinRuns && twin) {
    lines.push('', `Same page size (${PAGE}), ${TWIN_COMMENTS.toLocaleString('en')} vs ${s.comments.toLocaleString('en')} comments (req/s median; ours’s peak memory):`, '', `| | ${TWIN_COMMENTS.toLocaleString('en')} comments | ${s.comments.toLocaleString('en')} comments |`, '|---|---|---|');
    for (const name of ['round page', 'indicator page']) {
      for (const label of ['ours', 'SQL floor']) {
        const cellOf = (r: Runs) => CONCURRENCY.map((c) => (r[name]?.[c]?.[label] ? median(r[name][c][label].map((x) => x.rps)).toFixed(1) : '–')).join(' / ');
        lines.push(`| ${name}, ${label} (c=1 / c=32) | ${cellOf(twinRuns.runs)} | ${cellOf(bigRuns.runs)} |`);
      }
    }
    lines.push(`| ours peak memory (MB) | ${twinRuns.peakMb.ours} | ${bigRuns.peakMb.ours} |`);
  }
  if (cluster) lines.push('', ...clusterTable(cluster));
  if (webPages.length) {
    lines.push('', 'Web (built SvelteKit server in front of the API, signed-in stakeholder):', '', '| page | SSR p50 ms | SSR p99 ms | scripts | JS gzip KB (target < 100 for the indicator page) |', '|---|---|---|---|---|');
    for (const w of webPages) lines.push(`| ${w.page} | ${w.ssrP50} | ${w.ssrP99} | ${w.jsFiles} | ${w.jsGzipKb} |`);
  }
  if (exports.length) lines.push('', 'Exports (tests/bench/export.bench.ts, its own database):', '', ...exportTable(exports));
  lines.push('');
  const report = lines.join('\n');
  console.log(report);
  if (!args['no-record']) recordResults(report);
}

await main();
