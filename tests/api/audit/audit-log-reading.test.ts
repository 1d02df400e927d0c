import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Role, User } from '../../../api/src/users/user.entity.js';
import { DEMO_PASSWORD, demo, startTestApi, type TestApi } from '../../support/api.js';
import type { GraphQLClient } from '../../support/client.js';
import { settled } from '../../support/jobs.js';

const ENTRIES = `query($filter: AuditFilter, $first: Int, $after: String) {
  auditEntries(filter: $filter, first: $first, after: $after) {
    nodes { id at actorId actorName action subjectType subjectId scopeId data sourceId }
    pageInfo { hasNextPage endCursor }
  }
}`;

interface Entry {
  id: string;
  at: string;
  actorId: string | null;
  actorName: string | null;
  action: string;
  scopeId: string | null;
  sourceId: string | null;
}

let api: TestApi;
let facilitator: GraphQLClient;
let roundId: string;

const sql = <T>(query: string, params: unknown[] = []) => api.db.orm.em.fork().execute<T[]>(query, params);

/** Every page of the query, following the cursor. */
async function allPages(client: GraphQLClient, filter: Record<string, unknown>, first: number): Promise<Entry[]> {
  const out: Entry[] = [];
  let after: string | null = null;
  for (;;) {
    const { auditEntries }: { auditEntries: { nodes: Entry[]; pageInfo: { hasNextPage: boolean; endCursor: string } } } = await client.data(ENTRIES, { filter, first, after });
    out.push(...auditEntries.nodes);
    if (!auditEntries.pageInfo.hasNextPage) return out;
    after = auditEntries.pageInfo.endCursor;
  }
}

async function downloadCsv(client: GraphQLClient | null, params: Record<string, string> = {}) {
  const res = await fetch(`${api.url}/exports/audit?${new URLSearchParams(params)}`, { headers: client?.cookie ? { cookie: client.cookie } : {} });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

/** RFC 4180 records of a small file (quoted fields may hold commas, quotes and line breaks). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (cell += '"'), i++;
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') row.push(cell), (cell = '');
    else if (c === '\r' && text[i + 1] === '\n') row.push(cell), rows.push(row), (row = []), (cell = ''), i++;
    else cell += c;
  }
  return rows;
}

beforeAll(async () => {
  api = await startTestApi();
  facilitator = await api.as(demo.facilitator);
  // The clock's jobs due at start (ballots and rounds past their times in the demo data) write audit
  // entries in transactions of their own, which may commit out of their ids' order: the log is read once they are done.
  await settled(api.db.orm);
  [{ id: roundId }] = await sql<{ id: string }>("select scope_id as id from audit_entry where action = 'comment.added' group by scope_id order by count(*) desc limit 1");
});
afterAll(() => api?.stop());

describe('reading the audit log', () => {
  it('pages by cursor, newest first, through every entry exactly once', async () => {
    const expected = (await sql<{ id: string }>('select id::text as id from audit_entry order by audit_entry.id desc')).map((r) => r.id);
    expect(expected.length).toBeGreaterThan(20);
    const pages = await allPages(facilitator, {}, 7);
    // The facilitator's own sign-in came after the count above; the log only grows at its top.
    expect(pages.map((e) => e.id).slice(-expected.length)).toEqual(expected);
  });

  it('a page already read stays the same while new entries arrive', async () => {
    const first = (await facilitator.data(ENTRIES, { first: 5 })).auditEntries;
    await api.as(demo.member);
    const second = (await facilitator.data(ENTRIES, { first: 5, after: first.pageInfo.endCursor })).auditEntries;
    const again = (await facilitator.data(ENTRIES, { first: 5, after: first.pageInfo.endCursor })).auditEntries;
    expect(again.nodes).toEqual(second.nodes);
    expect(Number(second.nodes[0].id)).toBeLessThan(Number(first.pageInfo.endCursor));
  });

  it('filters by who, what, when and round, each as the log says', async () => {
    const [{ id: memberId }] = await sql<{ id: string }>('select id from app_user where email = ?', [demo.member]);
    const byActor = await allPages(facilitator, { actorId: memberId }, 50);
    const [{ n: actorCount }] = await sql<{ n: number }>('select count(*)::int as n from audit_entry where actor_id = ?', [memberId]);
    expect(byActor.length).toBe(actorCount);
    expect(byActor.length).toBeGreaterThan(0);
    expect(byActor.every((e) => e.actorId === memberId && e.actorName)).toBe(true);

    const exact = await allPages(facilitator, { action: 'comment.added' }, 50);
    expect(exact.length).toBeGreaterThan(0);
    expect(exact.every((e) => e.action === 'comment.added')).toBe(true);
    const family = await allPages(facilitator, { action: 'comment.' }, 50);
    const [{ n: familyCount }] = await sql<{ n: number }>("select count(*)::int as n from audit_entry where action like 'comment.%'");
    expect(family.length).toBe(familyCount);
    expect(new Set(family.map((e) => e.action)).size).toBeGreaterThan(1);
    // A family is a prefix, not a pattern: `%` and `_` are themselves.
    expect((await facilitator.data(ENTRIES, { filter: { action: '%.' } })).auditEntries.nodes).toEqual([]);

    const inRound = await allPages(facilitator, { scopeId: roundId }, 50);
    const [{ n: roundCount }] = await sql<{ n: number }>('select count(*)::int as n from audit_entry where scope_id = ?', [roundId]);
    expect(inRound.length).toBe(roundCount);
    expect(inRound.every((e) => e.scopeId === roundId)).toBe(true);

    const times = (await sql<{ at: string }>('select at from audit_entry order by id')).map((r) => new Date(r.at).getTime());
    const from = new Date(times[Math.floor(times.length / 3)]);
    const to = new Date(times[Math.floor((2 * times.length) / 3)]);
    const between = await allPages(facilitator, { from: from.toISOString(), to: to.toISOString() }, 50);
    const [{ n: betweenCount }] = await sql<{ n: number }>('select count(*)::int as n from audit_entry where at >= ? and at < ?', [from, to]);
    expect(between.length).toBe(betweenCount);
    expect(between.every((e) => new Date(e.at) >= from && new Date(e.at) < to)).toBe(true);

    const combined = await allPages(facilitator, { scopeId: roundId, action: 'comment.' }, 50);
    expect(combined.length).toBe(inRound.filter((e) => e.action.startsWith('comment.')).length);
  });

  it('shows an imported entry’s number at its source', async () => {
    await sql("insert into audit_entry (action, subject_type, subject_id, scope_id, data, source_id) values ('round.opened', 'ConsultationRound', ?, ?, '{}', 4321)", [roundId, roundId]);
    const { auditEntries } = await facilitator.data(ENTRIES, { filter: { scopeId: roundId, action: 'round.opened' }, first: 1 });
    expect(auditEntries.nodes[0]).toMatchObject({ sourceId: '4321', actorId: null, actorName: null });
  });

  it('refuses a malformed cursor, a page size out of range and a time range that ends before it starts', async () => {
    expect(await facilitator.error(ENTRIES, { after: 'abc' })).toMatchObject({ code: 'BAD_USER_INPUT', extensions: { fields: [{ field: 'after' }] } });
    expect(await facilitator.error(ENTRIES, { first: 0 })).toMatchObject({ code: 'BAD_USER_INPUT', extensions: { fields: [{ field: 'first' }] } });
    expect(await facilitator.error(ENTRIES, { first: 201 })).toMatchObject({ code: 'BAD_USER_INPUT' });
    const at = new Date().toISOString();
    expect(await facilitator.error(ENTRIES, { filter: { from: at, to: at } })).toMatchObject({ code: 'BAD_USER_INPUT', extensions: { fields: [{ field: 'to' }] } });
  });

  it('an admin reads it too; stakeholders and members are refused, and anonymous callers asked to sign in', async () => {
    const admin = await api.as(demo.admin);
    expect((await admin.data(ENTRIES, { first: 1 })).auditEntries.nodes).toHaveLength(1);
    expect((await (await api.as(demo.stakeholder)).error(ENTRIES)).code).toBe('FORBIDDEN');
    expect((await (await api.as(demo.member)).error(ENTRIES)).code).toBe('FORBIDDEN');
    expect((await api.client().error(ENTRIES)).code).toBe('UNAUTHENTICATED');
  });
});

describe('the audit log as CSV', () => {
  it('holds what the query lists with the same filter, and its download is itself logged', async () => {
    const filter = { scopeId: roundId, action: 'comment.' };
    const listed = await allPages(facilitator, filter, 200);
    const res = await downloadCsv(facilitator, filter);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv; charset=utf-8/);
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="audit-log-\d{4}-\d\d-\d\d\.csv"/);
    const [header, ...rows] = parseCsv(res.text.replace(/^\uFEFF/, ''));
    expect(header).toEqual(['id', 'at', 'actorId', 'actorName', 'action', 'subjectType', 'subjectId', 'scopeId', 'sourceId', 'data']);
    expect(rows.map((r) => r[0])).toEqual(listed.map((e) => e.id));
    expect(rows.map((r) => r[4])).toEqual(listed.map((e) => e.action));

    const [logged] = (await facilitator.data(ENTRIES, { filter: { action: 'audit_log.downloaded' }, first: 1 })).auditEntries.nodes;
    expect(logged).toMatchObject({ actorName: expect.any(String), scopeId: roundId, data: { filter } });
  });

  it('a name a spreadsheet would run as a formula is written as text', async () => {
    const em = api.db.orm.em.fork();
    em.create(User, { email: 'formula@example.org', name: '=HYPERLINK("http://evil.example","clic")', roles: [Role.STAKEHOLDER], passwordHash: await api.app.hasher.hash(DEMO_PASSWORD) });
    await em.flush();
    await api.as('formula@example.org');
    const res = await downloadCsv(facilitator, { action: 'user.signed_in' });
    const rows = parseCsv(res.text.replace(/^\uFEFF/, ''));
    const names = rows.map((r) => r[3]);
    expect(names).toContain(`'=HYPERLINK("http://evil.example","clic")`);
    expect(names.some((n) => n.startsWith('='))).toBe(false);
  });

  it('refuses stakeholders, members and anonymous callers, and unknown or malformed criteria, before writing anything', async () => {
    const count = async () => (await sql<{ n: number }>('select count(*)::int as n from audit_entry'))[0].n;
    const before = await count();
    expect((await downloadCsv(null)).status).toBe(401);
    expect((await downloadCsv(await api.as(demo.stakeholder))).status).toBe(403);
    const member = await api.as(demo.member);
    const afterSignIns = await count();
    expect(afterSignIns - before).toBe(2);
    expect((await downloadCsv(member)).status).toBe(403);
    const wrong = await downloadCsv(facilitator, { from: 'yesterday' });
    expect(wrong.status).toBe(400);
    expect(JSON.parse(wrong.text)).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ field: 'from' }] });
    expect((await downloadCsv(facilitator, { sort: 'id' })).status).toBe(400);
    expect((await downloadCsv(facilitator, { actorId: 'not-an-id' })).status).toBe(400);
    expect(await count()).toBe(afterSignIns);
  });
});
