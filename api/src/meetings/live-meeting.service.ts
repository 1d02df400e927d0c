import type { EntityManager } from '@mikro-orm/postgresql';
import { OnBehalfSource, FeedbackSourceKind } from '../analysis/on-behalf-source.entity.js';
import { enterOnBehalf } from '../analysis/on-behalf.service.js';
import { audit } from '../audit/audit.service.js';
import type { Viewer } from '../auth/viewer.js';
import { BallotEligibility, BallotSecrecy } from '../ballots/ballot.entity.js';
import { PassingRule } from '../ballots/ballot-rules.js';
import { createBallot, openBallot } from '../ballots/ballot.service.js';
import type { Comment } from '../comments/comment.entity.js';
import { CommentTargetKind, CommentType } from '../comments/comment.entity.js';
import { badInput, conflict, Refusal } from '../errors.js';
import { localize } from '../i18n/localized-text.js';
import { LockMode } from '@mikro-orm/core';
import { AgendaItem, AgendaLinkKind, Meeting, SpeakingHand } from './meeting.entity.js';
import { findMeeting } from './meeting.service.js';
import { findAgendaItem } from './minutes.service.js';

/** The facilitator moves the meeting to an item of its agenda (or to none, to end the live part). */
export async function setCurrentItem(em: EntityManager, viewer: Viewer, meetingId: string, agendaItemId: string | null): Promise<Meeting> {
  const meeting = await findMeeting(em, viewer, meetingId);
  if (agendaItemId && !(await em.count(AgendaItem, { id: agendaItemId, meeting }))) throw badInput('agendaItemId', 'Not an item of this meeting’s agenda', Refusal.NOT_FOUND);
  meeting.currentItemId = agendaItemId;
  audit(em, { actorId: viewer.id, action: 'meeting.item_changed', subjectType: 'Meeting', subjectId: meeting.id, scopeId: meeting.id, data: { agendaItemId } });
  await em.flush();
  return meeting;
}

/** The item the meeting is on now, required to be `agendaItemId`: the facilitator acts on what the room sees. */
async function currentItem(em: EntityManager, viewer: Viewer, agendaItemId: string): Promise<{ item: AgendaItem; meeting: Meeting }> {
  const found = await findAgendaItem(em, viewer, agendaItemId);
  if (found.meeting.currentItemId !== found.item.id) throw conflict('This is not the item the meeting is on', { reason: Refusal.NO_CURRENT_ITEM });
  return found;
}

/** Raises the viewer's hand (once: a hand already up stays where it is in the queue). */
export async function raiseHand(em: EntityManager, viewer: Viewer, meetingId: string): Promise<Meeting> {
  const meeting = await findMeeting(em, viewer, meetingId);
  await em.execute(
    `insert into speaking_hand (id, meeting_id, user_id, raised_at) values (gen_random_uuid(), ?, ?, now())
     on conflict (meeting_id, user_id) where called_at is null and lowered_at is null do nothing`,
    [meeting.id, viewer.id],
  );
  return meeting;
}

/** Lowers the viewer's own raised hand. */
export async function lowerHand(em: EntityManager, viewer: Viewer, meetingId: string): Promise<Meeting> {
  const meeting = await findMeeting(em, viewer, meetingId);
  await em.nativeUpdate(SpeakingHand, { meeting, userId: viewer.id, calledAt: null, loweredAt: null }, { loweredAt: new Date() });
  return meeting;
}

/** The facilitator gives the floor to the first raised hand; nothing when nobody waits. */
export async function callNextSpeaker(em: EntityManager, viewer: Viewer, meetingId: string): Promise<Meeting> {
  const meeting = await findMeeting(em, viewer, meetingId, LockMode.PESSIMISTIC_WRITE);
  const [next] = await em.find(SpeakingHand, { meeting, calledAt: null, loweredAt: null }, { orderBy: { raisedAt: 'asc', id: 'asc' }, limit: 1 });
  if (next) next.calledAt = new Date();
  await em.flush();
  return meeting;
}

/** The hands up, in order, and the last one given the floor. */
export async function speakingQueue(em: EntityManager, meetingId: string) {
  const rows = await em.execute<Array<{ id: string; name: string; raised_at: Date; called_at: Date | null }>>(
    `select * from (
       (select h.id, u.name, h.raised_at, h.called_at from speaking_hand h join app_user u on u.id = h.user_id
        where h.meeting_id = ? and h.called_at is null and h.lowered_at is null order by h.raised_at, h.id)
       union all
       (select h.id, u.name, h.raised_at, h.called_at from speaking_hand h join app_user u on u.id = h.user_id
        where h.meeting_id = ? and h.called_at is not null order by h.called_at desc limit 1)
     ) q`,
    [meetingId, meetingId],
  );
  const waiting = rows.filter((r) => !r.called_at).map((r) => ({ id: r.id, name: r.name, raisedAt: new Date(r.raised_at) }));
  const speaking = rows.find((r) => r.called_at);
  return { waiting, speaking: speaking ? { id: speaking.id, name: speaking.name, raisedAt: new Date(speaking.raised_at) } : null };
}

/**
 * Opens a quick ballot on the current item's revision through the ballot engine: the working-group
 * members vote for `minutes` from now, simple majority, quorum of half, an open tally for the
 * presenter view. The item holds the ballot from then on.
 */
export async function openQuickBallot(em: EntityManager, viewer: Viewer, agendaItemId: string, minutes: number) {
  const { item, meeting } = await currentItem(em, viewer, agendaItemId);
  if (item.linkKind !== AgendaLinkKind.REVISION || !item.indicatorVersionId) throw conflict('A quick ballot needs an item about a revision', { reason: Refusal.QUICK_BALLOT_NEEDS_REVISION });
  const now = new Date();
  const ballot = await createBallot(em, viewer.id, {
    title: item.title,
    revisionIds: [item.indicatorVersionId],
    eligibility: BallotEligibility.MEMBERS,
    opensAt: now,
    closesAt: new Date(now.getTime() + minutes * 60_000),
    quorum: { numerator: 1, denominator: 2 },
    rule: PassingRule.SIMPLE_MAJORITY,
    secrecy: BallotSecrecy.OPEN,
  });
  await openBallot(em, viewer.id, ballot.id);
  item.ballotId = ballot.id;
  audit(em, { actorId: viewer.id, action: 'meeting.quick_ballot_opened', subjectType: 'Meeting', subjectId: meeting.id, scopeId: meeting.id, data: { agendaItemId: item.id, ballotId: ballot.id, minutes } });
  await em.flush();
  return { ballot, item, meeting };
}

/**
 * Records a point raised in the room on the current item's indicator, as a comment on behalf of
 * whoever raised it, through the on-behalf path (same counters, grouping and live events), with
 * the meeting as its source.
 */
export async function recordRoomPoint(
  em: EntityManager,
  viewer: Viewer,
  input: { agendaItemId: string; body: string; personName?: string | null; organizationId?: string | null; organizationName?: string | null },
): Promise<{ comment: Comment; meeting: Meeting; item: AgendaItem }> {
  const { item, meeting } = await currentItem(em, viewer, input.agendaItemId);
  if (item.linkKind !== AgendaLinkKind.INDICATOR || !item.roundId || !item.indicatorVersionId) throw conflict('A point from the room goes on an item about an indicator in a round', { reason: Refusal.ROOM_POINT_NEEDS_INDICATOR });
  const comment = await enterOnBehalf(em, viewer, {
    comment: { roundId: item.roundId, targetKind: CommentTargetKind.INDICATOR_VERSION, targetId: item.indicatorVersionId, type: CommentType.GENERAL, body: input.body },
    source: {
      kind: FeedbackSourceKind.MEETING,
      eventName: localize(meeting.title, [meeting.language], meeting.language)?.value.slice(0, 300) ?? null,
      givenOn: new Date().toISOString().slice(0, 10),
      place: meeting.place ?? null,
      personName: input.personName,
      organizationId: input.organizationId,
      organizationName: input.organizationName,
    },
  });
  await em.nativeUpdate(OnBehalfSource, { comment: comment.id }, { meetingId: meeting.id });
  audit(em, { actorId: viewer.id, action: 'meeting.room_point_recorded', subjectType: 'Meeting', subjectId: meeting.id, scopeId: meeting.id, data: { agendaItemId: item.id, commentId: comment.id } });
  await em.flush();
  return { comment, meeting, item };
}
