/**
 * The peer: PostGraphile 4 (the version that runs on Node 20) serving the benchmark database as it
 * comes, with its default inflection and no plugins. Run as its own process:
 *
 *   DATABASE_URL=… node --import tsx bench/peer-server.ts   (prints `listening <port>`)
 */
import { createServer } from 'node:http';
import pg from 'pg';
import { postgraphile } from 'postgraphile';

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.DATABASE_POOL_MAX ?? 10) });
const middleware = postgraphile(pool, 'public', { dynamicJson: true, disableQueryLog: true, graphiql: false, retryOnInitFail: false });
const server = createServer(middleware);
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  console.log(`listening ${(server.address() as { port: number }).port}`);
});
process.on('SIGTERM', () => server.close(() => pool.end().then(() => process.exit(0))));
