/**
 * Before any load, every server must answer each scenario with the same data as our API: a
 * throughput figure of a server that answers less (or something else) compares nothing. Answers
 * are put in our API's shape (each contender's `normalize`), timestamps to the millisecond (JSON
 * from PostgreSQL keeps microseconds and its own offset), `serverTime` left out (it is the clock),
 * and compared deeply; a write's answer is compared with its ids masked, and a write doing the
 * same work as ours must change the same rows.
 */
import pg from 'pg';
import type { Request, Scenario } from './scenarios.js';

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Timestamps as `toISOString()` writes them; `serverTime` out; ids masked when `maskIds`. */
export function canonical(value: unknown, maskIds = false): unknown {
  if (Array.isArray(value)) return value.map((v) => canonical(v, maskIds));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).filter(([k]) => k !== 'serverTime').map(([k, v]) => [k, canonical(v, maskIds)]));
  }
  if (typeof value === 'string' && ISO.test(value)) return new Date(value).toISOString();
  if (typeof value === 'string' && maskIds && UUID.test(value)) return '<id>';
  return value;
}

/** The first path where `a` and `b` differ, with both values there; null when they are the same. */
export function firstDifference(a: unknown, b: unknown, path = '$'): string | null {
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
      if (i >= a.length || i >= b.length) return `${path}: ${a.length} items vs ${b.length}`;
      const d = firstDifference(a[i], b[i], `${path}[${i}]`);
      if (d) return d;
    }
    return null;
  }
  if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    for (const k of keys) {
      if (!(k in a)) return `${path}.${k}: missing in ours`;
      if (!(k in b)) return `${path}.${k}: missing in the other`;
      const d = firstDifference((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`);
      if (d) return d;
    }
    return null;
  }
  return a === b ? null : `${path}: ${JSON.stringify(a)?.slice(0, 120)} vs ${JSON.stringify(b)?.slice(0, 120)}`;
}

/** One request by hand: the parsed answer, or why it failed (non-2xx, GraphQL errors). */
export async function ask(baseUrl: string, r: Request): Promise<{ json?: unknown; problem?: string }> {
  const { cookie, body } = r.next();
  const res = await fetch(baseUrl + r.path, { method: r.method, headers: { cookie, 'content-type': 'application/json' }, body });
  const text = await res.text();
  if (res.status < 200 || res.status > 299) return { problem: `HTTP ${res.status}: ${text.slice(0, 300)}` };
  const json = JSON.parse(text);
  if (json.errors) return { problem: `GraphQL errors: ${JSON.stringify(json.errors).slice(0, 300)}` };
  return { json };
}

/** What one request wrote: rows added or touched per table and how the maintained counters moved. */
async function effects(db: pg.Client, send: () => Promise<unknown>) {
  const snapshot = async () =>
    (
      await db.query(`select now() as at,
        (select coalesce(sum(comment_count), 0)::int from consultation_round) as "round comments", (select coalesce(sum(undisposed_count), 0)::int from consultation_round) as "round undisposed",
        (select coalesce(sum(comment_count), 0)::int from round_version) as "indicator comments", (select coalesce(sum(undisposed_count), 0)::int from round_version) as "indicator undisposed"`)
    ).rows[0];
  const before = await snapshot();
  await send();
  const after = await snapshot();
  const { rows } = await db.query(
    `select 'comment' as t, count(*)::int as n from comment where created_at >= $1
     union all select 'audit entry ' || action, count(*)::int from audit_entry where at >= $1 group by action
     union all select 'live event ' || kind || ' on ' || split_part(topic, ':', 1) || ' (' || (select string_agg(k, ',' order by k) from jsonb_object_keys(ids) k) || ')', count(*)::int
               from live_event where at >= $1 group by 1
     union all select 'vote', count(*)::int from ballot_vote where updated_at >= $1`,
    [before.at],
  );
  const counters = Object.fromEntries(Object.keys(before).filter((k) => k !== 'at').map((k) => [k, after[k] - before[k]]));
  return { ...Object.fromEntries(rows.filter((r) => r.n > 0).map((r) => [r.t, r.n])), ...counters };
}

export interface Urls {
  ours: string;
  floor?: string;
  peer?: string;
}

/**
 * Compares every contender's answer with ours, scenario by scenario; throws naming the first
 * difference. Writes are compared last, on `databaseUrl`, one request at a time.
 */
export async function sameAnswers(urls: Urls, list: Scenario[], databaseUrl: string): Promise<string[]> {
  const checked: string[] = [];
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  const fail = (s: Scenario, who: string, why: string) => {
    throw new Error(`not the same answer: ${s.name}, ${who}: ${why}`);
  };
  try {
    for (const s of [...list].sort((a, b) => Number(!!a.write) - Number(!!b.write))) {
      const present = s.others.filter((o) => urls[o.server]);
      let oursJson: unknown;
      const oursEffects = await effects(db, async () => {
        const r = await ask(urls.ours, s.ours);
        if (r.problem) fail(s, 'ours', r.problem);
        oursJson = r.json;
      });
      for (const o of present) {
        let json: unknown;
        const done = await effects(db, async () => {
          const r = await ask(urls[o.server]!, o.request);
          if (r.problem) fail(s, o.label, r.problem);
          json = o.request.normalize ? o.request.normalize(r.json) : r.json;
        });
        const difference = firstDifference(canonical(oursJson, o.compare === 'shape'), canonical(json, o.compare === 'shape'));
        if (difference) fail(s, o.label, difference);
        if (s.write && o.sameWork) {
          const d = firstDifference(oursEffects, done);
          if (d) fail(s, `${o.label} (rows written: ours ${JSON.stringify(oursEffects)}, it ${JSON.stringify(done)})`, d);
        }
        checked.push(`${s.name}: ${o.label} ${o.compare === 'data' ? 'answers the same data' : 'answers the same shape'}${s.write && o.sameWork ? ` and writes the same rows (${describe(oursEffects)})` : ''}`);
      }
    }
  } finally {
    await db.end();
  }
  return checked;
}

const describe = (e: Record<string, number>) =>
  Object.entries(e)
    .filter(([, n]) => n)
    .map(([k, n]) => `${k} ${n > 0 ? '+' : ''}${n}`)
    .join(', ');
