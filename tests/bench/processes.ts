/** The servers under test, each its own process, and what the benchmark reads of them (readiness, RSS). */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface Child {
  name: string;
  url: string;
  process: ChildProcess;
  /** The process's peak resident set size (VmHWM) since it started or since `resetPeak()`, in bytes. */
  peakRss(): number;
  resetPeak(): void;
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Resident set size of a process, in bytes, from /proc (0 once it has exited). */
export function rss(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** Peak resident set size of a process (VmHWM: the kernel's own high-water mark), in bytes (0 once it has exited). */
export function peakRss(pid: number): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** Starts a new VmHWM high-water mark at the current RSS (writing 5 to clear_refs; our own child). */
function resetPeakRss(pid: number) {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
  } catch {
    // not permitted here: the peak then counts from the start
  }
}

/** CPU time a process has used so far (user and system, all its threads), in milliseconds, from /proc. */
export function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  // utime and stime, the 14th and 15th fields, in clock ticks of 10 ms.
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** Starts `node <args>` in `cwd` (with `--import tsx` in args for TypeScript) and waits until `readyPath` answers 2xx–4xx. */
export async function startChild(name: string, cwd: string, args: string[], env: Record<string, string> | ((url: string) => Record<string, string>), readyPath: string): Promise<Child> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, args, {
    cwd,
    env: { ...process.env, ...(typeof env === 'function' ? env(url) : env), PORT: String(port), API_PORT: String(port), WEB_PORT: String(port), API_HOST: '127.0.0.1', WEB_HOST: '127.0.0.1' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(killer);
  };
  for (let i = 0; i < 900; i++) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}`);
    try {
      const res = await fetch(`${url}${readyPath}`);
      await res.arrayBuffer();
      if (res.status < 500) {
        return { name, url, process: child, peakRss: () => peakRss(child.pid!), resetPeak: () => resetPeakRss(child.pid!), stop };
      }
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  await stop();
  throw new Error(`${name} did not become ready`);
}

/** Rate limits out of the way: the benchmark signs many people in and writes from one IP. */
const GENEROUS = {
  RATE_LIMIT_SIGN_IN_EMAIL_NETWORK: '1000000/60',
  RATE_LIMIT_SIGN_IN_EMAIL: '1000000/60',
  RATE_LIMIT_SIGN_IN_IP: '1000000/60',
  RATE_LIMIT_SIGN_IN_DEVICE: '1000000/60',
  RATE_LIMIT_INVITATION_IP: '1000000/60',
  RATE_LIMIT_COMMENT_USER: '1000000/60',
};

/** Node's flags for every server measured: our API's (api/package.json `start`, the Dockerfile's command). */
export const NODE_FLAGS = ['--max-semi-space-size=64'];

/** The real API as production runs it (the Dockerfile's command): the build (`npm run bench` builds first), not the sources through tsx. */
export function startApi(databaseUrl: string, env: Record<string, string> = {}) {
  // BENCH_API_CPU_PROF=<dir>: a V8 CPU profile of the API per run, written there as it stops (open it in Chrome's DevTools).
  const profile = process.env.BENCH_API_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_API_CPU_PROF}`] : [];
  return startChild('api', `${ROOT}api`, [...profile, ...NODE_FLAGS, 'dist/main.js'], { ...GENEROUS, DATABASE_URL: databaseUrl, LOG_LEVEL: 'error', SEED: 'none', NODE_ENV: 'production', ...env }, '/readyz');
}

/** The floors (floor-server.ts) and the peer run in production mode with our API's Node flags; tsx only compiles them as they load. */
export function startFloor(databaseUrl: string) {
  return startChild('floor', `${ROOT}tests`, [...NODE_FLAGS, '--import', 'tsx', 'bench/floor-server.ts'], { DATABASE_URL: databaseUrl, NODE_ENV: 'production' }, '/');
}

export function startPeer(databaseUrl: string) {
  return startChild('peer', `${ROOT}tests`, [...NODE_FLAGS, '--import', 'tsx', 'bench/peer-server.ts'], { DATABASE_URL: databaseUrl, NODE_ENV: 'production' }, '/graphql');
}

/** The built web (adapter-node, `npm run build`) in front of an API. */
export function startWeb(apiUrl: string) {
  return startChild('web', `${ROOT}web`, ['server.js'], (url) => ({ API_URL: apiUrl, NODE_ENV: 'production', ORIGIN: url }), '/');
}
