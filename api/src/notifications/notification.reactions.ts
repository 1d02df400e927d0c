/**
 * Where notifications come from: reactions to committed events of the outbox (run by the job queue
 * after the writer's commit, at least once) and the clock. Each names its event in the key, so a
 * reaction that runs again tells nobody twice; each leaves out whoever did it, and whoever may not
 * read what it is about (the round's audience, by the one rule every reader goes through).
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { Viewer } from '../auth/viewer.js';
import { Ballot, ballotStatus, BallotStatus } from '../ballots/ballot.entity.js';
import type { AppServices } from '../context.js';
import { reads } from '../db/reads.js';
import type { LocalizedText } from '../i18n/localized-text.js';
import { defineTask } from '../jobs/tasks.js';
import { LiveEventKind } from '../live/live-event.js';
import { reactTo } from '../live/publish.js';
import { mayReadRound } from '../rounds/round-readers.js';
import { ConsultationRound, roundStatus, RoundStatus } from '../rounds/round.entity.js';
import { Locale, Role, User } from '../users/user.entity.js';
import { NotificationKind } from './notification.entity.js';
import { notify } from './notification.service.js';

/** How far back a reaction looks for the dispositions and take-ups its event reported: the event is dispatched within moments, and retried within hours. */
const RECENT_MS = 86_400_000;

/** The round's title, with the indicator's code in front when there is one. */
function roundSubject(round: ConsultationRound, code: string | null): LocalizedText {
  return Object.fromEntries(Object.entries(round.title).map(([language, title]) => [language, code ? `${code} · ${title}` : title]));
}

const roundLink = (roundId: string, indicatorId: string | null) => (indicatorId ? `/rounds/${roundId}/indicators/${indicatorId}` : `/rounds/${roundId}`);

/** Of `people` (their organizations loaded), those who may read the round now (facilitators always; the audience; nobody else). */
async function readersAmong(round: ConsultationRound, people: User[]): Promise<string[]> {
  const readers = await Promise.all(people.map(async (u) => ((await mayReadRound(new Viewer(u, 'notifications'), round)) ? u.id : null)));
  return readers.filter((id): id is string => id !== null);
}

/** Of `userIds`, those who may read the round now. */
async function roundReaders(em: EntityManager, round: ConsultationRound, userIds: string[]): Promise<string[]> {
  if (!userIds.length) return [];
  return readersAmong(round, await em.find(User, { id: { $in: [...new Set(userIds)] } }, { populate: ['organization'] }));
}

/** People a round's opening reads and tells at once: memory and statement size stay flat however many have registered. */
const AUDIENCE_PAGE = 1000;

/**
 * Tells a round's audience it opened (facilitators, who open rounds, are left out), a page of
 * accounts at a time by id, each page through the one reading rule and one insert.
 */
async function notifyRoundOpened(em: EntityManager, app: AppServices, round: ConsultationRound): Promise<void> {
  const announcement = { kind: NotificationKind.ROUND_OPENED, key: `round-opened:${round.id}`, subject: round.title, subjectLanguage: Locale.ES, link: roundLink(round.id, null) };
  for (let after: string | null = null; ; ) {
    // A fork per page: the accounts read before do not pile up in the identity map.
    const page: User[] = await em.fork().find(
      User,
      { active: true, emailConfirmedAt: { $ne: null }, ...(after ? { id: { $gt: after } } : {}) },
      { populate: ['organization'], orderBy: { id: 'asc' }, limit: AUDIENCE_PAGE },
    );
    const audience = page.filter((p) => !p.roles.includes(Role.FACILITATOR) && !p.roles.includes(Role.ADMIN));
    await notify(em, app, announcement, await readersAmong(round, audience));
    if (page.length < AUDIENCE_PAGE) return;
    after = page[page.length - 1].id;
  }
}

/** Who did an audited action to `subjectId` last: the person a notification about it leaves out. */
async function actorOf(em: EntityManager, action: 'round.summary_published' | 'ballot.opened', subjectId: string): Promise<string | null> {
  const row = await reads(em).selectFrom('audit_entry').select('actor_id').where('action', '=', action).where('subject_id', '=', subjectId).orderBy('id', 'desc').limit(1).executeTakeFirst();
  return row?.actor_id ?? null;
}

const codeOf = async (em: EntityManager, indicatorId: string | null) =>
  indicatorId ? ((await reads(em).selectFrom('indicator').select('code').where('id', '=', indicatorId).executeTakeFirst())?.code ?? null) : null;

/** A reply tells the author of what it answers. */
export async function notifyReply(em: EntityManager, app: AppServices, replyId: string): Promise<void> {
  const reply = await reads(em)
    .selectFrom('comment as r')
    .innerJoin('comment as p', 'p.id', 'r.parent_id')
    .select(['r.id', 'r.author_id', 'r.round_id', 'r.indicator_id', 'r.withdrawn_at', 'p.author_id as parent_author_id'])
    .where('r.id', '=', replyId)
    .executeTakeFirst();
  if (!reply || reply.withdrawn_at || reply.parent_author_id === reply.author_id) return;
  const round = await em.findOneOrFail(ConsultationRound, { id: reply.round_id });
  const recipients = await roundReaders(em, round, [reply.parent_author_id]);
  await notify(em, app, { kind: NotificationKind.REPLY_TO_MY_COMMENT, key: `reply:${reply.id}`, subject: roundSubject(round, await codeOf(em, reply.indicator_id)), subjectLanguage: Locale.ES, link: roundLink(round.id, reply.indicator_id) }, recipients);
}

/** A disposition set or changed tells the comment's author, once per decision (its time names it). */
export async function notifyDispositions(em: EntityManager, app: AppServices, roundId: string, indicatorVersionId: string | undefined, commentId: string | undefined): Promise<void> {
  let query = reads(em)
    .selectFrom('disposition as d')
    .innerJoin('comment as c', 'c.id', 'd.comment_id')
    .select(['d.id', 'd.decided_at', 'd.decided_by_id', 'c.author_id', 'c.indicator_id'])
    .where('d.round_id', '=', roundId)
    .where('d.decided_at', '>', new Date(Date.now() - RECENT_MS).toISOString())
    .where('c.withdrawn_at', 'is', null);
  if (commentId) query = query.where('c.id', '=', commentId);
  else query = indicatorVersionId ? query.where('c.indicator_version_id', '=', indicatorVersionId) : query.where('c.indicator_version_id', 'is', null);
  const decided = (await query.execute()).filter((d) => d.author_id !== d.decided_by_id);
  if (!decided.length) return;
  const round = await em.findOneOrFail(ConsultationRound, { id: roundId });
  const readers = new Set(await roundReaders(em, round, decided.map((d) => d.author_id)));
  for (const d of decided.filter((d) => readers.has(d.author_id))) {
    const key = `disposition:${d.id}:${new Date(d.decided_at).getTime()}`;
    await notify(em, app, { kind: NotificationKind.MY_COMMENT_DISPOSED, key, subject: roundSubject(round, await codeOf(em, d.indicator_id)), subjectLanguage: Locale.ES, link: roundLink(round.id, d.indicator_id) }, [d.author_id]);
  }
}

/** A proposed revision tells the authors of the comments it takes up (not the facilitator who wrote it). */
export async function notifyTakenUp(em: EntityManager, app: AppServices, roundId: string): Promise<void> {
  const takenUp = await reads(em)
    .selectFrom('revision_comment as rc')
    .innerJoin('comment as c', 'c.id', 'rc.comment_id')
    .innerJoin('indicator_version as v', 'v.id', 'rc.revision_id')
    .select(['rc.id', 'c.author_id', 'c.indicator_id', 'v.author_id as reviser_id'])
    .where('c.round_id', '=', roundId)
    .where('rc.created_at', '>', new Date(Date.now() - RECENT_MS).toISOString())
    .execute();
  const others = takenUp.filter((t) => t.author_id !== t.reviser_id);
  if (!others.length) return;
  const round = await em.findOneOrFail(ConsultationRound, { id: roundId });
  const readers = new Set(await roundReaders(em, round, others.map((t) => t.author_id)));
  for (const t of others.filter((t) => readers.has(t.author_id))) {
    await notify(em, app, { kind: NotificationKind.MY_COMMENT_TAKEN_UP, key: `taken-up:${t.id}`, subject: roundSubject(round, await codeOf(em, t.indicator_id)), subjectLanguage: Locale.ES, link: roundLink(round.id, t.indicator_id) }, [t.author_id]);
  }
}

/**
 * A round's status event: once it is open, its audience hears of it (facilitators, who open rounds,
 * do not); once its summary is published, those who commented in it do (not the publisher).
 */
export async function notifyRoundStatus(em: EntityManager, app: AppServices, roundId: string): Promise<void> {
  const round = await em.findOne(ConsultationRound, { id: roundId });
  if (!round) return;
  if (roundStatus(round) === RoundStatus.OPEN) await notifyRoundOpened(em, app, round);
  if (round.publishedSummaryAt) {
    const publisher = await actorOf(em, 'round.summary_published', round.id);
    const authors = await reads(em).selectFrom('comment').select('author_id').distinct().where('round_id', '=', round.id).where('withdrawn_at', 'is', null).execute();
    const recipients = authors.map((a) => a.author_id).filter((id) => id !== publisher);
    await notify(em, app, { kind: NotificationKind.SUMMARY_PUBLISHED, key: `summary:${round.id}`, subject: round.title, subjectLanguage: Locale.ES, link: `/rounds/${round.id}/summary` }, await roundReaders(em, round, recipients));
  }
}

/** The people who vote in a ballot: its members, or the members of its voting organizations (any of them casts the organization's vote). */
async function ballotVoters(em: EntityManager, ballotId: string, onlyWithoutEveryVote: boolean): Promise<string[]> {
  const voters = await reads(em)
    .selectFrom('ballot_voter as v')
    .select((eb) => [
      'v.user_id',
      'v.organization_id',
      eb.selectFrom('ballot_vote as bv').select((x) => x.fn.countAll<string>().as('n')).whereRef('bv.voter_id', '=', 'v.id').as('votes'),
      eb.selectFrom('ballot_question as q').select((x) => x.fn.countAll<string>().as('n')).whereRef('q.ballot_id', '=', 'v.ballot_id').as('questions'),
    ])
    .where('v.ballot_id', '=', ballotId)
    .execute();
  const owing = voters.filter((v) => !onlyWithoutEveryVote || Number(v.votes) < Number(v.questions));
  const organizations = owing.map((v) => v.organization_id).filter((id): id is string => id !== null);
  const members = organizations.length
    ? await reads(em).selectFrom('app_user').select(['id', 'roles']).where('organization_id', 'in', organizations).where('active', '=', true).execute()
    : [];
  return [...owing.map((v) => v.user_id).filter((id): id is string => id !== null), ...members.filter((m) => m.roles.includes(Role.MEMBER)).map((m) => m.id)];
}

/** A ballot's status event: once it is open, its voters hear of it (not the facilitator who opened it). */
export async function notifyBallotOpened(em: EntityManager, app: AppServices, ballotId: string): Promise<void> {
  const ballot = await em.findOne(Ballot, { id: ballotId });
  if (!ballot || ballotStatus(ballot) !== BallotStatus.OPEN) return;
  const opener = await actorOf(em, 'ballot.opened', ballot.id);
  const voters = (await ballotVoters(em, ballot.id, false)).filter((id) => id !== opener);
  await notify(em, app, { kind: NotificationKind.BALLOT_OPENED, key: `ballot-opened:${ballot.id}`, subject: ballot.title, subjectLanguage: Locale.ES, link: `/ballots/${ballot.id}` }, voters);
}

/** Open ballots closing within 24 hours remind the voters who have not voted on every question, once per ballot. */
export async function remindClosingBallots(em: EntityManager, app: AppServices, now = new Date()): Promise<void> {
  const closing = await reads(em)
    .selectFrom('ballot')
    .select(['id', 'title'])
    .where('closed_at', 'is', null)
    .where('frozen_at', 'is not', null)
    .where('opens_at', '<=', now.toISOString())
    .where('closes_at', '>', now.toISOString())
    .where('closes_at', '<=', new Date(now.getTime() + RECENT_MS).toISOString())
    .execute();
  for (const ballot of closing) {
    await notify(em, app, { kind: NotificationKind.BALLOT_CLOSING, key: `ballot-closing:${ballot.id}`, subject: ballot.title, subjectLanguage: Locale.ES, link: `/ballots/${ballot.id}` }, await ballotVoters(em, ballot.id, true));
  }
}

reactTo(LiveEventKind.REPLY_ADDED, async ({ commentId }, { em, app }) => void (commentId && (await notifyReply(em, app, commentId))));
reactTo(LiveEventKind.DISPOSITION_CHANGED, async ({ roundId, indicatorVersionId, commentId }, { em, app }) => void (roundId && (await notifyDispositions(em, app, roundId, indicatorVersionId, commentId))));
reactTo(LiveEventKind.COMMENTS_TAKEN_UP, async ({ roundId }, { em, app }) => void (roundId && (await notifyTakenUp(em, app, roundId))));
reactTo(LiveEventKind.ROUND_STATUS_CHANGED, async ({ roundId }, { em, app }) => void (roundId && (await notifyRoundStatus(em, app, roundId))));
reactTo(LiveEventKind.BALLOT_STATUS_CHANGED, async ({ ballotId }, { em, app }) => void (ballotId && (await notifyBallotOpened(em, app, ballotId))));

/** Every quarter of an hour: the reminders of ballots closing within a day (see remindClosingBallots). */
export const ballotClosingReminders = defineTask<Record<string, unknown>>('notifications:ballot-closing', async (_payload, { em, app }) => remindClosingBallots(em, app), { everyMinutes: 15 });
