/**
 * The floor: the round page and the indicator page (the web's `Round` and `RoundIndicator` data,
 * same JSON shape), `addComment` and `castVote`, by hand-written SQL through `pg` behind a bare
 * node:http server. No GraphQL, no ORM, no validation beyond the session: what the database and
 * Node cost at the least. Run as its own process:
 *
 *   DATABASE_URL=… node --import tsx bench/floor-server.ts   (prints `listening <port>`)
 */
import { createHash, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import pg from 'pg';

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.DATABASE_POOL_MAX ?? 10) });

type Text = Record<string, string> | null;
const localized = (t: Text, language: string) => {
  if (!t) return null;
  const value = t[language] ?? t.es ?? Object.values(t)[0] ?? '';
  return { value, language: t[language] ? language : 'es', fallback: !t[language] };
};

async function viewer(req: IncomingMessage) {
  const token = /consulta_session=([^;]+)/.exec(req.headers.cookie ?? '')?.[1];
  if (!token) return null;
  const { rows } = await pool.query(
    `select u.id, u.name, u.language, u.organization_id from session s join app_user u on u.id = s.user_id
     where s.token_hash = $1 and s.revoked_at is null and s.expires_at > now() and u.active`,
    [createHash('sha256').update(token).digest('hex')],
  );
  return rows[0] ?? null;
}

function groupBy<T, K>(rows: T[], key: (row: T) => K) {
  const groups = new Map<K, T[]>();
  for (const row of rows) {
    const k = key(row);
    const group = groups.get(k);
    if (group) group.push(row);
    else groups.set(k, [row]);
  }
  return groups;
}

const status = (r: { opens_at: Date; closes_at: Date }) => (Date.now() < +r.opens_at ? 'SCHEDULED' : Date.now() < +r.closes_at ? 'OPEN' : 'CLOSED');

async function roundPage(roundId: string, me: { id: string; language: string }) {
  const [{ rows: rounds }, { rows: items }] = await Promise.all([
    pool.query(
      `select r.*, f.slug, (select coalesce(array_agg(distinct c.indicator_id), '{}') from comment c
                            where c.round_id = r.id and c.author_id = $2 and c.parent_id is null and c.withdrawn_at is null) as commented
       from consultation_round r join framework f on f.id = r.framework_id where r.id = $1`,
      [roundId, me.id],
    ),
    pool.query(
      `select rv.id, rv.comment_count, rv.undisposed_count, i.id as indicator_id, i.code, v.texts -> 'TITLE' as title, s.id as section_id, s.code as section_code
       from round_version rv join indicator i on i.id = rv.indicator_id join section s on s.id = i.section_id join indicator_version v on v.id = rv.indicator_version_id
       where rv.round_id = $1 order by rv.position`,
      [roundId],
    ),
  ]);
  const r = rounds[0];
  return {
    round: {
      id: r.id,
      status: status(r),
      opensAt: r.opens_at,
      closesAt: r.closes_at,
      serverTime: new Date(),
      commentCount: r.comment_count,
      undisposedCount: r.undisposed_count,
      replyCount: r.reply_count,
      ratingsEnabled: r.ratings_enabled,
      viewerMayTakePart: status(r) === 'OPEN',
      title: localized(r.title, me.language),
      instructions: localized(r.instructions, me.language),
      framework: { id: r.framework_id, slug: r.slug },
      myProgress: { indicatorCount: items.length, commentedCount: r.commented.length, commentedIndicatorIds: r.commented },
      indicators: items.map((i) => ({
        id: i.id,
        commentCount: i.comment_count,
        undisposedCount: i.undisposed_count,
        indicator: { id: i.indicator_id, code: i.code, title: localized(i.title, me.language), section: { id: i.section_id, code: i.section_code } },
      })),
    },
  };
}

const COMMENT_COLUMNS = `c.id, c.type, c.body, c.body_html, c.proposed_change, c.official, c.author_id, c.created_at, c.edited_at, c.withdrawn_at, c.parent_id, c.thread_id,
  c.author_name, c.author_organization_name, c.author_country, c.anchor, d.status, d.response, d.response_html, d.decided_by_name, d.decided_at, d.duplicate_of_id`;

async function indicatorPage(roundId: string, indicatorId: string, first: number, me: { id: string; language: string }) {
  const [{ rows: heads }, { rows: page }, { rows: total }] = await Promise.all([
    pool.query(
      `select r.id, r.opens_at, r.closes_at, r.title, r.framework_id, rv.id as rv_id, rv.comment_count, rv.undisposed_count, i.code, v.id as version_id, v.number, v.texts
       from consultation_round r join round_version rv on rv.round_id = r.id and rv.indicator_id = $2
       join indicator i on i.id = rv.indicator_id join indicator_version v on v.id = rv.indicator_version_id where r.id = $1`,
      [roundId, indicatorId],
    ),
    pool.query(
      `select ${COMMENT_COLUMNS} from comment c left join disposition d on d.comment_id = c.id
       where c.round_id = $1 and c.indicator_id = $2 and c.parent_id is null order by c.created_at, c.id limit $3`,
      [roundId, indicatorId, first],
    ),
    pool.query('select count(*)::int as n from comment c where c.round_id = $1 and c.indicator_id = $2 and c.parent_id is null', [roundId, indicatorId]),
  ]);
  const ids = page.map((c) => c.id);
  const [{ rows: replies }, { rows: revisions }] = await Promise.all([
    pool.query(`select ${COMMENT_COLUMNS} from comment c left join disposition d on d.comment_id = c.id where c.thread_id = any($1) and c.parent_id is not null order by c.created_at`, [ids]),
    pool.query('select comment_id, number, body, written_at from comment_revision where comment_id = any($1) order by number', [ids]),
  ]);
  const revisionsOf = groupBy(revisions, (r) => r.comment_id);
  const repliesOf = groupBy(replies, (r) => r.thread_id);
  const node = (c: Record<string, any>) => ({
    id: c.id,
    type: c.type,
    body: c.body,
    bodyHtml: c.body_html,
    proposedChange: c.proposed_change,
    official: c.official,
    mine: c.author_id === me.id,
    createdAt: c.created_at,
    editedAt: c.edited_at,
    withdrawnAt: c.withdrawn_at,
    parentId: c.parent_id,
    author: { userId: c.author_id, name: c.author_name, organizationName: c.author_organization_name, country: c.author_country },
    anchor: c.anchor && { field: c.anchor.field, language: c.anchor.language, exact: c.anchor.exact, start: c.anchor.start, end: c.anchor.end },
    disposition: c.status && { status: c.status, response: c.response, responseHtml: c.response_html, decidedByName: c.decided_by_name, decidedAt: c.decided_at, duplicateOfId: c.duplicate_of_id },
    revisions: (revisionsOf.get(c.id) ?? []).map((r) => ({ number: r.number, body: r.body, writtenAt: r.written_at })),
  });
  const h = heads[0];
  return {
    round: {
      id: h.id,
      status: status(h),
      closesAt: h.closes_at,
      viewerMayTakePart: status(h) === 'OPEN',
      title: { value: localized(h.title, me.language)!.value },
      framework: { id: h.framework_id },
      indicator: {
        id: h.rv_id,
        commentCount: h.comment_count,
        undisposedCount: h.undisposed_count,
        indicator: { id: indicatorId, code: h.code },
        indicatorVersion: {
          id: h.version_id,
          number: h.number,
          fields: Object.entries(h.texts as Record<string, Text>).map(([field, text]) => ({ field, text: localized(text, me.language) })),
        },
      },
    },
    roundComments: { totalCount: total[0].n, edges: page.map((c) => ({ node: { ...node(c), thread: (repliesOf.get(c.id) ?? []).map(node) } })) },
  };
}

/** The same writes as addComment: the row and both maintained counters, in one transaction. */
async function addComment(me: { id: string; name: string; organization_id: string | null }, input: { roundId: string; targetId: string; type: string; body: string }) {
  const client = await pool.connect();
  try {
    await client.query('begin');
    const id = randomUUID();
    await client.query(
      `insert into comment (id, round_id, thread_id, target_kind, indicator_version_id, indicator_id, section_id, type, body, body_html,
                            author_id, author_name, author_organization_id, author_organization_name, author_organization_kind, author_country, created_at)
       select $1, rv.round_id, $1, 'INDICATOR_VERSION', rv.indicator_version_id, rv.indicator_id, i.section_id, $4, $5, '<p>' || $5 || '</p>', $6, $7, o.id, o.name, o.kind, o.country, now()
       from round_version rv join indicator i on i.id = rv.indicator_id left join organization o on o.id = $8
       where rv.round_id = $2 and rv.indicator_version_id = $3`,
      [id, input.roundId, input.targetId, input.type, input.body, me.id, me.name, me.organization_id],
    );
    await client.query('update consultation_round set comment_count = comment_count + 1, undisposed_count = undisposed_count + 1 where id = $1', [input.roundId]);
    await client.query('update round_version set comment_count = comment_count + 1, undisposed_count = undisposed_count + 1 where round_id = $1 and indicator_version_id = $2', [input.roundId, input.targetId]);
    await client.query('commit');
    return { addComment: { id } };
  } catch (e) {
    await client.query('rollback');
    throw e;
  } finally {
    client.release();
  }
}

/** The same upsert as castVote (the tally trigger moves the counters). */
async function castVote(me: { id: string; name: string }, input: { questionId: string; choice: string }) {
  const { rows } = await pool.query(
    `insert into ballot_vote (id, ballot_id, question_id, voter_id, choice, reason, cast_by_id, cast_by_name, cast_at, updated_at)
     select $1, q.ballot_id, q.id, bv.id, $3, null, $4, $5, now(), now()
     from ballot_question q join ballot_voter bv on bv.ballot_id = q.ballot_id and bv.user_id = $4 where q.id = $2
     on conflict (question_id, voter_id) do update set choice = excluded.choice, reason = excluded.reason, cast_by_id = excluded.cast_by_id,
        cast_by_name = excluded.cast_by_name, updated_at = excluded.updated_at
     returning id, choice, reason`,
    [randomUUID(), input.questionId, input.choice, me.id, me.name],
  );
  return { castVote: rows[0] };
}

async function body(req: IncomingMessage) {
  let text = '';
  for await (const chunk of req) text += chunk;
  return text ? JSON.parse(text) : {};
}

async function handle(req: IncomingMessage, res: ServerResponse) {
  const me = await viewer(req);
  if (!me) return void res.writeHead(401).end();
  const url = new URL(req.url ?? '/', 'http://floor');
  const [, kind, a, b] = url.pathname.split('/');
  let data: unknown;
  if (kind === 'round') data = await roundPage(a, me);
  else if (kind === 'indicator') data = await indicatorPage(a, b, Number(url.searchParams.get('first') ?? 50), me);
  else if (kind === 'comment' && req.method === 'POST') data = await addComment(me, await body(req));
  else if (kind === 'vote' && req.method === 'POST') data = await castVote(me, await body(req));
  else return void res.writeHead(404).end();
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data }));
}

const server = createServer((req, res) => {
  handle(req, res).catch((e: Error) => res.writeHead(500, { 'content-type': 'text/plain' }).end(e.message));
});
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  console.log(`listening ${(server.address() as { port: number }).port}`);
});
process.on('SIGTERM', () => server.close(() => pool.end().then(() => process.exit(0))));
