/**
 * Statements counted where PostgreSQL receives them, for any server whatever its client library:
 * a TCP relay in front of the database that reads the frontend protocol and counts every simple
 * Query and every Execute of a prepared or unnamed statement sent over the connections of the
 * server it stands in front of (each server gets its own relay).
 * statement-count.ts uses it where PostgreSQL does not load pg_stat_statements, which needs
 * `shared_preload_libraries` and a restart; the relay needs neither.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';
import { pair } from './proxy.js';

export interface WireCounter {
  /** `databaseUrl` with the relay's host and port. */
  url: string;
  /** Statements counted since the last `reset()`. */
  count(): number;
  reset(): void;
  stop(): Promise<void>;
}

const SSL_REQUEST = 80877103;

export async function startWireCounter(databaseUrl: string): Promise<WireCounter> {
  const target = new URL(databaseUrl);
  let count = 0;
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect(Number(target.port || 5432), target.hostname);
    let started = false;
    let buffer = Buffer.alloc(0);
    client.on('data', (chunk) => {
      upstream.write(chunk);
      buffer = Buffer.concat([buffer, chunk]);
      for (;;) {
        if (!started) {
          if (buffer.length < 8) return;
          const length = buffer.readInt32BE(0);
          if (buffer.length < length) return;
          const code = buffer.readInt32BE(4);
          // The startup message (protocol 3.0) or a cancel request; an SSL request is followed by the startup.
          if (code !== SSL_REQUEST) started = true;
          buffer = buffer.subarray(length);
          continue;
        }
        if (buffer.length < 5) return;
        const length = buffer.readInt32BE(1) + 1;
        if (buffer.length < length) return;
        const type = String.fromCharCode(buffer[0]);
        if (type === 'Q' || type === 'E') count++;
        buffer = buffer.subarray(length);
      }
    });
    upstream.on('data', (chunk) => client.write(chunk));
    pair(client, upstream, sockets);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  const url = new URL(databaseUrl);
  url.hostname = '127.0.0.1';
  url.port = String(port);
  return {
    url: url.toString(),
    count: () => count,
    reset: () => {
      count = 0;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
