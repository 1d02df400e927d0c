import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer as createHttpServer, request as httpRequest, type Server } from 'node:http';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { demo, startTestApi, type TestApi } from './api.js';
import { startTestSmtp, type TestSmtp } from './smtp.js';

/** The web app to serve: web/ itself, or (E2E_WEB_DIR) a private copy of its server.js and build/, so that
 * a colleague's `npm run build -w web` does not swap the files under a running test. */
export const WEB_DIR = process.env.E2E_WEB_DIR ? `${process.env.E2E_WEB_DIR.replace(/\/$/, '')}/` : fileURLToPath(new URL('../../web/', import.meta.url));

export interface Platform {
  api: TestApi;
  /** The built web app in front of the API, e.g. http://127.0.0.1:41235 — the one origin a browser sees. */
  webUrl: string;
  /** With `smtp: true`: the in-process SMTP server the API sends every mail to (SMTP_URL). */
  smtp: TestSmtp | null;
  /** With `recordApiCalls: true`: the GraphQL operations the web server sent the API so far, by name, oldest first. */
  apiOperations: string[];
  /** What the web server printed, for failure messages. */
  webLog(): string;
  stop(): Promise<void>;
}

/**
 * The whole platform as a person reaches it: the real API (in-process, fresh database, demo data) and
 * `node web/server.js` from the BUILT web app in a child process, on free ports. Invitation links point at it.
 */
export async function startPlatform(
  options: {
    /** API settings, e.g. tighter rate limits. */ env?: Record<string, string>;
    /** Mail goes to an in-process SMTP server (`platform.smtp`) instead of the development mailbox. */ smtp?: boolean;
    /** The web server reaches the API through a recorder (`platform.apiOperations`), to count a page's calls. It carries no WebSocket: for pages without JavaScript. */ recordApiCalls?: boolean;
  } = {},
): Promise<Platform> {
  if (!existsSync(`${WEB_DIR}build/handler.js`)) {
    throw new Error('web/build is missing: run `npm run build -w web` first (the root `npm test` builds before testing).');
  }
  const port = await freePort();
  const webUrl = `http://127.0.0.1:${port}`;
  const smtp = options.smtp ? await startTestSmtp() : null;
  const api = await startTestApi({ env: { PUBLIC_URL: webUrl, ...(smtp ? { SMTP_URL: smtp.url } : {}), ...options.env } });
  const recorder = options.recordApiCalls ? await recordingProxy(api.url) : null;
  let output = '';
  const web: ChildProcess = spawn(process.execPath, ['server.js'], {
    cwd: WEB_DIR,
    env: { ...process.env, API_URL: recorder?.url ?? api.url, WEB_PORT: String(port), WEB_HOST: '127.0.0.1', NODE_ENV: 'production' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  web.stdout?.on('data', (chunk) => (output += chunk));
  web.stderr?.on('data', (chunk) => (output += chunk));
  try {
    await waitForWeb(webUrl, web, () => output);
  } catch (err) {
    web.kill();
    recorder?.server.close();
    await api.stop();
    await smtp?.stop();
    throw err;
  }
  return {
    api,
    webUrl,
    smtp,
    apiOperations: recorder?.operations ?? [],
    webLog: () => output,
    stop: async () => {
      if (web.exitCode === null) {
        const exited = new Promise((resolve) => web.once('exit', resolve));
        web.kill('SIGTERM');
        await exited;
      }
      recorder?.server.close();
      await api.stop();
      await smtp?.stop();
    },
  };
}

async function waitForWeb(url: string, web: ChildProcess, output: () => string) {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (web.exitCode !== null) throw new Error(`web/server.js exited with ${web.exitCode}:\n${output()}`);
    try {
      const res = await fetch(url, { redirect: 'manual' });
      if (res.status < 500) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`web/server.js did not answer at ${url} within 30 s:\n${output()}`);
}

/** A pass-through to the API that notes the name of every GraphQL operation sent through it. */
async function recordingProxy(apiUrl: string): Promise<{ url: string; operations: string[]; server: Server }> {
  const operations: string[] = [];
  const server = createHttpServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      if (req.url?.startsWith('/graphql') && body.length) {
        const { operationName, query } = JSON.parse(body.toString('utf8')) as { operationName?: string; query?: string };
        operations.push(operationName ?? /\b(?:query|mutation)\s+(\w+)/.exec(query ?? '')?.[1] ?? '(anonymous)');
      }
      const upstream = httpRequest(new URL(req.url ?? '/', apiUrl), { method: req.method, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      upstream.on('error', () => res.destroy());
      upstream.end(body);
    });
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${port}`, operations, server };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** The demo's open SPWG round (with its indicators by code) and its USSPM practices round, as browser tests start from them. */
export async function demoRounds(platform: Platform): Promise<{ roundId: string; usspmRoundId: string; indicatorId: (code: string) => string }> {
  const client = await platform.api.as(demo.facilitator);
  const { rounds } = await client.data(`{ rounds { id framework { slug } indicators { indicator { id code } } } }`);
  const spwg = rounds.find((r: any) => r.framework.slug === 'spwg-lac-certification');
  return {
    roundId: spwg.id,
    usspmRoundId: rounds.find((r: any) => r.framework.slug === 'usspm').id,
    indicatorId: (code) => spwg.indicators.find((i: any) => i.indicator.code === code).indicator.id,
  };
}
