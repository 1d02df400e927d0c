/**
 * The peer: PostGraphile 4 (the version that runs on Node 20) serving the benchmark database with
 * its default inflection and no plugins, in production mode, given what it needs to answer the same
 * data as our API: computed columns (SQL functions PostGraphile exposes as fields) for the localized
 * titles and fields, the round's status and the viewer's part in it; and it authenticates the same
 * way, looking the session cookie up at each request and handing the viewer to those functions
 * through `pgSettings`. Run as its own process:
 *
 *   DATABASE_URL=… node --import tsx bench/peer-server.ts   (prints `listening <port>`)
 */
import Module, { createRequire } from 'node:module';
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import { dirname } from 'node:path';
import pg from 'pg';
import { TAKES_PART } from './floor-sql.js';

// PostGraphile 4 brings graphql 15 while graphile-build, hoisted, would load the workspace's 16:
// every `graphql` import goes to PostGraphile's copy, so the schema is built and run by one realm.
const require = createRequire(import.meta.url);
const graphqlDir = dirname(createRequire(require.resolve('postgraphile')).resolve('graphql/package.json'));
const resolve = (Module as unknown as { _resolveFilename: (request: string, ...rest: unknown[]) => string })._resolveFilename;
(Module as unknown as { _resolveFilename: typeof resolve })._resolveFilename = (request, ...rest) =>
  resolve(request === 'graphql' || request.startsWith('graphql/') ? graphqlDir + request.slice('graphql'.length) : request, ...rest);
const { postgraphile } = require('postgraphile') as typeof import('postgraphile');

/** The viewer a request's session names, as PostGraphile's pgSettings hand it to the functions below. */
const VIEWER = `nullif(current_setting('consulta.viewer_id', true), '')::uuid`;
const LANGUAGE = `coalesce(nullif(current_setting('consulta.language', true), ''), 'es')`;

/** Computed columns: `<table>_<name>(row)` becomes the field `name` of the table's type. */
const FUNCTIONS = `
create or replace function peer_localize(t jsonb, reading text[]) returns json language sql immutable as $$
  select json_build_object('value', x.v, 'language', upper(x.l), 'fallback', x.l <> reading[1])
  from (select l, t ->> l as v, o from unnest(reading || array['es', 'en', 'pt', 'fr']) with ordinality as u(l, o)) x
  where x.v <> '' order by x.o limit 1 $$;
comment on function peer_localize(jsonb, text[]) is E'@omit';
create or replace function consultation_round_status(r consultation_round) returns text language sql stable as $$
  select case when now() < r.opens_at then 'SCHEDULED' when now() < r.closes_at then 'OPEN' else 'CLOSED' end $$;
create or replace function consultation_round_viewer_may_take_part(r consultation_round) returns boolean language sql stable as $$
  select coalesce((select ${TAKES_PART('r', 'u.roles', 'u.organization_id', 'coalesce(o.country, u.country)')}
                   from app_user u left join organization o on o.id = u.organization_id where u.id = ${VIEWER}), false) $$;
create or replace function consultation_round_localized_title(r consultation_round) returns json language sql stable as $$
  select peer_localize(r.title, array[${LANGUAGE}, f.source_language]) from framework f where f.id = r.framework_id $$;
create or replace function consultation_round_localized_instructions(r consultation_round) returns json language sql stable as $$
  select peer_localize(r.instructions, array[${LANGUAGE}, f.source_language]) from framework f where f.id = r.framework_id $$;
create or replace function consultation_round_my_commented_indicator_ids(r consultation_round) returns uuid[] language sql stable as $$
  select coalesce(array_agg(distinct c.indicator_id), '{}') from comment c
  where c.round_id = r.id and c.author_id = ${VIEWER} and c.parent_id is null and c.withdrawn_at is null and c.indicator_id is not null $$;
create or replace function indicator_version_localized_title(v indicator_version) returns json language sql stable as $$
  select peer_localize(v.texts -> 'TITLE', array[${LANGUAGE}, f.source_language]) from indicator i join framework f on f.id = i.framework_id where i.id = v.indicator_id $$;
create or replace function indicator_version_fields(v indicator_version, language text) returns json language sql stable as $$
  select json_agg(json_build_object('field', n.name, 'text', peer_localize(v.texts -> n.name, array[language, ${LANGUAGE}, f.source_language])) order by n.o)
  from unnest(array['TITLE','STATEMENT','RATIONALE','MEASUREMENT','VERIFICATION','DATA_SOURCE','LEVELS']) with ordinality as n(name, o),
       indicator i join framework f on f.id = i.framework_id where i.id = v.indicator_id $$;
create or replace function comment_mine(c comment) returns boolean language sql stable as $$ select c.author_id = ${VIEWER} $$;
-- What its replies (commentsByParentId) read by: PostGraphile warns of a relation without an index, and its users add one.
-- Without it each thread's replies were a scan of the comment table (0 indicator pages in 5 s at 200,000 comments).
-- Partial, so that a top-level comment, which ours and the floors write, does not enter it.
create index if not exists peer_comment_parent_index on comment (parent_id) where parent_id is not null;
`;

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.DATABASE_POOL_MAX ?? 10) });
await pool.query(FUNCTIONS);

/** The session cookie's viewer, looked up at each request as our API and the floor do. */
async function pgSettings(req: IncomingMessage) {
  const token = /consulta_session=([^;]+)/.exec(req.headers.cookie ?? '')?.[1] ?? '';
  const { rows } = await pool.query({
    name: 'viewer',
    text: `select u.id, u.language from session s join app_user u on u.id = s.user_id
           where s.token_hash = $1 and s.revoked_at is null and s.expires_at > now() and u.active`,
    values: [createHash('sha256').update(token).digest('hex')],
  });
  return rows[0] ? { 'consulta.viewer_id': rows[0].id, 'consulta.language': rows[0].language } : {};
}

const middleware = postgraphile(pool, 'public', {
  dynamicJson: true,
  disableQueryLog: true,
  graphiql: false,
  retryOnInitFail: false,
  showErrorStack: false,
  extendedErrors: [],
  pgSettings: pgSettings as never,
});
const server = createServer(middleware);
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  console.log(`listening ${(server.address() as { port: number }).port}`);
});
process.on('SIGTERM', () => server.close(() => pool.end().then(() => process.exit(0))));
