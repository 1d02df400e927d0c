import { LockMode, UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { audit } from '../audit/audit.service.js';
import type { Viewer } from '../auth/viewer.js';
import { Ballot } from '../ballots/ballot.entity.js';
import { badInput, conflict, forbidden, notFound, Refusal } from '../errors.js';
import { LOCALES, toLocalizedText, type LocalizedText, type LocalizedTextInput } from '../i18n/localized-text.js';
import { ActionItem, Meeting } from '../meetings/meeting.entity.js';
import { todayIso } from '../meetings/minutes.service.js';
import { Organization } from '../organizations/organization.entity.js';
import { ConsultationRound } from '../rounds/round.entity.js';
import { Role } from '../users/user.entity.js';
import { ActivityLinkKind, ActivityStatus, WorkActivity, WorkActivityLink, WorkActivityPartner, WorkObjective, WorkPlan } from './workplan.entity.js';
import type { AddWorkActivityInput, AddWorkObjectiveInput, CreateWorkPlanInput, LinkWorkActivityInput, UpdateWorkActivityInput, UpdateWorkObjectiveInput, WorkActivityFields } from './workplan.inputs.js';

/** The work plan is the working group's: its members and the facilitators (admins among them) read it. */
export function requireWorkingGroup(viewer: Viewer): void {
  if (!viewer.has(Role.MEMBER) && !viewer.isFacilitator) throw forbidden('The work plan is read by the working group and the facilitators', Refusal.WORKING_GROUP_ONLY);
}

/**
 * Overdue by the clock at the time of the read: past its end and neither done nor cancelled.
 * Computed on every read, never stored, so no read writes and no job has to catch up.
 */
export const isOverdue = (activity: Pick<WorkActivity, 'endsOn' | 'status'>, now = new Date()) =>
  (activity.status === ActivityStatus.PLANNED || activity.status === ActivityStatus.IN_PROGRESS) && activity.endsOn < todayIso(now);

/** Every plan, latest year first. */
export function listPlans(em: EntityManager, viewer: Viewer): Promise<WorkPlan[]> {
  requireWorkingGroup(viewer);
  return em.find(WorkPlan, {}, { orderBy: { year: 'desc' } });
}

/** The plan of `year`: NOT_FOUND when there is none. */
export async function planOfYear(em: EntityManager, viewer: Viewer, year: number): Promise<WorkPlan> {
  requireWorkingGroup(viewer);
  const plan = await em.findOne(WorkPlan, { year });
  if (!plan) throw notFound('WorkPlan', String(year));
  return plan;
}

/** A title with at least one language, else BAD_USER_INPUT on `field`. */
function titleOf(input: LocalizedTextInput, field = 'title'): LocalizedText {
  const title = toLocalizedText(input);
  if (!Object.keys(title).length) throw badInput(field, 'Give a title in at least one language', Refusal.TITLE_SOURCE_LANGUAGE);
  return title;
}

/** The stored title with the languages given replaced (a blank one removed) and the others kept; never left without a language. */
function retitled(stored: LocalizedText, input: LocalizedTextInput): LocalizedText {
  const next: LocalizedText = { ...stored };
  for (const language of LOCALES) {
    const given = input[language];
    if (given == null) continue;
    if (given.trim()) next[language] = given.trim();
    else delete next[language];
  }
  if (!Object.keys(next).length) throw badInput('title', 'Give a title in at least one language', Refusal.TITLE_SOURCE_LANGUAGE);
  return next;
}

/** Starts a year's plan. CONFLICT `WORK_PLAN_EXISTS` when the year has one, also when two start it at once (the database's unique year decides). */
export async function createPlan(em: EntityManager, viewer: Viewer, input: CreateWorkPlanInput): Promise<WorkPlan> {
  const plan = em.create(WorkPlan, { year: input.year, title: titleOf(input.title), createdById: viewer.id });
  audit(em, { actorId: viewer.id, action: 'work_plan.created', subjectType: 'WorkPlan', subjectId: plan.id, scopeId: plan.id, data: { year: plan.year } });
  try {
    await em.flush();
  } catch (err) {
    if (err instanceof UniqueConstraintViolationException) throw conflict(`${input.year} has a work plan already`, { reason: Refusal.WORK_PLAN_EXISTS });
    throw err;
  }
  return plan;
}

/** Adds an objective at the end of a plan; the plan's row is locked, so objectives added together take the next places one at a time. */
export async function addObjective(em: EntityManager, viewer: Viewer, input: AddWorkObjectiveInput): Promise<WorkObjective> {
  const plan = await em.findOne(WorkPlan, { id: input.planId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
  if (!plan) throw notFound('WorkPlan', input.planId);
  const title = titleOf(input.title);
  const last = await em.findOne(WorkObjective, { plan }, { orderBy: { position: 'desc' } });
  const objective = em.create(WorkObjective, { plan, position: (last?.position ?? 0) + 1, title });
  audit(em, { actorId: viewer.id, action: 'work_plan.objective_added', subjectType: 'WorkPlan', subjectId: plan.id, scopeId: plan.id, data: { objectiveId: objective.id, position: objective.position } });
  await em.flush();
  return objective;
}

/** Renames an objective. */
export async function updateObjective(em: EntityManager, viewer: Viewer, input: UpdateWorkObjectiveInput): Promise<WorkObjective> {
  const objective = await em.findOne(WorkObjective, { id: input.id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
  if (!objective) throw notFound('WorkObjective', input.id);
  const before = objective.title;
  objective.title = retitled(objective.title, input.title);
  audit(em, { actorId: viewer.id, action: 'work_plan.objective_updated', subjectType: 'WorkPlan', subjectId: objective.plan.id, scopeId: objective.plan.id, data: { objectiveId: objective.id, before, after: objective.title } });
  await em.flush();
  return objective;
}

/** The fields of an activity checked together: dates in order, progress 100 when done, known partners. */
async function checkedFields(em: EntityManager, input: WorkActivityFields, progressBefore: number | null) {
  const problems: Array<[string, string, Refusal]> = [];
  const valid = (day: string) => !Number.isNaN(Date.parse(`${day}T00:00:00Z`)) && new Date(`${day}T00:00:00Z`).toISOString().startsWith(day);
  if (!valid(input.startsOn)) problems.push(['startsOn', 'Not a date', Refusal.DATES_OUT_OF_ORDER]);
  if (!valid(input.endsOn)) problems.push(['endsOn', 'Not a date', Refusal.DATES_OUT_OF_ORDER]);
  else if (input.endsOn < input.startsOn) problems.push(['endsOn', 'The end comes on or after the start', Refusal.DATES_OUT_OF_ORDER]);
  const done = input.status === ActivityStatus.DONE;
  const progress = input.progress ?? (done ? 100 : (progressBefore ?? 0));
  if (done && progress !== 100) problems.push(['progress', 'A done activity’s progress is 100', Refusal.ACTIVITY_DONE_PROGRESS]);
  const partnerIds = [...new Set(input.partnerIds)];
  if (partnerIds.length && (await em.count(Organization, { id: { $in: partnerIds } })) !== partnerIds.length) problems.push(['partnerIds', 'No such organization', Refusal.UNKNOWN_ORGANIZATION]);
  if (problems.length) throw badInput(problems[0][0], problems.map((p) => p[1]).join('; '), problems[0][2]);
  return { fields: { responsiblePerson: input.responsiblePerson?.trim() || null, startsOn: input.startsOn, endsOn: input.endsOn, status: input.status, progress }, partnerIds };
}

/** Adds an activity at the end of an objective (its row locked for the place, as for objectives). */
export async function addActivity(em: EntityManager, viewer: Viewer, input: AddWorkActivityInput): Promise<WorkActivity> {
  const objective = await em.findOne(WorkObjective, { id: input.objectiveId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
  if (!objective) throw notFound('WorkObjective', input.objectiveId);
  const title = titleOf(input.title);
  const { fields, partnerIds } = await checkedFields(em, input, null);
  const last = await em.findOne(WorkActivity, { objective }, { orderBy: { position: 'desc' } });
  const activity = em.create(WorkActivity, { objective, position: (last?.position ?? 0) + 1, title, ...fields });
  for (const organizationId of partnerIds) em.create(WorkActivityPartner, { activity, organizationId });
  audit(em, { actorId: viewer.id, action: 'work_plan.activity_added', subjectType: 'WorkPlan', subjectId: objective.plan.id, scopeId: objective.plan.id, data: { activityId: activity.id, ...fields, partnerIds } });
  await em.flush();
  return activity;
}

/** Replaces an activity's fields and partners; the audit entry keeps what they were. */
export async function updateActivity(em: EntityManager, viewer: Viewer, input: UpdateWorkActivityInput): Promise<WorkActivity> {
  const activity = await em.findOne(WorkActivity, { id: input.id }, { lockMode: LockMode.PESSIMISTIC_WRITE, populate: ['objective'] });
  if (!activity) throw notFound('WorkActivity', input.id);
  const title = retitled(activity.title, input.title);
  const { fields, partnerIds } = await checkedFields(em, input, activity.progress);
  const partners = await em.find(WorkActivityPartner, { activity });
  const before = { title: activity.title, responsiblePerson: activity.responsiblePerson, startsOn: activity.startsOn, endsOn: activity.endsOn, status: activity.status, progress: activity.progress, partnerIds: partners.map((p) => p.organizationId) };
  em.assign(activity, { title, ...fields, updatedAt: new Date() });
  for (const p of partners) if (!partnerIds.includes(p.organizationId)) em.remove(p);
  for (const organizationId of partnerIds) if (!partners.some((p) => p.organizationId === organizationId)) em.create(WorkActivityPartner, { activity, organizationId });
  const planId = activity.objective.getEntity().plan.id;
  audit(em, { actorId: viewer.id, action: 'work_plan.activity_updated', subjectType: 'WorkPlan', subjectId: planId, scopeId: planId, data: { activityId: activity.id, before, after: { title, ...fields, partnerIds } } });
  await em.flush();
  return activity;
}

const TARGETS = {
  [ActivityLinkKind.MEETING]: { entity: Meeting, column: 'meetingId' },
  [ActivityLinkKind.ROUND]: { entity: ConsultationRound, column: 'roundId' },
  [ActivityLinkKind.BALLOT]: { entity: Ballot, column: 'ballotId' },
  [ActivityLinkKind.ACTION_ITEM]: { entity: ActionItem, column: 'actionItemId' },
} as const;

/** Links an activity to a meeting, round, ballot or action item; linking again returns the link there is. */
export async function linkActivity(em: EntityManager, viewer: Viewer, input: LinkWorkActivityInput): Promise<WorkActivityLink> {
  const activity = await em.findOne(WorkActivity, { id: input.activityId }, { lockMode: LockMode.PESSIMISTIC_WRITE, populate: ['objective'] });
  if (!activity) throw notFound('WorkActivity', input.activityId);
  const target = TARGETS[input.kind];
  if (!(await em.count(target.entity as never, { id: input.targetId }))) throw badInput('targetId', `No such ${input.kind.toLowerCase()}`, Refusal.ACTIVITY_LINK_INVALID);
  const existing = await em.findOne(WorkActivityLink, { activity, kind: input.kind, [target.column]: input.targetId });
  if (existing) return existing;
  const link = em.create(WorkActivityLink, { activity, kind: input.kind, [target.column]: input.targetId });
  const planId = activity.objective.getEntity().plan.id;
  audit(em, { actorId: viewer.id, action: 'work_plan.activity_linked', subjectType: 'WorkPlan', subjectId: planId, scopeId: planId, data: { activityId: activity.id, linkId: link.id, kind: input.kind, targetId: input.targetId } });
  await em.flush();
  return link;
}

/** Removes a link; returns the activity it was on. */
export async function unlinkActivity(em: EntityManager, viewer: Viewer, linkId: string): Promise<WorkActivity> {
  const link = await em.findOne(WorkActivityLink, { id: linkId }, { populate: ['activity.objective'] });
  if (!link) throw notFound('WorkActivityLink', linkId);
  const activity = link.activity.getEntity();
  const planId = activity.objective.getEntity().plan.id;
  const targetId = link.meetingId ?? link.roundId ?? link.ballotId ?? link.actionItemId;
  em.remove(link);
  audit(em, { actorId: viewer.id, action: 'work_plan.activity_unlinked', subjectType: 'WorkPlan', subjectId: planId, scopeId: planId, data: { activityId: activity.id, linkId, kind: link.kind, targetId } });
  await em.flush();
  return activity;
}
