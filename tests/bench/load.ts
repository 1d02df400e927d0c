/** One timed load with autocannon on one server, and what it tells. */
import autocannon from 'autocannon';
import { cpuMs, type Child } from './processes.js';
import type { Request } from './scenarios.js';

export interface Run {
  rps: number;
  p50: number;
  p99: number;
  /** The server process's CPU time per request (its own threads: JavaScript, GC, I/O), in ms. */
  cpu: number;
  /** Requests that failed: non-2xx, socket errors, timeouts, or a 2xx with GraphQL `errors`. */
  failed: number;
  requests: number;
}

export const round1 = (n: number) => Math.round(n * 10) / 10;

/** A run as the progress lines print it: a run in which no request came back has no rate or latency. */
export const runLine = (run: Run, seconds: number) =>
  `${run.requests === 0 ? `none completed in ${seconds} s` : `${run.rps} req/s, p99 ${run.p99} ms`}${run.failed ? `, ${run.failed} failed` : ''}`;

/** Where the load goes, and the processes whose CPU time it costs. */
export interface Target {
  url: string;
  pids: number[];
}

const cpuOf = (t: Target) => t.pids.reduce((ms, pid) => ms + cpuMs(pid), 0);

/** `seconds` of load on one server (or several behind a proxy); failures counted from every answer. */
export async function load(on: Child | Target, r: Request, connections: number, seconds: number): Promise<Run> {
  const target = 'pids' in on ? on : { url: on.url, pids: [on.process.pid!] };
  const cpuBefore = cpuOf(target);
  let errors = 0;
  const result = await autocannon({
    url: target.url + r.path,
    connections,
    duration: seconds,
    method: r.method,
    headers: { 'content-type': 'application/json' },
    requests: [
      {
        setupRequest: (req) => {
          const { cookie, body } = r.next();
          return { ...req, method: r.method, headers: { 'content-type': 'application/json', cookie }, body };
        },
        onResponse: (status, body) => {
          if (status >= 200 && status < 300 && body.includes('"errors"')) errors++;
        },
      },
    ],
  });
  const cpu = round1((cpuOf(target) - cpuBefore) / Math.max(1, result.requests.total));
  return { rps: round1(result.requests.average), p50: result.latency.p50, p99: result.latency.p99, cpu, failed: result.non2xx + result.errors + result.timeouts + errors, requests: result.requests.total };
}

