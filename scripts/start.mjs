#!/usr/bin/env node
// Starts the whole platform: the API (which opens the database, migrates and seeds) and then the
// web server in front of it. With DATABASE_URL unset the data lives in the embedded database under .data/.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';

const root = fileURLToPath(new URL('..', import.meta.url));
const apiPort = process.env.API_PORT || '4000';
const webPort = process.env.WEB_PORT || '3000';
const env = {
  ...process.env,
  API_PORT: apiPort,
  WEB_PORT: webPort,
  DATA_DIR: resolve(root, process.env.DATA_DIR || '.data'),
  API_URL: process.env.API_URL || `http://127.0.0.1:${apiPort}`,
  PUBLIC_URL: process.env.PUBLIC_URL || `http://localhost:${webPort}`,
};

const children = [];
let stopping = false;

function run(name, args, cwd) {
  const child = spawn(process.execPath, args, { cwd: resolve(root, cwd), env, stdio: 'inherit' });
  children.push(child);
  child.on('exit', (code, signal) => {
    if (stopping) return;
    console.error(`${name} stopped (${signal ?? `exit ${code}`}); stopping Consulta.`);
    stop(code || 1);
  });
  return child;
}

function stop(code = 0) {
  stopping = true;
  for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
  setTimeout(() => process.exit(code), 10_000).unref();
  Promise.all(children.map((c) => (c.exitCode === null ? new Promise((r) => c.once('exit', r)) : null))).then(() => process.exit(code));
}
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));

async function waitForApi() {
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline && !stopping) {
    try {
      const res = await fetch(`${env.API_URL}/readyz`);
      if (res.ok) return true;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  return false;
}

run('API', ['dist/main.js'], 'api');
if (!(await waitForApi())) {
  if (!stopping) {
    console.error(`The API did not become ready at ${env.API_URL}/readyz within 3 minutes.`);
    stop(1);
  }
} else {
  run('Web', ['server.js'], 'web');
  console.log(`\n  Consulta is starting at ${env.PUBLIC_URL}  (API: http://localhost:${apiPort}/graphql)\n`);
}
