/**
 * Several API processes (issue #27, item 6): three built APIs on one database behind a
 * round-robin proxy (proxy.ts), against one API alone and one behind the same proxy (the proxy's
 * own cost), under the indicator page's and addComment's load at c=32; and, while the three are
 * under that load, how long a live event takes to reach a subscriber on another process: a probe
 * adds a comment through process A every 250 ms (on another indicator than the load's, same
 * round) and a subscriber on process B waits for its `roundActivity` event.
 */
import { createClient } from 'graphql-ws';
import pg from 'pg';
import WebSocket from 'ws';
import type { Generated } from './generate.js';
import { load, round1, runLine, type Run } from './load.js';
import { startApi, type Child } from './processes.js';
import { startProxy } from './proxy.js';
import { scenarios, webOperation } from './scenarios.js';

const PROBE_EVERY_MS = 250;
const CONNECTIONS = 32;

export interface ClusterResult {
  /** runs[scenario][setup] */
  runs: Record<string, Record<string, Run>>;
  /** Milliseconds from the probe's write being answered to its event on the other process, and from sending it. */
  afterCommit: number[];
  afterSend: number[];
  missed: number;
}

const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] : NaN;
};

/** A subscriber on `api` following the round's activity on one indicator version: resolves each awaited comment id on arrival. */
function subscriber(api: Child, g: Generated, indicatorVersionId: string) {
  const waiting = new Map<string, (at: number) => void>();
  const arrived = new Map<string, number>();
  const cookie = `consulta_session=${g.readerToken}`;
  const client = createClient({
    url: api.url.replace(/^http/, 'ws') + '/graphql',
    webSocketImpl: class extends WebSocket {
      constructor(url: string | URL, protocols?: string | string[]) {
        super(url, protocols, { headers: { cookie } });
      }
    },
    lazy: false,
  });
  const ready = new Promise<void>((resolve, reject) => {
    client.subscribe(
      {
        query: `subscription($roundId: ID!, $indicatorVersionId: ID) { roundActivity(roundId: $roundId, indicatorVersionId: $indicatorVersionId) { kind commentId } }`,
        variables: { roundId: g.roundId, indicatorVersionId },
      },
      {
        next: (event) => {
          const id = (event.data as { roundActivity?: { commentId?: string } })?.roundActivity?.commentId;
          if (!id) return;
          const at = performance.now();
          const resolve = waiting.get(id);
          if (resolve) resolve(at);
          else arrived.set(id, at);
        },
        error: reject,
        complete: () => undefined,
      },
    );
    client.on('connected', () => setTimeout(resolve, 200));
  });
  return {
    ready,
    arrival: (id: string, timeoutMs: number) =>
      new Promise<number | null>((resolve) => {
        const early = arrived.get(id);
        if (early !== undefined) return resolve(early);
        const timer = setTimeout(() => resolve(null), timeoutMs);
        waiting.set(id, (at) => {
          clearTimeout(timer);
          resolve(at);
        });
      }),
    close: () => client.dispose(),
  };
}

/** Probes until `stop`: a comment through `writer`, timed to its arrival on the subscriber. */
async function probe(writer: Child, g: Generated, indicatorVersionId: string, sub: ReturnType<typeof subscriber>, result: ClusterResult, stop: { done: boolean }) {
  const addComment = webOperation('AddComment');
  const cookie = `consulta_session=${g.commenterTokens[g.commenterTokens.length - 1]}`;
  let n = 0;
  while (!stop.done) {
    const sent = performance.now();
    const res = await fetch(writer.url + '/graphql', {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json' },
      body: JSON.stringify({
        query: addComment,
        variables: { input: { roundId: g.roundId, targetKind: 'INDICATOR_VERSION', targetId: indicatorVersionId, type: 'GENERAL', body: `Sonda ${++n}: ¿llega a otro proceso?` } },
      }),
    });
    const answered = performance.now();
    const id = ((await res.json()) as { data?: { addComment?: { id: string } } }).data?.addComment?.id;
    const at = id ? await sub.arrival(id, 10_000) : null;
    if (at === null) result.missed++;
    else {
      result.afterCommit.push(round1(at - answered));
      result.afterSend.push(round1(at - sent));
    }
    const wait = PROBE_EVERY_MS - (performance.now() - sent);
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  }
}

export async function clusterBench(g: Generated, duration: number, warmup: number): Promise<ClusterResult> {
  const db = new pg.Client({ connectionString: g.db.url });
  await db.connect();
  const { rows } = await db.query('select indicator_version_id from round_version where round_id = $1 and indicator_version_id <> $2 order by position limit 1', [g.roundId, g.indicatorVersionId]);
  await db.end();
  const probeTarget = rows[0].indicator_version_id as string;
  const list = scenarios(g).filter((s) => s.name === 'indicator page' || s.name === 'addComment');
  const result: ClusterResult = { runs: {}, afterCommit: [], afterSend: [], missed: 0 };
  const apis: Child[] = [];
  try {
    for (let i = 0; i < 3; i++) apis.push(await startApi(g.db.url));
    const one = await startProxy([apis[0].url]);
    const three = await startProxy(apis.map((a) => a.url));
    const sub = subscriber(apis[1], g, probeTarget);
    try {
      await sub.ready;
      const setups = [
        { name: 'one process', target: { url: apis[0].url, pids: [apis[0].process.pid!] } },
        { name: 'one process behind the proxy', target: { url: one.url, pids: [apis[0].process.pid!] } },
        { name: 'three processes behind the proxy', target: { url: three.url, pids: apis.map((a) => a.process.pid!) } },
      ];
      for (const s of list) {
        for (const setup of setups) {
          if (warmup > 0) await load(setup.target, s.ours, CONNECTIONS, warmup);
          const probing = setup.name.startsWith('three');
          const stop = { done: false };
          const probes = probing ? probe(apis[0], g, probeTarget, sub, result, stop) : Promise.resolve();
          const run = await load(setup.target, s.ours, CONNECTIONS, duration);
          stop.done = true;
          await probes;
          (result.runs[s.name] ??= {})[setup.name] = run;
          console.log(`  cluster ${s.name}, ${setup.name}: ${runLine(run, duration)}`);
        }
      }
    } finally {
      sub.close();
      await one.stop();
      await three.stop();
    }
  } finally {
    for (const a of apis) await a.stop();
  }
  return result;
}

export function clusterTable(r: ClusterResult): string[] {
  const lines = [
    `Several API processes (tests/bench/cluster.ts), c=${CONNECTIONS}, one run each; three built APIs on the same database behind a round-robin Node proxy (tests/bench/proxy.ts), all on the same ${'2-CPU'} machine as PostgreSQL and the load generator:`,
    '',
    '| scenario | setup | req/s | p50 ms | p99 ms | CPU ms/request (all API processes) | failed | ÷ one process |',
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const [name, setups] of Object.entries(r.runs)) {
    const base = setups['one process']?.rps ?? 0;
    for (const [setup, run] of Object.entries(setups)) {
      lines.push(`| ${name} | ${setup} | ${run.rps} | ${run.p50} | ${run.p99} | ${run.cpu} | ${run.failed} | ${base ? (run.rps / base).toFixed(2) : '–'} |`);
    }
  }
  lines.push(
    '',
    `Live event to a subscriber on another process while the three were under that load: ${r.afterCommit.length} probes (a comment through process A every ${PROBE_EVERY_MS} ms, the subscriber on process B), ${r.missed} not arrived within 10 s; ` +
      `from the write's answer to the event: p50 ${percentile(r.afterCommit, 50)} ms, p99 ${percentile(r.afterCommit, 99)} ms, max ${Math.max(...r.afterCommit)} ms; from sending the write: p50 ${percentile(r.afterSend, 50)} ms, p99 ${percentile(r.afterSend, 99)} ms.`,
  );
  return lines;
}
