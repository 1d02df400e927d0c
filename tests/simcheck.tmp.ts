import pg from 'pg';
import { campaignComment, distinctComment, seededRandom } from '/work/main/tests/api/analysis/campaign.ts';
const admin = new pg.Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/postgres' });
await admin.connect();
const db = `analysis_scratch_${process.pid}`;
await admin.query(`create database ${db}`);
const c = new pg.Client({ connectionString: `postgres://postgres@127.0.0.1:5432/${db}` });
await c.connect();
try {
  await c.query('create extension pg_trgm; create extension unaccent');
  await c.query(`create function n(text) returns text language sql immutable as $$ select btrim(regexp_replace(lower(public.unaccent($1)), '\\s+', ' ', 'g')) $$`);
  const r = seededRandom(42);
  const camp = Array.from({ length: 200 }, () => campaignComment(r));
  const dist = Array.from({ length: 500 }, () => distinctComment(r).body);
  await c.query('create table t (id serial, kind text, body text)');
  for (const b of camp) await c.query("insert into t (kind, body) values ('c', $1)", [b]);
  for (const b of dist) await c.query("insert into t (kind, body) values ('d', $1)", [b]);
  const q = async (sql: string) => (await c.query(sql)).rows;
  console.log('campaign-campaign min', await q(`select min(similarity(n(a.body), n(b.body))), avg(similarity(n(a.body), n(b.body))) from t a join t b on a.id < b.id where a.kind='c' and b.kind='c'`));
  console.log('campaign-distinct max', await q(`select max(similarity(n(a.body), n(b.body))) from t a join t b on a.kind='c' and b.kind='d'`));
  await c.query('create index on t using gin (n(body) gin_trgm_ops)'); await c.query("set pg_trgm.similarity_threshold = 0.6"); console.log('distinct-distinct', await q(`select count(*) as over, max(similarity(n(a.body), n(b.body))) from t a join t b on n(a.body) % n(b.body) and a.id < b.id where a.kind='d' and b.kind='d'`)); console.log(await q(`select max(similarity(n(a.body), n(b.body))) from t a join t b on a.id < b.id where a.kind='d' and b.kind='d' and a.id < 200 and b.id < 400`));
  console.log(camp[3], '\n', dist[0], '\n', dist[1]);
} finally {
  await c.end();
  await admin.query(`drop database ${db}`);
  await admin.end();
}
