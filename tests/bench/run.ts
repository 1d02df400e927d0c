/**
 * `npm run bench`: builds the API and the web (the servers measured are the built ones), generates
 * the global consultation (and a 10-comment twin) in dedicated databases, then measures our API, the hand-written floor and PostGraphile side by side with autocannon,
 * counts SQL statements per request, times the web's server rendering, runs the export benchmark,
 * and writes everything to bench/RESULTS.md (newest first).
 *
 *   npm run bench                          # the issue's scale (200,000 comments), 10 s per run
 *   BENCH_SCALE=0.01 BENCH_DURATION=3 npm run bench      # while developing (or, in tests/ after `npm run build` at the root: npm run bench -- --scale 0.01 --skip-export)
 *   npm run bench -- --only castVote,addComment --repeat 3   # those scenarios only, three rounds of turns (no web, export, SQL counts or flatness)
 */
import 'reflect-metadata';
import autocannon from 'autocannon';
import { execSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { startTestApi } from '../support/api.js';
import { countSql } from '../support/sql-counter.js';
import { exportBench, exportTable } from './export.bench.js';
import { generate, shape, type Generated } from './generate.js';
import { ROOT, cpuMs, startApi, startFloor, startPeer, startWeb, type Child } from './processes.js';
import { recordResults } from './results.js';
import { scenarios, type Request, type Scenario } from './scenarios.js';

const { values: args } = parseArgs({
  options: {
    scale: { type: 'string', default: process.env.BENCH_SCALE ?? '1' },
    duration: { type: 'string', default: process.env.BENCH_DURATION ?? '10' },
    'skip-export': { type: 'boolean', default: false },
    'skip-web': { type: 'boolean', default: false },
    /** Scenario names, comma-separated: measure only these, against our API and the floor. */
    only: { type: 'string' },
    /** With `only`: how many times the servers take their turns at each scenario and concurrency. */
    repeat: { type: 'string', default: '1' },
  },
});
const ONLY = args.only?.split(',').map((n) => n.trim());
const REPEAT = Number(args.repeat);
const SCALE = Number(args.scale);
const DURATION = Number(args.duration);
const CONCURRENCY = [1, 32];

interface Run {
  rps: number;
  p50: number;
  p99: number;
  /** The server process's CPU time per request (its own threads: JavaScript, GC, I/O), in ms. */
  cpu: number;
  /** Requests that failed: non-2xx, socket errors or GraphQL errors in a checked sample. */
  failed: number;
}

const round1 = (n: number) => Math.round(n * 10) / 10;
const mb = (bytes: number) => round1(bytes / 1024 / 1024);

/** One request by hand: status 200 and no GraphQL errors, or the reason it is not. */
async function check(baseUrl: string, r: Request): Promise<string | null> {
  const { cookie, body } = r.next();
  const res = await fetch(baseUrl + r.path, { method: r.method, headers: { cookie, 'content-type': 'application/json' }, body });
  const text = await res.text();
  if (res.status !== 200) return `HTTP ${res.status}: ${text.slice(0, 300)}`;
  const json = JSON.parse(text);
  if (json.errors) return `GraphQL: ${JSON.stringify(json.errors).slice(0, 300)}`;
  return null;
}

async function load(child: Child, r: Request, connections: number): Promise<Run> {
  const cpuBefore = cpuMs(child.process.pid!);
  const result = await autocannon({
    url: child.url + r.path,
    connections,
    duration: DURATION,
    method: r.method,
    headers: { 'content-type': 'application/json' },
    requests: [
      {
        setupRequest: (req) => {
          const { cookie, body } = r.next();
          return { ...req, method: r.method, headers: { 'content-type': 'application/json', cookie }, body };
        },
      },
    ],
  });
  const cpu = round1((cpuMs(child.process.pid!) - cpuBefore) / Math.max(1, result.requests.total));
  return { rps: round1(result.requests.average), p50: result.latency.p50, p99: result.latency.p99, cpu, failed: result.non2xx + result.errors + result.timeouts };
}

type Runs = Record<number, Run | string>;

/** A few requests by hand: lazy imports, prepared documents and connection pools warm up outside the measurement. */
async function warmUp(child: Child, r: Request): Promise<string | null> {
  let problem: string | null = null;
  for (let i = 0; i < 5 && !problem; i++) problem = await check(child.url, r);
  return problem;
}

type Who = 'ours' | 'floor' | 'peer';

/**
 * Every scenario on every server given, the servers taking turns for each scenario and
 * concurrency: this machine's speed drifts over minutes, and a ratio of runs taken minutes apart
 * would measure the drift.
 */
async function measureAll(servers: Partial<Record<Who, Child>>, list: Scenario[]): Promise<Record<Who, Record<string, Runs>>> {
  const result: Record<Who, Record<string, Runs>> = { ours: {}, floor: {}, peer: {} };
  for (const s of list) {
    const taking = (Object.keys(servers) as Who[]).filter((who) => s[who]);
    for (const who of taking) {
      const problem = await warmUp(servers[who]!, s[who]!);
      result[who][s.name] = problem ? Object.fromEntries(CONCURRENCY.map((c) => [c, problem])) : {};
    }
    for (const c of CONCURRENCY) {
      for (const who of taking) {
        if (typeof result[who][s.name][c] !== 'string') result[who][s.name][c] = await load(servers[who]!, s[who]!, c);
      }
    }
  }
  return result;
}

/** SQL statements one request sends, counted in process on the same database (the second of two, warm). */
async function sqlCounts(g: Generated, pageSizes: number[]) {
  const api = await startTestApi({ seed: 'none', db: { ...g.db, drop: async () => undefined } });
  const counts: Record<string, number[]> = {};
  try {
    for (const size of pageSizes) {
      for (const s of scenarios(g, size)) {
        const send = async () => {
          const { cookie, body } = s.ours.next();
          const res = await fetch(api.url + s.ours.path, { method: s.ours.method, headers: { cookie, 'content-type': 'application/json' }, body });
          const text = await res.text();
          return res.status === 200 && !text.includes('"errors"');
        };
        await send();
        const { result: ok, count } = await countSql(send);
        (counts[s.name] ??= []).push(ok ? count : NaN);
      }
    }
  } finally {
    await api.stop();
  }
  return counts;
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
      const run = await load(web, { method: 'GET', path, next: () => ({ cookie }) }, 1);
      pages.push({ page, ssrP50: run.p50, ssrP99: run.p99, jsFiles: scripts.size, jsGzipKb: round1(gz / 1024) });
    }
  } finally {
    await web.stop();
  }
  return pages;
}

interface Side {
  ours: Record<string, Runs>;
  floor: Record<string, Runs>;
  peer: Record<string, Runs>;
  apiPeakRssMb: number;
}

/** Every scenario against our API; against the floor and the peer too when `baselines`. */
async function side(g: Generated, baselines: boolean, web: (apiUrl: string) => Promise<void>): Promise<Side> {
  const servers: Partial<Record<Who, Child>> = {};
  try {
    servers.ours = await startApi(g.db.url);
    if (baselines) {
      servers.floor = await startFloor(g.db.url);
      servers.peer = await startPeer(g.db.url);
    }
    const runs = await measureAll(servers, scenarios(g));
    const apiPeakRssMb = mb(servers.ours.peakRss());
    await web(servers.ours.url);
    return { ...runs, apiPeakRssMb };
  } finally {
    for (const child of Object.values(servers)) await child.stop();
  }
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

const cell = (r: Run | string | undefined, key: keyof Run) => (r === undefined ? '–' : typeof r === 'string' ? 'ERR' : String(r[key]));
const ratio = (a: Run | string | undefined, b: Run | string | undefined) =>
  typeof a === 'object' && typeof b === 'object' && b.rps > 0 ? (a.rps / b.rps).toFixed(2) : '–';

const loadAverage = () => execSync('cat /proc/loadavg').toString().split(' ').slice(0, 3).join(' ');

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/**
 * `--only`: the named scenarios against our API and the floor, `--repeat` times in turn, for a
 * before/after pair of one change without the whole run (the ratio's spread across repeats shows
 * how much the machine's other work moved it).
 */
async function focused(names: string[]) {
  const started = new Date();
  const loadAtStart = loadAverage();
  const g = await generate(shape(SCALE));
  const list = scenarios(g).filter((s) => names.includes(s.name));
  if (list.length !== names.length) throw new Error(`unknown scenario among ${names.join(', ')}: known are ${scenarios(g).map((s) => s.name).join(', ')}`);
  const repeats: Array<Record<Who, Record<string, Runs>>> = [];
  const servers: Partial<Record<Who, Child>> = {};
  try {
    servers.ours = await startApi(g.db.url);
    servers.floor = await startFloor(g.db.url);
    for (let i = 0; i < REPEAT; i++) repeats.push(await measureAll(servers, list));
  } finally {
    for (const child of Object.values(servers)) await child.stop();
    await g.db.drop();
  }
  const lines = [
    `## ${started.toISOString()} — ${names.join(', ')} only, scale ${SCALE}, ${DURATION} s per run, ${REPEAT} repeats`,
    '',
    `Machine: ${cpus().length} CPUs, Node ${process.version}, load average at start ${loadAtStart}, at end ${loadAverage()}; commit ${gitCommit()}.`,
    '',
    '| scenario | conc. | repeat | ours req/s | p50 ms | p99 ms | floor req/s | ours/floor | server CPU ms/request (ours / floor) |',
    '|---|---|---|---|---|---|---|---|---|',
  ];
  for (const s of list) {
    for (const c of CONCURRENCY) {
      repeats.forEach((r, i) => {
        const ours = r.ours[s.name][c];
        const floor = r.floor[s.name]?.[c];
        lines.push(`| ${s.name} | ${c} | ${i + 1} | ${cell(ours, 'rps')} | ${cell(ours, 'p50')} | ${cell(ours, 'p99')} | ${cell(floor, 'rps')} | ${ratio(ours, floor)} | ${cell(ours, 'cpu')} / ${cell(floor, 'cpu')} |`);
      });
      const ratios = repeats.map((r) => Number(ratio(r.ours[s.name][c], r.floor[s.name]?.[c]))).filter((x) => !Number.isNaN(x));
      if (ratios.length) lines.push(`| ${s.name} | ${c} | median | | | | | **${median(ratios).toFixed(2)}** | |`);
    }
  }
  lines.push('');
  const report = lines.join('\n');
  console.log(report);
  recordResults(report);
}

async function main() {
  if (ONLY) return focused(ONLY);
  const started = new Date();
  const full = shape(SCALE);
  console.log(`generating: ${JSON.stringify(full)}`);
  const big = await generate(full);
  console.log(`generated in ${big.seconds.toFixed(1)} s`);
  const tiny = await generate(shape(SCALE, 10));
  let webPages: WebPage[] = [];
  let bigSide: Side, tinySide: Side, counts: Record<string, number[]>, tinyCounts: Record<string, number[]>;
  try {
    counts = await sqlCounts(big, [10, 50]);
    tinyCounts = await sqlCounts(tiny, [50]);
    bigSide = await side(big, true, async (apiUrl) => {
      if (!args['skip-web']) webPages = await webNumbers(apiUrl, big);
    });
    tinySide = await side(tiny, false, async () => undefined);
  } finally {
    await big.db.drop();
    await tiny.db.drop();
  }
  const exports = args['skip-export'] ? [] : await exportBench(Math.max(1000, Math.round(100_000 * SCALE)));

  const lines: string[] = [];
  const s = big.shape;
  lines.push(
    `## ${started.toISOString()} — scale ${SCALE}, ${DURATION} s per run`,
    '',
    `Machine: ${cpus().length} CPUs (${cpus()[0]?.model ?? '?'}), ${mb(totalmem()) / 1024 > 1 ? round1(totalmem() / 1024 ** 3) + ' GB' : mb(totalmem()) + ' MB'} RAM, Node ${process.version}, load average at start ${loadAverage()}; commit ${gitCommit()}.`,
    'The load generator (autocannon), the server under test and PostgreSQL share these CPUs with other work: compare numbers within one run, not across runs. ' +
      'The servers take turns for each scenario and concurrency, so a drift in the machine’s speed falls alike on all three. Server CPU is the server process’s own (JavaScript, GC, I/O), not PostgreSQL’s.',
    '',
    `Data: ${s.frameworks} frameworks, ${s.frameworks * s.indicatorsPerFramework} indicators × ${s.versions} versions, ${s.users.toLocaleString('en')} users in ${s.organizations} organizations, ` +
      `${s.comments.toLocaleString('en')} comments + ${s.replies.toLocaleString('en')} replies (all in one round), dispositions on half, ${s.ballots} ballots × ${s.votersPerBallot} voters. ` +
      `Generated in ${big.seconds.toFixed(1)} s (after migrating an empty database).`,
    '',
    '| scenario | conc. | ours req/s | p50 ms | p99 ms | floor req/s | peer req/s | ours/floor | ours/peer | server CPU ms/request (ours / floor / peer) | SQL/request (page 10 → 50; 10-comment db) |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
  );
  for (const name of Object.keys(bigSide.ours)) {
    for (const c of CONCURRENCY) {
      const ours = bigSide.ours[name][c];
      const floor = bigSide.floor[name]?.[c];
      const peer = bigSide.peer[name]?.[c];
      const sql = c === 1 ? `${counts[name]?.join(' → ')}; ${tinyCounts[name]?.join('')}` : '';
      lines.push(`| ${name} | ${c} | ${cell(ours, 'rps')} | ${cell(ours, 'p50')} | ${cell(ours, 'p99')} | ${cell(floor, 'rps')} | ${cell(peer, 'rps')} | ${ratio(ours, floor)} | ${ratio(ours, peer)} | ${cell(ours, 'cpu')} / ${cell(floor, 'cpu')} / ${cell(peer, 'cpu')} | ${sql} |`);
    }
  }
  const failures = Object.entries({ ...bigSide.ours, ...Object.fromEntries(Object.entries(bigSide.floor).map(([k, v]) => [`floor ${k}`, v])), ...Object.fromEntries(Object.entries(bigSide.peer).map(([k, v]) => [`peer ${k}`, v])) })
    .flatMap(([name, runs]) => Object.entries(runs).map(([c, r]) => (typeof r === 'string' ? `- ${name} (c=${c}): ${r}` : r.failed ? `- ${name} (c=${c}): ${r.failed} failed requests` : '')))
    .filter(Boolean);
  if (failures.length) lines.push('', 'Failures:', ...new Set(failures));
  lines.push(
    '',
    `Flatness, ${s.comments.toLocaleString('en')} comments vs 10 (same scenarios, same durations):`,
    '',
    '| | 10 comments | ' + `${s.comments.toLocaleString('en')} comments |`,
    '|---|---|---|',
    `| round page req/s (c=1 / c=32) | ${cell(tinySide.ours['round page'][1], 'rps')} / ${cell(tinySide.ours['round page'][32], 'rps')} | ${cell(bigSide.ours['round page'][1], 'rps')} / ${cell(bigSide.ours['round page'][32], 'rps')} |`,
    `| indicator page req/s (c=1 / c=32) | ${cell(tinySide.ours['indicator page'][1], 'rps')} / ${cell(tinySide.ours['indicator page'][32], 'rps')} | ${cell(bigSide.ours['indicator page'][1], 'rps')} / ${cell(bigSide.ours['indicator page'][32], 'rps')} |`,
    `| API peak RSS (MB) | ${tinySide.apiPeakRssMb} | ${bigSide.apiPeakRssMb} (${bigSide.apiPeakRssMb <= tinySide.apiPeakRssMb * 1.2 ? 'within' : 'MORE than'} 20 %) |`,
  );
  if (webPages.length) {
    lines.push('', 'Web (built SvelteKit server in front of the API, signed-in stakeholder):', '', '| page | SSR p50 ms | SSR p99 ms | scripts | JS gzip KB (target < 100 for the indicator page) |', '|---|---|---|---|---|');
    for (const w of webPages) lines.push(`| ${w.page} | ${w.ssrP50} | ${w.ssrP99} | ${w.jsFiles} | ${w.jsGzipKb} |`);
  }
  if (exports.length) {
    lines.push('', 'Exports (tests/bench/export.bench.ts, its own database):', '', ...exportTable(exports));
  }
  lines.push('');
  const report = lines.join('\n');
  console.log(report);
  recordResults(report);
}

await main();
