/**
 * The peer: PostGraphile 4 (the version that runs on Node 20) serving the benchmark database as it
 * comes, with its default inflection and no plugins. Run as its own process:
 *
 *   DATABASE_URL=… node --import tsx bench/peer-server.ts   (prints `listening <port>`)
 */
import Module, { createRequire } from 'node:module';
import { createServer } from 'node:http';
import { dirname } from 'node:path';
import pg from 'pg';

// PostGraphile 4 brings graphql 15 while graphile-build, hoisted, would load the workspace's 16:
// every `graphql` import goes to PostGraphile's copy, so the schema is built and run by one realm.
const require = createRequire(import.meta.url);
const graphqlDir = dirname(createRequire(require.resolve('postgraphile')).resolve('graphql/package.json'));
const resolve = (Module as unknown as { _resolveFilename: (request: string, ...rest: unknown[]) => string })._resolveFilename;
(Module as unknown as { _resolveFilename: typeof resolve })._resolveFilename = (request, ...rest) =>
  resolve(request === 'graphql' || request.startsWith('graphql/') ? graphqlDir + request.slice('graphql'.length) : request, ...rest);
const { postgraphile } = require('postgraphile') as typeof import('postgraphile');

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.DATABASE_POOL_MAX ?? 10) });
const middleware = postgraphile(pool, 'public', { dynamicJson: true, disableQueryLog: true, graphiql: false, retryOnInitFail: false });
const server = createServer(middleware);
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  console.log(`listening ${(server.address() as { port: number }).port}`);
});
process.on('SIGTERM', () => server.close(() => pool.end().then(() => process.exit(0))));
