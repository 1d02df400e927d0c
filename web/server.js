// Consulta's web server: the built SvelteKit app, plus /graphql (HTTP and WebSocket) and /exports/
// forwarded to the API, so the browser talks to one origin and the session cookie stays first-party.
import { createServer } from 'node:http';
import { createProxyServer } from 'http-proxy-3';
import compression from 'compression';

function setting(name, fallback, check) {
  const value = process.env[name] || fallback;
  const problem = check(value);
  if (problem) {
    console.error(`Invalid setting ${name}: ${problem} (got "${value}")`);
    process.exit(2);
  }
  return value;
}

const apiUrl = setting('API_URL', 'http://127.0.0.1:4000', (v) => {
  try {
    return /^https?:$/.test(new URL(v).protocol) ? null : 'must be an http(s) URL';
  } catch {
    return 'must be a URL such as http://127.0.0.1:4000';
  }
});
const port = Number(setting('WEB_PORT', '3000', (v) => (/^\d+$/.test(v) && Number(v) <= 65535 ? null : 'must be a port number 0-65535')));
const host = setting('WEB_HOST', '0.0.0.0', (v) => (v.trim() ? null : 'must be a host name or address'));
// The SvelteKit handler reads API_URL too; make sure it sees the validated value.
process.env.API_URL = apiUrl;
// adapter-node assumes https unless told otherwise, which fails the form-submission origin check on plain http.
// Serving directly, we know the protocol; behind a TLS proxy set ORIGIN (or PROTOCOL_HEADER=x-forwarded-proto).
const ownProtocolHeader = !process.env.ORIGIN && !process.env.PROTOCOL_HEADER ? 'x-consulta-protocol' : null;
if (ownProtocolHeader) process.env.PROTOCOL_HEADER = ownProtocolHeader;

// A round imported from the browser (admin/import) may be as large as the API's body limit
// (GRAPHQL_MAX_BODY_BYTES, 1 MB by default), and a certification evidence file or questionnaire as
// large as EVIDENCE_MAX_BYTES (10 MB by default), with room for the multipart form around it: the
// adapter's default of 512 kB would refuse them before the page could say why.
process.env.BODY_SIZE_LIMIT ||= '12M';
const { handler } = await import('./build/handler.js');
const proxy = createProxyServer({ target: apiUrl, xfwd: true });
proxy.on('error', (err, _req, res) => {
  console.error(`web: the API at ${apiUrl} did not answer: ${err.message}`);
  if (res && 'writeHead' in res && !res.headersSent) {
    res.writeHead(502, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ errors: [{ message: 'The API is not reachable', extensions: { code: 'BAD_GATEWAY' } }] }));
  } else if (res && 'destroy' in res) {
    res.destroy();
  }
});

// /unsubscribe is the List-Unsubscribe address of notification mails: a mail provider's one-click POST
// carries no Origin, which SvelteKit's form check would refuse, so the API answers it.
const toApi = (url = '') => url === '/graphql' || url.startsWith('/graphql?') || url.startsWith('/exports/') || url.startsWith('/unsubscribe?');

// Server-rendered pages are compressed here; built assets are already precompressed by the adapter.
const compress = compression();

const server = createServer((req, res) => {
  if (toApi(req.url)) return proxy.web(req, res);
  if (ownProtocolHeader) req.headers[ownProtocolHeader] = 'http';
  compress(req, res, () => handler(req, res));
});
server.on('upgrade', (req, socket, head) => {
  if (toApi(req.url)) proxy.ws(req, socket, head);
  else socket.destroy();
});

server.listen(port, host, () => {
  const address = server.address();
  const shown = typeof address === 'object' && address ? address.port : port;
  console.log(`Consulta web ready at http://localhost:${shown} (API: ${apiUrl})`);
});

for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
  });
}
