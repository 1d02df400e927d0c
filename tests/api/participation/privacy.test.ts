import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Role, User } from '../../../api/src/users/user.entity.js';
import { demo, DEMO_PASSWORD, startTestApi, type TestApi } from '../../support/api.js';
import { eventually } from '../../support/jobs.js';
import { download } from '../exports/fixtures.js';
import { ADD_COMMENT, createFramework, openRound } from '../rounds/fixtures.js';

let api: TestApi;

const DELETE = `mutation($password: String!, $comments: CommentsOnDeletion!) { deleteMyAccount(password: $password, comments: $comments) }`;
const COMMENTS = `query($id: ID!) { roundComments(roundId: $id, first: 50) { edges { node { id body withdrawnAt author { name organizationName } } } } }`;

beforeAll(async () => {
  api = await startTestApi();
});
afterAll(async () => {
  await api?.stop();
});

async function auditData(action: string, subjectId: string) {
  const rows = await api.db.orm.em.fork().execute<{ data: Record<string, unknown> }[]>('select data from audit_entry where action = ? and subject_id = ?', [action, subjectId]);
  return rows.map((r) => r.data);
}

/** A round with one comment by each of two people, signed in. */
async function roundWithComments(slug: string, emails: [string, string]) {
  const fw = await createFramework(api.db.orm, { slug, areas: 1, perArea: 1 });
  const facilitator = await api.as(demo.facilitator);
  const round = await openRound(facilitator, fw);
  const [first, second] = await Promise.all(emails.map((e) => api.as(e)));
  const add = async (client: typeof first, body: string) =>
    (await client.data(ADD_COMMENT, { input: { roundId: round.id, targetKind: 'INDICATOR_VERSION', targetId: fw.areas[0].indicators[0].versionId, type: 'GENERAL', body } })).addComment.id as string;
  return { round, facilitator, first, second, firstComment: await add(first, 'Primer comentario de quien se va.'), secondComment: await add(second, 'Comentario de quien se queda.') };
}

describe('my personal data', () => {
  it('downloads as JSON with my profile, memberships, comments, ratings, sessions, notifications, their settings and the audit entries about me; never someone else’s', async () => {
    const { first, second, round, firstComment } = await roundWithComments('privacy-export', [demo.stakeholder, demo.member]);
    await first.data(`mutation { setNotificationPreference(kind: REPLY_TO_MY_COMMENT, delivery: IMMEDIATE) { kind } }`);
    await second.data(`mutation($input: ReplyInput!) { replyToComment(input: $input) { id } }`, { input: { parentId: firstComment, body: 'Una respuesta que avisa.' } });
    const kinds = async () => (await first.data(`{ myNotifications(first: 50) { items { kind } } }`)).myNotifications.items.map((n: { kind: string }) => n.kind);
    await eventually(async () => (await kinds()).includes('REPLY_TO_MY_COMMENT'), () => 'no notification of the reply');
    const { myPersonalData: data } = await first.data(`{ myPersonalData }`);
    expect(data.profile.email).toBe(demo.stakeholder);
    expect(data.memberships.roles).toEqual(['STAKEHOLDER']);
    expect(data.comments.map((c: { body: string }) => c.body)).toContain('Primer comentario de quien se va.');
    expect(data.comments.map((c: { body: string }) => c.body)).not.toContain('Comentario de quien se queda.');
    expect(data.sessions.length).toBeGreaterThan(0);
    expect(data.auditEntries.some((e: { action: string; scope_id: string }) => e.action === 'comment.added' && e.scope_id === round.id)).toBe(true);
    for (const key of ['votes', 'ratings']) expect(Array.isArray(data[key])).toBe(true);
    expect(data.notifications).toContainEqual(expect.objectContaining({ kind: 'REPLY_TO_MY_COMMENT', delivery: 'IMMEDIATE', link: expect.stringContaining(round.id) }));
    expect(data.notificationSettings).toContainEqual({ kind: 'REPLY_TO_MY_COMMENT', delivery: 'IMMEDIATE' });
    expect(data.mails).toContainEqual(expect.objectContaining({ kind: 'notification.REPLY_TO_MY_COMMENT', to_address: demo.stakeholder }));

    const res = await fetch(`${api.url}/exports/me.json`, { headers: { cookie: first.cookie } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toContain('attachment');
    expect((await res.json()).profile.email).toBe(demo.stakeholder);
    expect((await fetch(`${api.url}/exports/me.json`)).status).toBe(401);
  });
});

describe('deleting my account', () => {
  it('needs my password; keeping my comments leaves them signed “former participant” with my organization, ends my sessions and erases me', async () => {
    const { first, facilitator, round, firstComment } = await roundWithComments('privacy-keep', [demo.member2, demo.member3]);
    const me = (await first.data(`{ me { id name organization { name } } }`)).me;
    expect(await first.error(DELETE, { password: 'not-my-password', comments: 'KEEP_AS_FORMER_PARTICIPANT' })).toMatchObject({ code: 'BAD_USER_INPUT' });
    const other = await api.as(demo.member2);
    await first.data(`mutation { setNotificationPreference(kind: ROUND_OPENED, delivery: NEVER) { kind } }`);
    // A mail still waiting for its job, one sent to the address alone, and a reset link.
    const mail = (to: string, userId: string | null, status: string) =>
      api.db.orm.em.fork().execute(
        `insert into mail_message (id, key, kind, to_address, user_id, subject, text_body, html_body, language, status) values (gen_random_uuid(), gen_random_uuid()::text, 'test', ?, ?, 'Asunto', 'Texto', '<p>Texto</p>', 'es', ?)`,
        [to, userId, status],
      );
    await mail(demo.member2, me.id, 'queued');
    await mail(demo.member2.toUpperCase(), null, 'sent');
    await api.db.orm.em.fork().execute(`insert into account_token (token_hash, user_id, purpose, created_at, expires_at) values (repeat('a', 64), ?, 'RESET_PASSWORD', now(), now() + interval '1 hour')`, [me.id]);
    expect(await first.data(DELETE, { password: DEMO_PASSWORD, comments: 'KEEP_AS_FORMER_PARTICIPANT' })).toEqual({ deleteMyAccount: true });
    const [left] = await api.db.orm.em.fork().execute<{ n: number }[]>(
      `select (select count(*) from notification where user_id = ?) + (select count(*) from notification_preference where user_id = ?)
            + (select count(*) from mail_message where user_id = ? or lower(to_address) = ?) + (select count(*) from account_token where user_id = ?) as n`,
      [me.id, me.id, me.id, demo.member2, me.id],
    );
    expect(Number(left.n)).toBe(0);

    expect((await first.data(`{ me { id } }`)).me).toBeNull();
    expect((await other.data(`{ me { id } }`)).me).toBeNull();
    expect(await api.client().error(`mutation($e: String!, $p: String!) { signIn(email: $e, password: $p) { id } }`, { e: demo.member2, p: DEMO_PASSWORD })).toBeTruthy();

    const { roundComments } = await facilitator.data(COMMENTS, { id: round.id });
    const kept = roundComments.edges.find((e: { node: { id: string } }) => e.node.id === firstComment).node;
    expect(kept).toMatchObject({ withdrawnAt: null, body: 'Primer comentario de quien se va.', author: { name: 'Participante anterior', organizationName: me.organization.name } });
    // Stored as no name at all: each reader sees the label in their own language.
    const [row] = await api.db.orm.em.fork().execute<{ name: string; email: string; password_hash: string | null; active: boolean }[]>('select name, email, password_hash, active from app_user where id = ?', [me.id]);
    expect(row).toMatchObject({ name: '', password_hash: null, active: false });
    const reader = await api.as(demo.admin);
    await reader.data(`mutation { updateMyPreferences(input: { language: EN }) { id } }`);
    const inEnglish = (await reader.data(COMMENTS, { id: round.id })).roundComments.edges.find((e: { node: { id: string } }) => e.node.id === firstComment).node;
    expect(inEnglish.author.name).toBe('Former participant');
    const csv = await (await fetch(`${api.url}/exports/rounds/${round.id}?format=csv&language=fr`, { headers: { cookie: facilitator.cookie } })).text();
    expect(csv).toContain('Ancien participant');
    expect(csv).not.toContain('Participante anterior');
    expect(row.email).not.toContain('member');
    expect(JSON.stringify(await api.db.orm.em.fork().execute('select author_name from comment where author_id = ?', [me.id]))).not.toContain(me.name);
    expect(await auditData('user.deleted', me.id)).toEqual([{ comments: 'KEEP_AS_FORMER_PARTICIPANT', withdrawn: 0 }]);
  });

  it('withdrawing my comments takes them out of the counts, even in a closed round, and the choice is audit-logged', async () => {
    const { first, facilitator, round, firstComment, secondComment } = await roundWithComments('privacy-withdraw', ['parceira@consulta.demo', demo.member]);
    await facilitator.data(`mutation($id: ID!) { closeRoundNow(id: $id) { id } }`, { id: round.id });
    const me = (await first.data(`{ me { id } }`)).me;
    // The demo gave this person comments elsewhere too: every standing one goes.
    const [standing] = await api.db.orm.em.fork().execute<{ n: number }[]>('select count(*)::int as n from comment where author_id = ? and withdrawn_at is null', [me.id]);
    await first.data(DELETE, { password: DEMO_PASSWORD, comments: 'WITHDRAW' });
    const { roundComments } = await facilitator.data(COMMENTS, { id: round.id });
    const byId = new Map(roundComments.edges.map((e: { node: { id: string; withdrawnAt: string | null } }) => [e.node.id, e.node]));
    expect((byId.get(firstComment) as { withdrawnAt: string | null } | undefined)?.withdrawnAt ?? 'absent').not.toBeNull();
    expect((byId.get(secondComment) as { withdrawnAt: string | null }).withdrawnAt).toBeNull();
    const { round: counted } = await facilitator.data(`query($id: ID!) { round(id: $id) { commentCount undisposedCount } }`, { id: round.id });
    expect(counted).toEqual({ commentCount: 1, undisposedCount: 1 });
    expect(await auditData('user.deleted', me.id)).toEqual([{ comments: 'WITHDRAW', withdrawn: standing.n }]);
    const [left] = await api.db.orm.em.fork().execute<{ n: number }[]>('select count(*)::int as n from comment where author_id = ? and withdrawn_at is null', [me.id]);
    expect(left.n).toBe(0);
  });

  it('erases my name where I decided, entered feedback for others and voted, in the same deletion: readers and exports show “former participant”', async () => {
    const em = api.db.orm.em.fork();
    const leaving = `Facilitadora Saliente ${Date.now()}`;
    const email = `saliente.${Date.now()}@example.org`;
    em.create(User, { email, name: leaving, roles: [Role.FACILITATOR], passwordHash: await api.app.hasher.hash(DEMO_PASSWORD) });
    await em.flush();
    const { round, facilitator, firstComment } = await roundWithComments('privacy-actors', [demo.stakeholder, demo.member]);
    const departing = await api.as(email);
    await departing.data(`mutation($input: DispositionInput!) { setDispositions(input: $input) { id } }`, { input: { commentIds: [firstComment], status: 'NOTED', response: 'Anotado.' } });
    const { versionId } = (await em.execute<{ versionId: string }[]>('select indicator_version_id as "versionId" from round_version where round_id = ? limit 1', [round.id]))[0];
    await departing.data(`mutation($input: OnBehalfCommentInput!) { enterOnBehalf(input: $input) { id } }`, {
      input: {
        comment: { roundId: round.id, targetKind: 'INDICATOR_VERSION', targetId: versionId, type: 'GENERAL', body: 'Lo dijeron en el taller.' },
        source: { kind: 'WORKSHOP', eventName: 'Taller de cierre', personName: 'Participantes del taller', organizationName: 'Cooperativa Andina', country: 'pe' },
      },
    });
    // A demo voter no other test here signs in as, with a vote on a decided question if there is one.
    const [voter] = await em.execute<{ email: string; name: string; ballot_id: string }[]>(
      `select u.email, u.name, v.ballot_id from ballot_vote v join app_user u on u.id = v.cast_by_id join ballot_question q on q.id = v.question_id
       where u.active and u.email not in (?, ?, ?, ?) order by q.outcome is null, v.cast_at limit 1`,
      [demo.stakeholder, demo.member, demo.facilitator, demo.admin],
    );
    expect(voter).toBeTruthy();

    await departing.data(DELETE, { password: DEMO_PASSWORD, comments: 'KEEP_AS_FORMER_PARTICIPANT' });
    await (await api.as(voter.email)).data(DELETE, { password: DEMO_PASSWORD, comments: 'KEEP_AS_FORMER_PARTICIPANT' });

    const stored = await em.execute<{ n: number }[]>(
      `select (select count(*) from disposition where decided_by_name in (?, ?)) + (select count(*) from on_behalf_source where entered_by_name in (?, ?))
            + (select count(*) from ballot_vote where cast_by_name in (?, ?)) + (select count(*) from ballot_voter where name in (?, ?)) as n`,
      Array(4).fill([leaving, voter.name]).flat(),
    );
    expect(Number(stored[0].n)).toBe(0);

    const THREAD = `query($id: ID!) { roundComments(roundId: $id, first: 50) { edges { node { id disposition { decidedByName } onBehalf { enteredByName } } } } }`;
    const nodes = (await facilitator.data(THREAD, { id: round.id })).roundComments.edges.map((e: { node: unknown }) => e.node);
    expect(nodes).toContainEqual({ id: firstComment, disposition: { decidedByName: 'Participante anterior' }, onBehalf: null });
    expect(nodes).toContainEqual(expect.objectContaining({ onBehalf: { enteredByName: 'Participante anterior' } }));
    const { auditEntries } = await facilitator.data(`query($filter: AuditFilter) { auditEntries(filter: $filter, first: 5) { nodes { actorName } } }`, { filter: { scopeId: round.id, action: 'disposition.' } });
    expect(auditEntries.nodes.map((n: { actorName: string }) => n.actorName)).toContain('Participante anterior');
    const { ballot } = await facilitator.data(`query($id: ID!) { ballot(id: $id) { questions { votes { voter castByName } } } }`, { id: voter.ballot_id });
    const votes = JSON.stringify(ballot);
    expect(votes).toContain('Participante anterior');
    expect(votes).not.toContain(voter.name);

    const csv = (await download(api, facilitator, round.id, { format: 'csv', onBehalf: 'true' })).body.toString('utf8');
    expect(csv).toContain('Participante anterior');
    const exported = `${csv}${(await download(api, facilitator, round.id, { format: 'json' })).body.toString('utf8')}`;
    const log = await (await fetch(`${api.url}/exports/audit?scopeId=${round.id}`, { headers: { cookie: facilitator.cookie } })).text();
    for (const text of [exported, log]) expect(text).not.toContain(leaving);
    expect(log).toContain('Participante anterior');
  });
});
