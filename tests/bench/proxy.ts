/**
 * A round-robin proxy for several API processes, as a load balancer in front of them would be:
 * each HTTP request goes to the next process in turn (over kept-alive connections), and each
 * WebSocket upgrade too, its bytes then relayed both ways as they are.
 */
import { Agent, createServer, request } from 'node:http';
import { connect, type Socket } from 'node:net';

export interface Proxy {
  url: string;
  stop(): Promise<void>;
}

/** Two sockets relayed to each other: kept in `open` until either ends, and then both closed. */
export function pair(client: Socket, upstream: Socket, open: Set<Socket>) {
  open.add(client).add(upstream);
  const close = () => {
    client.destroy();
    upstream.destroy();
    open.delete(client);
    open.delete(upstream);
  };
  client.on('error', close).on('close', close);
  upstream.on('error', close).on('close', close);
}

export async function startProxy(targets: string[]): Promise<Proxy> {
  const upstreams = targets.map((t) => new URL(t));
  const agent = new Agent({ keepAlive: true, maxSockets: 512 });
  const sockets = new Set<Socket>();
  let next = 0;
  const pick = () => upstreams[next++ % upstreams.length];

  const server = createServer((req, res) => {
    const to = pick();
    const forward = request({ host: to.hostname, port: to.port, method: req.method, path: req.url, headers: req.headers, agent }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    forward.on('error', () => res.headersSent ? res.destroy() : res.writeHead(502).end());
    req.pipe(forward);
  });

  server.on('upgrade', (req, client: Socket, head: Buffer) => {
    const to = pick();
    const upstream = connect(Number(to.port), to.hostname, () => {
      const headers: string[] = [];
      for (let i = 0; i < req.rawHeaders.length; i += 2) headers.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
      upstream.write(`${req.method} ${req.url} HTTP/1.1\r\n${headers.join('\r\n')}\r\n\r\n`);
      if (head.length) upstream.write(head);
      client.pipe(upstream).pipe(client);
    });
    pair(client, upstream, sockets);
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        agent.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
