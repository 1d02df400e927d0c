import { createServer, request as httpRequest, type IncomingMessage } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import type { Browser, BrowserContext } from 'playwright-core';
import { newContext, type ContextOptions } from './browser.js';

/**
 * A browser context whose link to the platform the test can cut, for the offline tests: every request
 * goes through a proxy here, and `setOffline(context, true)` cuts it as well as telling the pages.
 *
 * Playwright's context.setOffline alone leaks (microsoft/playwright#2311 and kin): Chromium still sends
 * some requests past its emulation, and Playwright reports none of them. Seen here: while a page was
 * left for another without a link (page.goto), the page being left sent the answer autosave's retry
 * (its `online` listener: the timed retry was seconds away) and the API saved it; the outbox's key
 * request and the service worker's update checks went out the same way. Cut here, nothing leaves the
 * browser, whichever document or worker sends it.
 */
export async function contextWithLink(browser: Browser, baseURL: string, options: Omit<ContextOptions, 'proxy'> = {}): Promise<BrowserContext> {
  const link = await startLink();
  const context = await newContext(browser, baseURL, { ...options, proxy: link.proxy });
  links.set(context, link);
  context.on('close', () => void link.close());
  return context;
}

/** No link, or the link back: the pages hear of it (Playwright's setOffline), and nothing gets through for as long as they think so. */
export async function setOffline(context: BrowserContext, offline: boolean) {
  const link = links.get(context);
  if (!link) throw new Error('setOffline: the context was not made by contextWithLink');
  link.set(!offline);
  await context.setOffline(offline);
}

interface Link {
  proxy: { server: string };
  /** Cuts the link (every request refused, every open connection closed) or restores it. */
  set(up: boolean): void;
  close(): Promise<void>;
}

const links = new WeakMap<BrowserContext, Link>();

/** A forwarding proxy on a free port (plain HTTP, and tunnels for WebSockets) that refuses everything while cut. */
async function startLink(): Promise<Link> {
  let up = true;
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    if (!up) return req.socket.destroy();
    const target = new URL(req.url ?? '');
    const headers = { ...req.headers };
    delete headers['proxy-connection'];
    const upstream = httpRequest({ host: target.hostname, port: target.port, path: `${target.pathname}${target.search}`, method: req.method, headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.statusMessage, answer.rawHeaders);
      answer.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  server.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => {
    if (!up) return client.destroy();
    const [host, port] = (req.url ?? '').split(':');
    const upstream = connect(Number(port), host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
    client.on('close', () => upstream.destroy());
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const closeAll = () => {
    for (const socket of sockets) socket.destroy();
  };
  return {
    proxy: { server: `http://127.0.0.1:${(server.address() as AddressInfo).port}` },
    set(value: boolean) {
      up = value;
      if (!up) closeAll();
    },
    close: () =>
      new Promise<void>((resolve) => {
        closeAll();
        server.close(() => resolve());
      }),
  };
}
