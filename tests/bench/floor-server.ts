/**
 * The floors: what the same answers cost without our framework, behind a bare node:http server.
 *
 * - `/round/:id`, `/indicator/:roundId/:indicatorId?first=`: the round page and the indicator page
 *   (the web's `Round` and `RoundIndicator` data, the same JSON as our API), built in Node from a
 *   few hand-written statements through `pg` (the second line).
 * - `/sql/…` (floor-sql.ts): the physical floor, one prepared statement per page building the JSON
 *   in PostgreSQL; `/sql/round-recount/:id` counts the comments at each request.
 * - `/comment` and `/vote`: the bare write, one INSERT (an upsert for a vote);
 *   `/comment/same-work` and `/vote/same-work`: the same checks and writes as ours, in one statement.
 *
 * Every route but `/sql/…` looks the session up first, as our API does. Run as its own process:
 *
 *   DATABASE_URL=… node --import tsx bench/floor-server.ts   (prints `listening <port>`)
 */
import { createHash, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import pg from 'pg';
import { TAKES_PART, sqlFloor } from './floor-sql.js';

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.DATABASE_POOL_MAX ?? 10) });

interface Viewer {
  id: string;
  name: string;
  language: string;
  roles: string[];
  organization_id: string | null;
}
interface CommentInput {
  roundId: string;
  targetId: string;
  type: string;
  body: string;
}
interface VoteInput {
  questionId: string;
  choice: string;
}

const FIELDS = ['TITLE', 'STATEMENT', 'RATIONALE', 'MEASUREMENT', 'VERIFICATION', 'DATA_SOURCE', 'LEVELS'];
type Text = Record<string, string> | null;
/** `localize()` of api/src/i18n/localized-text.ts: the reading languages, then the source, then any. */
const localized = (t: Text, ...reading: string[]) => {
  if (!t) return null;
  const order = [...reading, 'es', 'en', 'pt', 'fr'];
  const language = order.find((l) => t[l]);
  return language ? { value: t[language], language: language.toUpperCase(), fallback: language !== order[0] } : null;
};

const tokenHash = (req: IncomingMessage) => createHash('sha256').update(/consulta_session=([^;]+)/.exec(req.headers.cookie ?? '')?.[1] ?? '').digest('hex');

async function viewer(req: IncomingMessage): Promise<Viewer | null> {
  const { rows } = await pool.query({
    name: 'viewer',
    text: `select u.id, u.name, u.language, u.roles, u.organization_id from session s join app_user u on u.id = s.user_id
           where s.token_hash = $1 and s.revoked_at is null and s.expires_at > now() and u.active`,
    values: [tokenHash(req)],
  });
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

async function roundPage(roundId: string, me: Viewer) {
  const [{ rows: rounds }, { rows: items }] = await Promise.all([
    pool.query(
      `select r.*, f.slug, (select coalesce(array_agg(distinct c.indicator_id), '{}') from comment c
                            where c.round_id = r.id and c.author_id = $2 and c.parent_id is null and c.withdrawn_at is null and c.indicator_id is not null) as commented
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

async function indicatorPage(roundId: string, indicatorId: string, first: number, me: Viewer) {
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
    // As ours counts it: the version's counter of standing comments, plus the withdrawn ones.
    pool.query(
      `select rv.comment_count + (select count(*)::int from comment c where c.round_id = $1 and c.indicator_id = $2 and c.parent_id is null and c.withdrawn_at is not null) as n
       from round_version rv where rv.round_id = $1 and rv.indicator_id = $2`,
      [roundId, indicatorId],
    ),
  ]);
  const ids = page.map((c) => c.id);
  const inThreads = 'select id from comment where thread_id = any($1)';
  const [{ rows: replies }, { rows: revisions }, { rows: takenUp }] = await Promise.all([
    pool.query(`select ${COMMENT_COLUMNS} from comment c left join disposition d on false where c.thread_id = any($1) and c.parent_id is not null order by c.created_at, c.id`, [ids]),
    pool.query(`select comment_id, number, body, written_at from comment_revision where comment_id in (${inThreads}) order by number`, [ids]),
    pool.query(
      `select rc.comment_id, v.id, v.number, v.status from revision_comment rc join indicator_version v on v.id = rc.revision_id
       where rc.comment_id in (${inThreads}) order by v.created_at desc`,
      [ids],
    ),
  ]);
  const revisionsOf = groupBy(revisions, (r) => r.comment_id);
  const takenUpOf = groupBy(takenUp, (r) => r.comment_id);
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
    anchor: c.anchor && { field: c.anchor.field, language: c.anchor.language.toUpperCase(), exact: c.anchor.exact, start: c.anchor.start, end: c.anchor.end },
    disposition: c.status ? { status: c.status, response: c.response, responseHtml: c.response_html, decidedByName: c.decided_by_name, decidedAt: c.decided_at, duplicateOfId: c.duplicate_of_id } : null,
    revisions: c.edited_at ? (revisionsOf.get(c.id) ?? []).map((r) => ({ number: r.number, body: r.body, writtenAt: r.written_at })) : [],
    takenUpBy: (takenUpOf.get(c.id) ?? []).map((v) => ({ id: v.id, number: v.number, status: v.status })),
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
          fields: FIELDS.map((field) => ({ field, text: localized(h.texts[field] ?? null, 'es', me.language) })),
        },
      },
    },
    roundComments: { totalCount: total[0].n, edges: page.map((c) => ({ node: { ...node(c), thread: (repliesOf.get(c.id) ?? []).map(node) } })) },
  };
}

/** Bare: the comment's row alone, one INSERT (what a write costs at the very least). */
async function addCommentBare(me: Viewer, input: CommentInput) {
  const id = randomUUID();
  await pool.query({
    name: 'comment-bare',
    text: `insert into comment (id, round_id, thread_id, target_kind, indicator_version_id, indicator_id, section_id, type, body, body_html,
                                author_id, author_name, author_organization_id, author_organization_name, author_organization_kind, author_country, created_at)
           select $1, rv.round_id, $1, 'INDICATOR_VERSION', rv.indicator_version_id, rv.indicator_id, i.section_id, $4, $5, '<p>' || $5 || '</p>', $6, $7, o.id, o.name, o.kind, o.country, now()
           from round_version rv join indicator i on i.id = rv.indicator_id left join organization o on o.id = $8
           where rv.round_id = $2 and rv.indicator_version_id = $3`,
    values: [id, input.roundId, input.targetId, input.type, input.body, me.id, me.name, me.organization_id],
  });
  return { addComment: { id } };
}

/**
 * The same work as our addComment, in one statement (so one transaction, one round trip): the
 * round open and the viewer in its audience, the target pinned in it, the author's organization;
 * the comment, its audit entry, both counters (the round's row before the version's, as ours), an
 * event on the round's and the indicator's live topics, and the round's dispatch job.
 */
async function addCommentSameWork(me: Viewer, input: CommentInput) {
  const id = randomUUID();
  const { rows } = await pool.query({
    name: 'comment-same-work',
    text: `with target as (
             select r.id as round_id, rv.indicator_version_id, rv.indicator_id, i.section_id, o.id as org_id, o.name as org_name, o.kind as org_kind, o.country as org_country
             from consultation_round r join round_version rv on rv.round_id = r.id and rv.indicator_version_id = $3
             join indicator i on i.id = rv.indicator_id left join organization o on o.id = $8
             where r.id = $2 and ${TAKES_PART('r', '$9::text[]', 'o.id', 'o.country')}),
           added as (
             insert into comment (id, round_id, thread_id, target_kind, indicator_version_id, indicator_id, section_id, type, body, body_html,
                                  author_id, author_name, author_organization_id, author_organization_name, author_organization_kind, author_country, created_at)
             select $1, t.round_id, $1, 'INDICATOR_VERSION', t.indicator_version_id, t.indicator_id, t.section_id, $4, $5, '<p>' || $5 || '</p>', $6, $7,
                    t.org_id, t.org_name, t.org_kind, t.org_country, now() from target t
             returning id, round_id, indicator_version_id, section_id, type),
           audited as (
             insert into audit_entry (actor_id, action, subject_type, subject_id, scope_id, data)
             select $6, 'comment.added', 'Comment', a.id, a.round_id,
                    jsonb_build_object('targetKind', 'INDICATOR_VERSION', 'indicatorVersionId', a.indicator_version_id, 'sectionId', a.section_id, 'type', a.type, 'anchor', null)
             from added a),
           round_counted as (
             update consultation_round set comment_count = comment_count + 1, undisposed_count = undisposed_count + 1 where id = (select round_id from added) returning id),
           version_counted as (
             update round_version set comment_count = comment_count + 1, undisposed_count = undisposed_count + 1
             where exists (select from round_counted) and round_id = $2 and indicator_version_id = $3),
           live_next as (
             insert into live_topic (topic, last_sequence)
             select topic, 1 from (select 'round:' || round_id as topic, 1 as n from added union all select 'indicator:' || round_id || ':' || indicator_version_id, 2 from added) t
             order by n on conflict (topic) do update set last_sequence = live_topic.last_sequence + 1 returning topic, last_sequence),
           live_appended as (
             insert into live_event (topic, sequence, kind, ids)
             select topic, last_sequence, 'COMMENT_ADDED',
                    (select jsonb_build_object('roundId', round_id, 'indicatorVersionId', indicator_version_id, 'commentId', id, 'threadId', id) from added)
             from live_next returning topic)
           select a.id, (graphile_worker.add_job('live:dispatch', json_build_object('topic', 'round:' || a.round_id), run_at => now() + interval '50 milliseconds',
                          job_key => 'live:dispatch:round:' || a.round_id, job_key_mode => 'preserve_run_at')).revision
           from added a where (select count(*) from live_appended) = 2`,
    values: [id, input.roundId, input.targetId, input.type, input.body, me.id, me.name, me.organization_id, me.roles],
  });
  if (!rows[0]) throw new Error('not written');
  return { addComment: { id } };
}

/** Bare: the upsert alone (the tally trigger moves the counters). */
async function castVoteBare(me: Viewer, input: VoteInput) {
  const { rows } = await pool.query({
    name: 'vote-bare',
    text: `insert into ballot_vote (id, ballot_id, question_id, voter_id, choice, reason, cast_by_id, cast_by_name, cast_at, updated_at)
           select $1, q.ballot_id, q.id, bv.id, $3, null, $4, $5, now(), now()
           from ballot_question q join ballot_voter bv on bv.ballot_id = q.ballot_id and bv.user_id = $4 where q.id = $2
           on conflict (question_id, voter_id) do update set choice = excluded.choice, reason = excluded.reason, cast_by_id = excluded.cast_by_id,
              cast_by_name = excluded.cast_by_name, updated_at = excluded.updated_at
           returning id, choice, reason`,
    values: [randomUUID(), input.questionId, input.choice, me.id, me.name],
  });
  return { castVote: rows[0] };
}

/**
 * The same work as our castVote (which is one statement too): the ballot open and frozen under a
 * shared lock, the viewer among its voters, the question locked; the vote, its audit entry, the
 * ballot's live event and its dispatch job.
 */
async function castVoteSameWork(me: Viewer, input: VoteInput) {
  const { rows } = await pool.query({
    name: 'vote-same-work',
    text: `with target as (
             select b.id as ballot_id, v.id as voter_id, v.organization_id as voter_organization_id, b.closed_at, b.frozen_at, b.opens_at, b.closes_at
             from ballot_question q join ballot b on b.id = q.ballot_id
             left join ballot_voter v on v.ballot_id = b.id and case when b.eligibility = 'MEMBERS' then v.user_id = $4 else v.organization_id = $6 end
             where q.id = $2 for no key update of q for share of b),
           vote as (
             insert into ballot_vote (id, ballot_id, question_id, voter_id, choice, reason, cast_by_id, cast_by_name, cast_at, updated_at)
             select $1, t.ballot_id, $2, t.voter_id, $3, null, $4, $5, now(), now() from target t
             where t.voter_id is not null and t.closed_at is null and t.frozen_at is not null and t.opens_at <= now() and now() < t.closes_at
             on conflict (question_id, voter_id) do update set choice = excluded.choice, reason = excluded.reason, cast_by_id = excluded.cast_by_id,
                cast_by_name = excluded.cast_by_name, updated_at = excluded.updated_at
             returning *),
           audited as (
             insert into audit_entry (actor_id, action, subject_type, subject_id, scope_id, data)
             select v.cast_by_id, 'vote.cast', 'BallotQuestion', v.question_id, v.ballot_id,
                    jsonb_build_object('voterId', v.voter_id, 'organizationId', t.voter_organization_id, 'choice', v.choice, 'reason', v.reason)
             from vote v cross join target t),
           live_next as (
             insert into live_topic (topic, last_sequence) select 'ballot:' || ballot_id, 1 from vote
             on conflict (topic) do update set last_sequence = live_topic.last_sequence + 1 returning topic, last_sequence),
           live_appended as (
             insert into live_event (topic, sequence, kind, ids)
             select topic, last_sequence, 'VOTE_CAST', (select jsonb_build_object('ballotId', ballot_id) from target) from live_next returning topic)
           select v.id, v.choice, v.reason,
                  (select (graphile_worker.add_job('live:dispatch', json_build_object('topic', topic), run_at => now() + interval '50 milliseconds',
                           job_key => 'live:dispatch:' || topic, job_key_mode => 'preserve_run_at')).revision from live_appended) as revision
           from vote v`,
    values: [randomUUID(), input.questionId, input.choice, me.id, me.name, me.organization_id],
  });
  if (!rows[0]) throw new Error('not written');
  return { castVote: { id: rows[0].id, choice: rows[0].choice, reason: rows[0].reason } };
}

async function body(req: IncomingMessage) {
  let text = '';
  for await (const chunk of req) text += chunk;
  return text ? JSON.parse(text) : {};
}

const sql = sqlFloor(pool);

async function handle(req: IncomingMessage, res: ServerResponse) {
  const url = new URL(req.url ?? '/', 'http://floor');
  const [, kind, a, b] = url.pathname.split('/');
  if (kind === 'sql') return sql(tokenHash(req), [a, b, url.pathname.split('/')[4]], url, (status, text) => res.writeHead(status, { 'content-type': 'application/json' }).end(text));
  const me = await viewer(req);
  if (!me) return void res.writeHead(401).end();
  let data: unknown;
  if (kind === 'round') data = await roundPage(a, me);
  else if (kind === 'indicator') data = await indicatorPage(a, b, Number(url.searchParams.get('first') ?? 50), me);
  else if (kind === 'comment' && req.method === 'POST') data = await (a === 'same-work' ? addCommentSameWork : addCommentBare)(me, await body(req));
  else if (kind === 'vote' && req.method === 'POST') data = await (a === 'same-work' ? castVoteSameWork : castVoteBare)(me, await body(req));
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
