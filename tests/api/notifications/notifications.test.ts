import { describe, expect, it } from 'vitest';
import { ConsultationRound } from '../../../api/src/rounds/round.entity.js';
import { RoundVersion } from '../../../api/src/rounds/round-version.entity.js';
import { User } from '../../../api/src/users/user.entity.js';
import { notifyReply, remindClosingBallots } from '../../../api/src/notifications/notification.reactions.js';
import { sendDigests } from '../../../api/src/notifications/notification-digest.js';
import { demo, type TestApi } from '../../support/api.js';
import type { GraphQLClient } from '../../support/client.js';
import { eventually, settled } from '../../support/jobs.js';
import { linkIn, withApiAndSmtp, type TestSmtp } from '../../support/smtp.js';
import { Framework } from '../../../api/src/frameworks/framework.entity.js';
import { Organization } from '../../../api/src/organizations/organization.entity.js';
import type { ParsedMail } from 'mailparser';
import { WORKING_GROUP_NETWORKS } from '../rounds/working-group-round.js';

let smtp: TestSmtp;
let api: TestApi;
withApiAndSmtp((started) => ({ api, smtp } = started));

const em = () => api.db.orm.em.fork();
const ADD = `mutation($input: AddCommentInput!) { addComment(input: $input) { id } }`;
const REPLY = `mutation($input: ReplyInput!) { replyToComment(input: $input) { id } }`;
const LIST = `{ me { unreadNotificationCount } myNotifications(first: 50) { hasMore items { id kind text link readAt } } }`;
const PREFER = `mutation($kind: NotificationKind!, $delivery: NotificationDelivery!) { setNotificationPreference(kind: $kind, delivery: $delivery) { kind delivery chosen } }`;

const userId = async (email: string) => (await em().findOneOrFail(User, { email })).id;
const rows = (sql: string, params: unknown[]) => em().execute<Record<string, any>[]>(sql, params);
const notificationsOf = async (email: string, kind?: string) =>
  rows(`select id, kind, key, delivery, digested_at from notification where user_id = ? and (?::text is null or kind = ?) order by created_at`, [await userId(email), kind ?? null, kind ?? null]);
const mailsOf = async (email: string, kind: string) => rows(`select key, subject, status from mail_message where to_address = ? and kind = ? order by created_at`, [email, kind]);

/** The demo's open SPWG round (the earliest opened) and its first pinned indicator version. */
async function openVersion() {
  const now = new Date();
  const round = await em().findOneOrFail(ConsultationRound, { framework: { slug: 'spwg-lac-certification' }, opensAt: { $lte: now }, closesAt: { $gt: now }, resolvedAt: null, audienceAll: true }, { orderBy: { opensAt: 'asc' } });
  const pinned = await em().findOneOrFail(RoundVersion, { round }, { orderBy: { position: 'asc' } });
  return { roundId: round.id, versionId: pinned.indicatorVersion.id, indicatorId: pinned.indicator.id };
}

/** A header's value as sent (mailparser turns List-* headers into objects). */
const header = (mail: ParsedMail, name: string) => mail.headerLines.find((h) => h.key === name)?.line.replace(/^[^:]+:\s*/, '');

/** A round for the working group's three networks, scheduled and then opened by the facilitator (its status event), with a comment by REDCAMIF's member. */
async function networkRound() {
  const networks = await em().find(Organization, { acronym: { $in: WORKING_GROUP_NETWORKS } });
  const facilitator = await api.as(demo.facilitator);
  const { createRound } = await facilitator.data(
    `mutation($input: CreateRoundInput!) { createRound(input: $input) { id indicators { indicator { id } indicatorVersion { id } } } }`,
    {
      input: {
        frameworkId: (await em().findOneOrFail(Framework, { slug: 'spwg-lac-certification' })).id,
        title: { es: 'Ronda de las redes', en: 'Networks’ round' },
        opensAt: new Date(Date.now() + 86_400_000).toISOString(),
        closesAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
        audience: { all: false, organizationIds: networks.map((o) => o.id), countries: [] },
      },
    },
  );
  await facilitator.data(`mutation($id: ID!) { openRoundNow(id: $id) { id } }`, { id: createRound.id });
  const [pinned] = createRound.indicators;
  const { addComment } = await (await api.as(demo.member)).data(ADD, {
    input: { roundId: createRound.id, targetKind: 'INDICATOR_VERSION', targetId: pinned.indicatorVersion.id, type: 'TECHNICAL', body: 'Falta la fuente del dato.' },
  });
  return { roundId: createRound.id as string, commentId: addComment.id as string, networkIds: networks.map((o) => o.id) };
}
let rounds: ReturnType<typeof networkRound> | undefined;

let n = 0;
async function comment(author: GraphQLClient) {
  const { roundId, versionId } = await openVersion();
  const { addComment } = await author.data(ADD, { input: { roundId, targetKind: 'INDICATOR_VERSION', targetId: versionId, type: 'GENERAL', body: `Comentario para avisos ${++n}` } });
  return addComment.id as string;
}
async function reply(to: string, by: GraphQLClient) {
  const { replyToComment } = await by.data(REPLY, { input: { parentId: to, body: `Respuesta ${++n}` } });
  return replyToComment.id as string;
}

describe('notifications', () => {
  it('a reply tells the comment’s author at once by e-mail in their language, with one-click unsubscribe headers, and in the in-app list; never the replier, never twice', async () => {
    const author = await api.as(demo.stakeholderEn);
    const member = await api.as(demo.member);
    const commentId = await comment(author);
    const replyId = await reply(commentId, member);
    const mail = await smtp.waitFor(demo.stakeholderEn, (m) => (m.subject ?? '').startsWith('New reply to your comment in'));
    expect(mail.text).toContain('Open in Consulta');
    const { indicatorId, roundId } = await openVersion();
    expect(mail.text).toContain(`http://localhost:3000/rounds/${roundId}/indicators/${indicatorId}`);
    expect(header(mail, 'list-unsubscribe')).toMatch(/^<http:\/\/localhost:3000\/unsubscribe\?token=[^>]+>$/);
    expect(header(mail, 'list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
    expect(linkIn(mail.text, 'http://localhost:3000/notifications/unsubscribe?token=')).toBeTruthy();

    const { myNotifications, me } = await author.data(LIST);
    const mine = myNotifications.items.find((i: any) => i.kind === 'REPLY_TO_MY_COMMENT');
    expect(mine.text).toMatch(/^New reply to your comment in /);
    expect(mine.link).toBe(`/rounds/${roundId}/indicators/${indicatorId}`);
    expect(me.unreadNotificationCount).toBeGreaterThanOrEqual(1);
    expect(await notificationsOf(demo.member, 'REPLY_TO_MY_COMMENT')).toEqual([]);

    // The reaction delivered again (at least once): nobody is told twice.
    await notifyReply(em(), api.app, replyId);
    await settled(api.db.orm);
    expect((await notificationsOf(demo.stakeholderEn)).filter((r) => r.key === `reply:${replyId}`)).toHaveLength(1);
    expect((await mailsOf(demo.stakeholderEn, 'notification.REPLY_TO_MY_COMMENT')).filter((m) => m.status === 'sent')).toHaveLength(1);

    // Replying to one’s own comment tells nobody.
    const own = await reply(commentId, author);
    await settled(api.db.orm);
    expect((await notificationsOf(demo.stakeholderEn)).filter((r) => r.key === `reply:${own}`)).toEqual([]);
  });

  it('marks read one or all of my own, and leaves another person’s untouched', async () => {
    const author = await api.as(demo.stakeholderEn);
    const before = await author.data(LIST);
    const first = before.myNotifications.items[0];
    const other = await api.as(demo.member2);
    expect((await other.data(`mutation($ids: [ID!]) { markNotificationsRead(ids: $ids) }`, { ids: [first.id] })).markNotificationsRead).toBe(0);
    expect((await author.data(`mutation($ids: [ID!]) { markNotificationsRead(ids: $ids) }`, { ids: [first.id] })).markNotificationsRead).toBe(1);
    expect((await author.data(LIST)).me.unreadNotificationCount).toBe(before.me.unreadNotificationCount - 1);
    await author.data(`mutation { markNotificationsRead }`);
    expect((await author.data(LIST)).me.unreadNotificationCount).toBe(0);
  });

  it('tells the unread count to the person alone: anyone else reads null', async () => {
    const facilitator = await api.as(demo.facilitator);
    const { peoplePage } = await facilitator.data(`query($ids: [ID!]) { peoplePage(filter: { ids: $ids }) { nodes { email unreadNotificationCount } } }`, {
      ids: [await userId(demo.stakeholderEn)],
    });
    expect(peoplePage.nodes).toEqual([{ email: demo.stakeholderEn, unreadNotificationCount: null }]);
    expect(typeof (await facilitator.data(`{ me { unreadNotificationCount } }`)).me.unreadNotificationCount).toBe('number');
  });

  it('each person chooses per kind: NEVER keeps it in the list without mail; DIGEST waits for the daily digest, sent once a day however often the job runs', async () => {
    const author = await api.as(demo.stakeholderEn);
    const member = await api.as(demo.member);
    const defaults = (await author.data(`{ myNotificationPreferences { kind delivery chosen } }`)).myNotificationPreferences;
    expect(defaults).toContainEqual({ kind: 'REPLY_TO_MY_COMMENT', delivery: 'IMMEDIATE', chosen: false });
    expect(defaults).toContainEqual({ kind: 'ROUND_OPENED', delivery: 'DIGEST', chosen: false });

    await author.data(PREFER, { kind: 'REPLY_TO_MY_COMMENT', delivery: 'NEVER' });
    const mailsBefore = (await mailsOf(demo.stakeholderEn, 'notification.REPLY_TO_MY_COMMENT')).length;
    const silent = await reply(await comment(author), member);
    await settled(api.db.orm);
    expect((await notificationsOf(demo.stakeholderEn)).find((r) => r.key === `reply:${silent}`)?.delivery).toBe('NEVER');
    expect(await mailsOf(demo.stakeholderEn, 'notification.REPLY_TO_MY_COMMENT')).toHaveLength(mailsBefore);

    await author.data(PREFER, { kind: 'REPLY_TO_MY_COMMENT', delivery: 'DIGEST' });
    const gathered = [await reply(await comment(author), member), await reply(await comment(author), member)];
    await settled(api.db.orm);
    expect(await mailsOf(demo.stakeholderEn, 'notification.REPLY_TO_MY_COMMENT')).toHaveLength(mailsBefore);
    const pending = (await notificationsOf(demo.stakeholderEn)).filter((r) => gathered.some((id) => r.key === `reply:${id}`));
    expect(pending.map((r) => [r.delivery, r.digested_at])).toEqual([['DIGEST', null], ['DIGEST', null]]);

    // The day’s digest time came after them: as if they had arrived yesterday.
    await rows(`update notification set created_at = created_at - interval '2 days' where id in (?)`, [pending.map((r) => r.id)]);
    await Promise.all([sendDigests(em(), api.app), sendDigests(em(), api.app)]);
    for (let i = 0; i < 2; i++) await em().execute(`select graphile_worker.add_job('notifications:digest', '{}'::json)`);
    await settled(api.db.orm);
    const digests = await mailsOf(demo.stakeholderEn, 'notification.digest');
    expect(digests).toHaveLength(1);
    expect(digests[0].key).toMatch(new RegExp(`^digest:${await userId(demo.stakeholderEn)}:\\d{4}-\\d{2}-\\d{2}$`));
    const digest = await smtp.waitFor(demo.stakeholderEn, (m) => m.subject === 'Your daily Consulta summary');
    expect(digest.text!.match(/• New reply to your comment in /g)).toHaveLength(2);
    expect(header(digest, 'list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
    expect(smtp.received.filter((m) => m.subject === 'Your daily Consulta summary' && m.text?.includes('Respuesta') === false && [m.to].flat().some((a) => a?.text.includes(demo.stakeholderEn)))).toHaveLength(1);
    await author.data(PREFER, { kind: 'REPLY_TO_MY_COMMENT', delivery: 'IMMEDIATE' });
  });

  it('one-click unsubscribe works signed out through the mail’s List-Unsubscribe address (RFC 8058) and its page’s link; a forged token changes nothing', async () => {
    const author = await api.as(demo.stakeholderEn);
    const member = await api.as(demo.member);
    await reply(await comment(author), member);
    const mail = await smtp.waitFor(demo.stakeholderEn, (m) => (m.subject ?? '').startsWith('New reply to your comment in'));
    const address = header(mail, 'list-unsubscribe')!;
    const token = new URL(address.slice(1, -1)).searchParams.get('token')!;
    const oneClick = (t: string) =>
      fetch(`${api.url}/unsubscribe?token=${encodeURIComponent(t)}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' });

    const forged = [token.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')), token.replace(/.$/, 'é'), token.replace('REPLY_TO_MY_COMMENT', 'BALLOT_OPENED'), `${await userId(demo.member)}.${token.split('.').slice(1).join('.')}`, 'nonsense'];
    for (const t of forged) expect((await oneClick(t)).status).toBe(400);
    const prefs = async () => (await author.data(`{ myNotificationPreferences { kind delivery } }`)).myNotificationPreferences;
    expect(await prefs()).toContainEqual({ kind: 'REPLY_TO_MY_COMMENT', delivery: 'IMMEDIATE' });
    expect(await prefs()).toContainEqual({ kind: 'BALLOT_OPENED', delivery: 'IMMEDIATE' });

    const response = await oneClick(token);
    expect(response.status).toBe(200);
    expect(await prefs()).toContainEqual({ kind: 'REPLY_TO_MY_COMMENT', delivery: 'NEVER' });
    expect(await prefs()).toContainEqual({ kind: 'BALLOT_OPENED', delivery: 'IMMEDIATE' });
    expect((await oneClick(token)).status).toBe(200);

    // The page’s link, through the API, signed out: the same token; a forged one is refused on `token`.
    const signedOut = api.client();
    const pageToken = decodeURIComponent(linkIn(mail.text, 'http://localhost:3000/notifications/unsubscribe?token=').split('token=')[1]);
    expect(pageToken).toBe(token);
    await author.data(PREFER, { kind: 'REPLY_TO_MY_COMMENT', delivery: 'DIGEST' });
    expect((await signedOut.data(`mutation($token: String!) { unsubscribeFromNotifications(token: $token) }`, { token })).unsubscribeFromNotifications).toEqual(['REPLY_TO_MY_COMMENT']);
    const refusal = await signedOut.error(`mutation($token: String!) { unsubscribeFromNotifications(token: $token) }`, { token: forged[0] });
    expect(refusal.extensions?.code).toBe('BAD_USER_INPUT');
    expect(await prefs()).toContainEqual({ kind: 'REPLY_TO_MY_COMMENT', delivery: 'NEVER' });
    const audited = await rows(`select data from audit_entry where action = 'account.updated' and subject_id = ? order by id desc limit 1`, [await userId(demo.stakeholderEn)]);
    expect(audited[0].data).toMatchObject({ notifications: { REPLY_TO_MY_COMMENT: 'NEVER' }, via: 'unsubscribe link' });
    await author.data(PREFER, { kind: 'REPLY_TO_MY_COMMENT', delivery: 'IMMEDIATE' });
  });

  it('a round opening tells its audience only: the working group’s networks hear of their round, the stakeholders outside it and the facilitators do not', async () => {
    const { roundId } = await (rounds ??= networkRound());
    await eventually(async () => (await notificationsOf(demo.member2, 'ROUND_OPENED')).some((r) => r.key === `round-opened:${roundId}`), () => 'the working group heard nothing');
    await settled(api.db.orm);
    for (const email of [demo.member, demo.member3]) expect((await notificationsOf(email, 'ROUND_OPENED')).map((r) => r.key)).toContain(`round-opened:${roundId}`);
    for (const email of [demo.stakeholder, demo.stakeholderEn, demo.facilitator, demo.admin]) {
      expect((await notificationsOf(email)).filter((r) => r.key.includes(roundId))).toEqual([]);
    }
  });

  it('a reply in a round its author may no longer read tells them nothing', async () => {
    const { roundId, commentId, networkIds } = await (rounds ??= networkRound());
    // REDCAMIF's member wrote the comment; the round then leaves REDCAMIF out of its audience.
    const redcamif = (await em().findOneOrFail(User, { email: demo.member }, { populate: ['organization'] })).organization!.id;
    await rows(`update consultation_round set audience_organization_ids = array[?]::uuid[] where id = ?`, [networkIds.filter((id) => id !== redcamif), roundId]);
    const replyId = await reply(commentId, await api.as(demo.facilitator));
    await settled(api.db.orm);
    expect((await notificationsOf(demo.member)).filter((r) => r.key === `reply:${replyId}`)).toEqual([]);
    await rows(`update consultation_round set audience_organization_ids = array[?]::uuid[] where id = ?`, [networkIds, roundId]);
  });

  it('a disposition tells the comment’s author once per decision, not the facilitator who decided', async () => {
    const author = await api.as(demo.stakeholderEn);
    const facilitator = await api.as(demo.facilitator);
    const commentId = await comment(author);
    const DISPOSE = `mutation($input: DispositionInput!) { setDispositions(input: $input) { id } }`;
    await facilitator.data(DISPOSE, { input: { commentIds: [commentId], status: 'NOTED', response: 'Gracias.' } });
    await smtp.waitFor(demo.stakeholderEn, (m) => (m.subject ?? '').startsWith('Your comment in'));
    await facilitator.data(DISPOSE, { input: { commentIds: [commentId], status: 'ACCEPTED', response: 'Aceptado.' } });
    await settled(api.db.orm);
    const disposed = await notificationsOf(demo.stakeholderEn, 'MY_COMMENT_DISPOSED');
    expect(new Set(disposed.map((r) => r.key)).size).toBe(disposed.length);
    expect(disposed.length).toBeGreaterThanOrEqual(2);
    expect(await notificationsOf(demo.facilitator, 'MY_COMMENT_DISPOSED')).toEqual([]);
  });

  it('a proposed revision that takes up a comment tells its author (in the daily digest by default), not the facilitator who proposed it', async () => {
    const author = await api.as(demo.stakeholderEn);
    const facilitator = await api.as(demo.facilitator);
    const commentId = await comment(author);
    const { indicatorId } = await openVersion();
    const { indicator } = await facilitator.data(`query($id: ID!) { indicator(id: $id) { currentVersion { id } } }`, { id: indicatorId });
    await facilitator.data(`mutation($input: ProposeRevisionInput!) { proposeRevision(input: $input) { id } }`, {
      input: { indicatorId, basedOnVersionId: indicator.currentVersion.id, texts: { dataSource: { es: `Fuente declarada ${++n}` } }, changeSummary: 'Recoge el comentario.', answersCommentIds: [commentId] },
    });
    await eventually(async () => (await notificationsOf(demo.stakeholderEn, 'MY_COMMENT_TAKEN_UP')).length > 0, () => 'the author heard nothing of the revision');
    const [takenUp] = await notificationsOf(demo.stakeholderEn, 'MY_COMMENT_TAKEN_UP');
    expect(takenUp.delivery).toBe('DIGEST');
    expect(await notificationsOf(demo.facilitator, 'MY_COMMENT_TAKEN_UP')).toEqual([]);
  });

  it('a ballot closing within a day reminds, once, only the voters who have not voted on every question', async () => {
    const [ballot] = await rows(
      `select b.id from ballot b where b.closed_at is null and b.frozen_at is not null and b.opens_at <= now() and b.closes_at > now() order by b.closes_at limit 1`,
      [],
    );
    expect(ballot).toBeTruthy();
    await rows(`update ballot set closes_at = now() + interval '3 hours' where id = ?`, [ballot.id]);
    const voters = await rows(
      `select u.email, (select count(*) from ballot_vote bv where bv.voter_id = v.id) as votes, (select count(*) from ballot_question q where q.ballot_id = v.ballot_id) as questions
       from ballot_voter v join app_user u on u.id = v.user_id where v.ballot_id = ?`,
      [ballot.id],
    );
    expect(voters.length).toBeGreaterThan(0);
    await remindClosingBallots(em(), api.app);
    await remindClosingBallots(em(), api.app);
    await settled(api.db.orm);
    for (const v of voters) {
      const reminded = (await notificationsOf(v.email, 'BALLOT_CLOSING')).filter((r) => r.key === `ballot-closing:${ballot.id}`);
      expect(reminded).toHaveLength(Number(v.votes) < Number(v.questions) ? 1 : 0);
    }
    expect((await notificationsOf(demo.stakeholder, 'BALLOT_CLOSING')).filter((r) => r.key === `ballot-closing:${ballot.id}`)).toEqual([]);
  });

  it('a round created already open tells its audience, in the app and by mail, not the facilitator who made it', async () => {
    await (await api.as(demo.stakeholderEn)).data(PREFER, { kind: 'ROUND_OPENED', delivery: 'IMMEDIATE' });
    const { createRound } = await (await api.as(demo.facilitator)).data(`mutation($input: CreateRoundInput!) { createRound(input: $input) { id status } }`, {
      input: {
        frameworkId: (await em().findOneOrFail(Framework, { slug: 'spwg-lac-certification' })).id,
        title: { es: 'Ronda abierta desde su creación', en: 'Round open from the start' },
        opensAt: new Date(Date.now() - 60_000).toISOString(),
        closesAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
        audience: { all: true, organizationIds: [], countries: [] },
      },
    });
    expect(createRound.status).toBe('OPEN');
    const key = `round-opened:${createRound.id}`;
    await eventually(async () => (await notificationsOf(demo.stakeholderEn, 'ROUND_OPENED')).some((r) => r.key === key), () => 'nobody heard of the round');
    const mail = await smtp.waitFor(demo.stakeholderEn, (m) => (m.text ?? '').includes(`/rounds/${createRound.id}`));
    expect(mail.text).toContain('Round open from the start');
    await settled(api.db.orm);
    expect((await notificationsOf(demo.facilitator)).filter((r) => r.key === key)).toEqual([]);
  });
});
