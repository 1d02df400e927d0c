import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { audit } from '../audit/audit.service.js';
import { effectiveRoles } from '../auth/roles.js';
import type { Viewer } from '../auth/viewer.js';
import { Ballot } from '../ballots/ballot.entity.js';
import { badInput, forbidden, notFound, Refusal } from '../errors.js';
import { toLocalizedText } from '../i18n/localized-text.js';
import { IndicatorVersion } from '../indicators/indicator.entity.js';
import { Organization } from '../organizations/organization.entity.js';
import { RoundVersion } from '../rounds/round-version.entity.js';
import { ConsultationRound } from '../rounds/round.entity.js';
import { Role, User } from '../users/user.entity.js';
import { ActionItem, AgendaItem, AgendaLinkKind, AgendaMove, Attendance, Decision, Meeting, MinutesSignOff } from './meeting.entity.js';
import type { AddActionItemInput, AddAgendaItemInput, RecordDecisionInput } from './meeting.inputs.js';
import { findMeeting, requireDraftMinutes } from './meeting.service.js';

/** Checks that what an agenda item links to exists and fits its kind (an indicator as consulted in that round). */
async function checkLink(em: EntityManager, input: AddAgendaItemInput) {
  const wrong = (message: string) => badInput('linkKind', message, Refusal.AGENDA_LINK_INVALID);
  switch (input.linkKind) {
    case undefined:
    case null:
      return { linkKind: null, roundId: null, indicatorVersionId: null, ballotId: null };
    case AgendaLinkKind.INDICATOR:
      if (!input.roundId || !input.indicatorVersionId || !(await em.count(RoundVersion, { round: input.roundId, indicatorVersion: input.indicatorVersionId }))) throw wrong('Give a round and an indicator version consulted in it');
      return { linkKind: input.linkKind, roundId: input.roundId, indicatorVersionId: input.indicatorVersionId, ballotId: null };
    case AgendaLinkKind.REVISION:
      if (!input.indicatorVersionId || !(await em.count(IndicatorVersion, { id: input.indicatorVersionId }))) throw wrong('Give the revision');
      return { linkKind: input.linkKind, roundId: null, indicatorVersionId: input.indicatorVersionId, ballotId: null };
    case AgendaLinkKind.BALLOT:
      if (!input.ballotId || !(await em.count(Ballot, { id: input.ballotId }))) throw wrong('Give the ballot');
      return { linkKind: input.linkKind, roundId: null, indicatorVersionId: null, ballotId: input.ballotId };
    case AgendaLinkKind.DISPOSITIONS:
      if (!input.roundId || !(await em.count(ConsultationRound, { id: input.roundId }))) throw wrong('Give the round');
      return { linkKind: input.linkKind, roundId: input.roundId, indicatorVersionId: null, ballotId: null };
  }
}

/** Adds an item at the end of the agenda (the meeting's row locked, so items added or moved together take places one at a time). */
export async function addAgendaItem(em: EntityManager, viewer: Viewer, input: AddAgendaItemInput): Promise<AgendaItem> {
  const meeting = await findMeeting(em, viewer, input.meetingId, LockMode.PESSIMISTIC_WRITE);
  requireDraftMinutes(meeting);
  const title = toLocalizedText(input.title);
  if (!Object.keys(title).length) throw badInput('title', 'Give the item a title', Refusal.TITLE_SOURCE_LANGUAGE);
  const link = await checkLink(em, input);
  const last = await em.findOne(AgendaItem, { meeting }, { orderBy: { position: 'desc' } });
  const item = em.create(AgendaItem, {
    meeting,
    position: (last?.position ?? 0) + 1,
    title,
    timeBoxMinutes: input.timeBoxMinutes ?? null,
    presenter: input.presenter?.trim() || null,
    materials: (input.materials ?? []).map((m) => ({ label: m.label.trim(), url: m.url.trim() })),
    ...link,
  });
  audit(em, { actorId: viewer.id, action: 'meeting.agenda_changed', subjectType: 'Meeting', subjectId: meeting.id, scopeId: meeting.id, data: { added: item.id, position: item.position, linkKind: item.linkKind } });
  await em.flush();
  return item;
}

/**
 * Swaps an agenda item with its neighbour above or below; at the top (or bottom) already, nothing
 * changes. The meeting's row is locked first and the positions read after the lock, so moves on one
 * agenda run one at a time, each on the order the previous one left; the database's unique
 * (meeting, position), checked at commit, stands behind it.
 */
export async function moveAgendaItem(em: EntityManager, viewer: Viewer, agendaItemId: string, direction: AgendaMove): Promise<Meeting> {
  const found = await em.findOne(AgendaItem, { id: agendaItemId });
  if (!found) throw notFound('AgendaItem', agendaItemId);
  const meeting = await findMeeting(em, viewer, found.meeting.id, LockMode.PESSIMISTIC_WRITE);
  requireDraftMinutes(meeting);
  const item = await em.findOneOrFail(AgendaItem, { id: agendaItemId }, { refresh: true });
  const up = direction === AgendaMove.UP;
  const neighbour = await em.findOne(AgendaItem, { meeting, position: up ? { $lt: item.position } : { $gt: item.position } }, { orderBy: { position: up ? 'desc' : 'asc' }, refresh: true });
  if (!neighbour) return meeting;
  const from = item.position;
  [item.position, neighbour.position] = [neighbour.position, from];
  audit(em, { actorId: viewer.id, action: 'meeting.agenda_changed', subjectType: 'Meeting', subjectId: meeting.id, scopeId: meeting.id, data: { moved: item.id, from, to: item.position } });
  await em.flush();
  return meeting;
}

/** The item, with its meeting, if the viewer may see the meeting. */
export async function findAgendaItem(em: EntityManager, viewer: Viewer | null, id: string): Promise<{ item: AgendaItem; meeting: Meeting }> {
  const item = await em.findOne(AgendaItem, { id });
  if (!item) throw notFound('AgendaItem', id);
  return { item, meeting: await findMeeting(em, viewer, item.meeting.id) };
}

/** Saves the minutes of one agenda item, while the meeting's minutes are a draft. */
export async function saveItemMinutes(em: EntityManager, viewer: Viewer, agendaItemId: string, minutes: string): Promise<AgendaItem> {
  const { item, meeting } = await findAgendaItem(em, viewer, agendaItemId);
  requireDraftMinutes(meeting);
  item.minutes = minutes.trim();
  audit(em, { actorId: viewer.id, action: 'meeting.minutes_drafted', subjectType: 'Meeting', subjectId: meeting.id, scopeId: meeting.id, data: { agendaItemId: item.id, length: item.minutes.length } });
  await em.flush();
  return item;
}

/** Records a decision under an agenda item, linked to the ballot or the round's disposition of comments behind it (by default the item's own). */
export async function recordDecision(em: EntityManager, viewer: Viewer, input: RecordDecisionInput): Promise<Decision> {
  const { item, meeting } = await findAgendaItem(em, viewer, input.agendaItemId);
  requireDraftMinutes(meeting);
  const ballotId = input.ballotId ?? (item.linkKind === AgendaLinkKind.BALLOT ? item.ballotId : null);
  const roundId = input.roundId ?? (item.linkKind === AgendaLinkKind.DISPOSITIONS ? item.roundId : null);
  if (ballotId && !(await em.count(Ballot, { id: ballotId }))) throw badInput('ballotId', 'No such ballot', Refusal.NOT_FOUND);
  if (roundId && !(await em.count(ConsultationRound, { id: roundId }))) throw badInput('roundId', 'No such round', Refusal.NOT_FOUND);
  const decision = em.create(Decision, { meeting, agendaItemId: item.id, text: input.text.trim(), ballotId, roundId, recordedById: viewer.id });
  audit(em, { actorId: viewer.id, action: 'meeting.decision_recorded', subjectType: 'Meeting', subjectId: meeting.id, scopeId: meeting.id, data: { decisionId: decision.id, agendaItemId: item.id, ballotId, roundId } });
  await em.flush();
  return decision;
}

/** Gives someone an action item from an agenda item. */
export async function addActionItem(em: EntityManager, viewer: Viewer, input: AddActionItemInput): Promise<ActionItem> {
  const { item, meeting } = await findAgendaItem(em, viewer, input.agendaItemId);
  requireDraftMinutes(meeting);
  if (input.responsibleOrganizationId && !(await em.count(Organization, { id: input.responsibleOrganizationId }))) throw badInput('responsibleOrganizationId', 'No such organization', Refusal.UNKNOWN_ORGANIZATION);
  const action = em.create(ActionItem, {
    meeting,
    agendaItemId: item.id,
    description: input.description.trim(),
    responsibleOrganizationId: input.responsibleOrganizationId ?? null,
    responsiblePerson: input.responsiblePerson.trim(),
    dueOn: input.dueOn,
  });
  audit(em, { actorId: viewer.id, action: 'meeting.action_item_added', subjectType: 'Meeting', subjectId: meeting.id, scopeId: meeting.id, data: { actionItemId: action.id, dueOn: action.dueOn, responsiblePerson: action.responsiblePerson } });
  await em.flush();
  return action;
}

/** Marks an action item done (or not done again): the one change approved minutes allow. */
export async function markActionItem(em: EntityManager, viewer: Viewer, id: string, done: boolean): Promise<ActionItem> {
  const action = await em.findOne(ActionItem, { id });
  if (!action) throw notFound('ActionItem', id);
  await findMeeting(em, viewer, action.meeting.id);
  action.doneAt = done ? (action.doneAt ?? new Date()) : null;
  audit(em, { actorId: viewer.id, action: 'meeting.action_item_marked', subjectType: 'Meeting', subjectId: action.meeting.id, scopeId: action.meeting.id, data: { actionItemId: action.id, done } });
  await em.flush();
  return action;
}

/** Today's date (YYYY-MM-DD) by the server clock, in UTC. */
export const todayIso = (now = new Date()) => now.toISOString().slice(0, 10);

/** Overdue by the clock at the time of the read: past its due date and not done. Computed, never stored. */
export const isOverdue = (action: Pick<ActionItem, 'dueOn' | 'doneAt'>, now = new Date()) => !action.doneAt && action.dueOn < todayIso(now);

/** The working-group members recorded present (the people who approve the minutes). */
export async function membersPresent(em: EntityManager, meetingId: string): Promise<User[]> {
  const present = await em.find(Attendance, { meeting: meetingId, userId: { $ne: null } });
  const users = await em.find(User, { id: { $in: present.map((a) => a.userId!) } });
  return users.filter((u) => effectiveRoles(u.roles).has(Role.MEMBER));
}

/**
 * A member present signs the minutes off. When every member present has signed, the minutes are
 * approved in the same transaction: from then on the service refuses changes and the database
 * refuses any statement that would change them.
 */
export async function signOffMinutes(em: EntityManager, viewer: Viewer, meetingId: string): Promise<Meeting> {
  const meeting = await findMeeting(em, viewer, meetingId);
  requireDraftMinutes(meeting);
  const members = await membersPresent(em, meeting.id);
  if (!members.some((m) => m.id === viewer.id)) throw forbidden('Only the working-group members present sign the minutes off', Refusal.NOT_PRESENT);
  if (!(await em.count(MinutesSignOff, { meeting, userId: viewer.id }))) em.create(MinutesSignOff, { meeting, userId: viewer.id });
  await em.flush();
  const signed = new Set((await em.find(MinutesSignOff, { meeting })).map((s) => s.userId));
  const approved = members.every((m) => signed.has(m.id));
  if (approved) meeting.minutesApprovedAt = new Date();
  audit(em, { actorId: viewer.id, action: approved ? 'meeting.minutes_approved' : 'meeting.minutes_signed_off', subjectType: 'Meeting', subjectId: meeting.id, scopeId: meeting.id, data: { signed: signed.size, membersPresent: members.length } });
  await em.flush();
  return meeting;
}
