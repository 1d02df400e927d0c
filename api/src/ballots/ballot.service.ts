import { LockMode, type FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { audit } from '../audit/audit.service.js';
import type { Viewer } from '../auth/viewer.js';
import { badInput, conflict, notFound } from '../errors.js';
import { toLocalizedText } from '../i18n/localized-text.js';
import { IndicatorVersion, IndicatorVersionStatus, Indicator } from '../indicators/indicator.entity.js';
import { recordDecision } from '../certification/review.service.js';
import { Organization } from '../organizations/organization.entity.js';
import { Role, User } from '../users/user.entity.js';
import { Ballot, BallotEligibility, BallotSecrecy, BallotStatus, ballotStatus } from './ballot.entity.js';
import type { CreateBallotInput } from './ballot.inputs.js';
import { BallotQuestion } from './ballot-question.entity.js';
import { BallotOutcome, PassingRule, decide, isValidShare } from './ballot-rules.js';
import { BallotVoter } from './ballot-voter.entity.js';
import { publishBallotStatusEvent } from './ballot-activity.js';
import { defineTask, enqueue } from '../jobs/tasks.js';
import { LiveEventKind, topics } from '../live/live-event.js';
import { announcedSince } from '../live/live-event.log.js';

/** Who sees a committee ballot (an institution's confidential assessment is behind it): the committee and facilitators. */
const seesCommitteeBallots = (viewer: Viewer) => viewer.isFacilitator || viewer.has(Role.CERTIFICATION_COMMITTEE);

/**
 * Members never see a ballot in draft; everyone signed in sees the others (results are public after
 * the close), but a committee ballot, which only the committee and facilitators see.
 */
export function canSee(ballot: { eligibility: BallotEligibility; frozenAt?: unknown }, viewer: Viewer): boolean {
  if (ballot.eligibility === BallotEligibility.COMMITTEE) return seesCommitteeBallots(viewer);
  return viewer.isFacilitator || ballot.frozenAt != null;
}

/** Facilitators always see the tally; others once the ballot is closed, or all along when it is OPEN. */
export function tallyVisible(ballot: Ballot, viewer: Viewer, now = new Date()): boolean {
  return viewer.isFacilitator || ballot.secrecy === BallotSecrecy.OPEN || ballotStatus(ballot, now) === BallotStatus.CLOSED;
}

/** A ballot the viewer may see. Reading never decides it: its status follows the clock (`ballotStatus`), the close job records the decision. */
export async function findBallot(em: EntityManager, viewer: Viewer, id: string) {
  const ballot = await em.findOne(Ballot, { id });
  if (!ballot || !canSee(ballot, viewer)) throw notFound('Ballot', id);
  return ballot;
}

/** Newest first; drafts only for facilitators, committee ballots only for the committee and facilitators. */
export async function listBallots(em: EntityManager, viewer: Viewer) {
  const where: FilterQuery<Ballot> = {
    ...(viewer.isFacilitator ? {} : { frozenAt: { $ne: null } }),
    ...(seesCommitteeBallots(viewer) ? {} : { eligibility: { $ne: BallotEligibility.COMMITTEE } }),
  };
  return em.find(Ballot, where, { orderBy: { opensAt: 'desc', createdAt: 'desc' } });
}

/** A ballot's terms; its questions are added by whoever drafts it. */
export type BallotTerms = Omit<CreateBallotInput, 'revisionIds'>;

/** A ballot on proposed revisions, one question each, in draft. Committee ballots come from an assessed area (certification). */
export async function createBallot(em: EntityManager, actorId: string, input: CreateBallotInput) {
  if (input.eligibility === BallotEligibility.COMMITTEE) throw badInput('eligibility', 'A committee ballot is opened on an assessed area, from its committee page');
  const ballot = await draftBallot(em, actorId, input);
  const revisionIds = [...new Set(input.revisionIds)];
  const revisions = await em.find(IndicatorVersion, { id: { $in: revisionIds } });
  if (revisions.length !== revisionIds.length || revisions.some((r) => r.status !== IndicatorVersionStatus.PROPOSED)) {
    throw badInput('revisionIds', 'revisionIds must be proposed revisions');
  }
  if (new Set(revisions.map((r) => r.indicator.id)).size !== revisions.length) {
    throw badInput('revisionIds', 'A ballot holds at most one revision per indicator');
  }
  const pending = await em.find(BallotQuestion, { revision: { $in: revisionIds }, outcome: null });
  if (pending.length) {
    throw conflict('A revision is already in a ballot that has not been decided', { reason: 'REVISION_IN_BALLOT', revisionIds: pending.map((q) => q.revision!.id) });
  }
  const byId = new Map(revisions.map((r) => [r.id, r]));
  revisionIds.forEach((id, position) => {
    const revision = byId.get(id)!;
    em.create(BallotQuestion, { ballot, revision, indicator: em.getReference(Indicator, revision.indicator.id), position });
  });
  audit(em, { actorId, action: 'ballot.created', subjectType: 'Ballot', subjectId: ballot.id, scopeId: ballot.id, data: { ...terms(ballot), revisionIds } });
  await em.flush();
  return ballot;
}

/** A committee ballot in draft on one assessed area's seal; certification checks the area and opens it with its electorate. */
export async function createCommitteeBallot(em: EntityManager, actorId: string, input: Omit<BallotTerms, 'eligibility' | 'organizationIds'>, assessmentAreaId: string) {
  const ballot = await draftBallot(em, actorId, { ...input, eligibility: BallotEligibility.COMMITTEE });
  em.create(BallotQuestion, { ballot, assessmentArea: assessmentAreaId, position: 0 });
  audit(em, { actorId, action: 'ballot.created', subjectType: 'Ballot', subjectId: ballot.id, scopeId: ballot.id, data: { ...terms(ballot), assessmentAreaId } });
  await em.flush();
  return ballot;
}

/** Checks a ballot's terms and makes its row, in draft and without questions; the caller adds them, audits and flushes. */
async function draftBallot(em: EntityManager, actorId: string, input: BallotTerms): Promise<Ballot> {
  const title = toLocalizedText(input.title);
  if (!Object.keys(title).length) throw badInput('title', 'A ballot needs a title');
  if (!(input.closesAt > input.opensAt)) throw badInput('closesAt', 'closesAt must be after opensAt');
  if (!isValidShare(input.quorum)) throw badInput('quorum', 'The quorum must be a fraction between 0 and 1');
  const share = input.rule === PassingRule.QUALIFIED_MAJORITY ? (input.share ?? { numerator: 2, denominator: 3 }) : { numerator: 2, denominator: 3 };
  if (!isValidShare(share) || share.numerator === 0) throw badInput('share', 'The share must be a fraction above 0 and at most 1');

  const organizationIds = [...new Set(input.organizationIds ?? [])];
  if (input.eligibility === BallotEligibility.ORGANIZATIONS) {
    if (!organizationIds.length) throw badInput('organizationIds', 'Choose the organizations that vote');
    if ((await em.count(Organization, { id: { $in: organizationIds } })) !== organizationIds.length) {
      throw badInput('organizationIds', 'organizationIds must be existing organizations');
    }
  }

  return em.create(Ballot, {
    title,
    eligibility: input.eligibility,
    organizationIds: input.eligibility === BallotEligibility.ORGANIZATIONS ? organizationIds : [],
    opensAt: input.opensAt,
    closesAt: input.closesAt,
    quorumNumerator: input.quorum.numerator,
    quorumDenominator: input.quorum.denominator,
    rule: input.rule,
    shareNumerator: share.numerator,
    shareDenominator: share.denominator,
    secrecy: input.secrecy,
    createdById: actorId,
  });
}

/** The ballot row, locked until the transaction ends: opening, closing and voting queue behind each other. */
export async function lockBallot(em: EntityManager, id: string, mode: LockMode.PESSIMISTIC_WRITE | LockMode.PESSIMISTIC_READ) {
  const ballot = await em.findOne(Ballot, { id }, { lockMode: mode, refresh: true });
  if (!ballot) throw notFound('Ballot', id);
  return ballot;
}

/** One eligible voter as snapshotted when a ballot opens. */
export type Voter = Pick<BallotVoter, 'userId' | 'organizationId' | 'name'>;

/**
 * Freezes the terms: the quorum, the rule and the eligible voters (snapshotted now) can no longer
 * change. Voting starts at `opensAt` (now, if it has passed). A committee ballot's voters are given
 * by the feature that opens it (`committee`), which knows whom a conflict of interest keeps out.
 */
export async function openBallot(em: EntityManager, actorId: string, id: string, committee?: Voter[]) {
  const ballot = await lockBallot(em, id, LockMode.PESSIMISTIC_WRITE);
  if (ballot.frozenAt) throw conflict('This ballot is already open; reopening a ballot means creating a new one', { reason: 'BALLOT_ALREADY_OPENED' });
  // A committee ballot is drafted and opened in one transaction by certification, so no facilitator meets one in draft.
  if ((ballot.eligibility === BallotEligibility.COMMITTEE) !== (committee !== undefined)) throw new Error('A committee ballot opens with its committee, and only it');
  const now = new Date();
  if (ballot.closesAt <= now) throw badInput('closesAt', 'The closing time has passed; create a new ballot');

  const voters = committee ?? (await eligibleVoters(em, ballot));
  if (!voters.length) throw conflict('Nobody would be eligible to vote in this ballot', { reason: 'NO_ELIGIBLE_VOTERS' });
  for (const voter of voters) em.create(BallotVoter, { ballot, ...voter });
  ballot.eligibleCount = voters.length;
  ballot.frozenAt = now;
  audit(em, { actorId, action: 'ballot.opened', subjectType: 'Ballot', subjectId: ballot.id, scopeId: ballot.id, data: { ...terms(ballot), eligibleCount: voters.length, voters } });
  await em.flush();
  if (ballot.opensAt > now) await enqueue(em, ballotOpens, { ballotId: ballot.id }, { runAt: ballot.opensAt, jobKey: `ballot:${ballot.id}:opens` });
  await enqueue(em, ballotCloses, { ballotId: ballot.id }, { runAt: ballot.closesAt, jobKey: `ballot:${ballot.id}:closes` });
  return ballot;
}

/**
 * Deletes a ballot still in draft, so that its revisions are free for another ballot: a draft
 * holds them from the moment it is created. An opened ballot stays in the record; close it instead.
 */
export async function deleteDraftBallot(em: EntityManager, actorId: string, id: string): Promise<string> {
  const ballot = await lockBallot(em, id, LockMode.PESSIMISTIC_WRITE);
  if (ballot.frozenAt) throw conflict('This ballot was opened and stays in the record; close it instead', { reason: 'BALLOT_ALREADY_OPENED' });
  const questions = await em.find(BallotQuestion, { ballot }, { orderBy: { position: 'asc' } });
  audit(em, {
    actorId,
    action: 'ballot.deleted',
    subjectType: 'Ballot',
    subjectId: ballot.id,
    scopeId: ballot.id,
    data: { ...terms(ballot), revisionIds: questions.map((q) => q.revision?.id) },
  });
  await em.flush();
  // Its questions go with it (ON DELETE CASCADE); a draft has no voters and no votes.
  await em.nativeDelete(Ballot, { id: ballot.id });
  return ballot.id;
}

/** MEMBERS: every active member now. ORGANIZATIONS: each chosen organization, which must have an active member to vote for it. */
async function eligibleVoters(em: EntityManager, ballot: Ballot): Promise<Voter[]> {
  if (ballot.eligibility === BallotEligibility.MEMBERS) {
    const members = await em.find(User, { active: true, roles: { $contains: [Role.MEMBER] } }, { orderBy: { name: 'asc' } });
    return members.map((u) => ({ userId: u.id, organizationId: null, name: u.name }));
  }
  const organizations = await em.find(Organization, { id: { $in: ballot.organizationIds } }, { orderBy: { name: 'asc' } });
  const represented = new Set(
    (await em.find(User, { active: true, roles: { $contains: [Role.MEMBER] }, organization: { $in: ballot.organizationIds } })).map((u) => u.organization!.id),
  );
  const without = organizations.filter((o) => !represented.has(o.id));
  if (without.length) {
    throw badInput('organizationIds', `These organizations have no member who could cast their vote: ${without.map((o) => o.acronym ?? o.name).join(', ')}`);
  }
  return organizations.map((o) => ({ userId: null, organizationId: o.id, name: o.acronym ?? o.name }));
}

/** A facilitator closes early: decided now, by the same rule as at the closing time. */
export async function closeBallot(em: EntityManager, actorId: string, id: string) {
  const ballot = await lockBallot(em, id, LockMode.PESSIMISTIC_WRITE);
  if (ballot.closedAt) throw conflict('This ballot is closed; it cannot change', { reason: 'BALLOT_CLOSED' });
  if (!ballot.frozenAt) throw conflict('This ballot was never opened', { reason: 'BALLOT_NOT_OPEN' });
  await decideBallot(em, ballot, actorId, new Date());
  return ballot;
}

/**
 * Decides every question from its counters (read under the ballot's lock, so no vote is in
 * flight): NO_QUORUM, APPROVED (the revision becomes the indicator's current version) or
 * REJECTED (it stays in the history as rejected). A NO_QUORUM revision stays proposed for a new ballot.
 * A committee ballot's question awards (APPROVED) or refuses (REJECTED) its area's seal through the
 * certification's one decision path; NO_QUORUM leaves the area undecided, for a new ballot.
 */
async function decideBallot(em: EntityManager, ballot: Ballot, actorId: string | null, now: Date) {
  const questions = await em.find(BallotQuestion, { ballot }, { populate: ['revision', 'indicator'], orderBy: { position: 'asc' }, refresh: true });
  ballot.closedAt = now;
  ballot.closedById = actorId;
  const results = [];
  for (const question of questions) {
    const outcome = decide(ballot.rule, ballot.share, ballot.quorum, ballot.eligibleCount ?? 0, question.counts);
    question.outcome = outcome;
    question.decidedAt = now;
    const area = question.assessmentArea;
    if (area) {
      if (outcome !== BallotOutcome.NO_QUORUM) await recordDecision(em, { assessmentAreaId: area.id, award: outcome === BallotOutcome.APPROVED, reason: null, actorId, ballotId: ballot.id, decidedAt: now });
      results.push({ questionId: question.id, assessmentAreaId: area.id, outcome, ...question.counts });
      continue;
    }
    const revision = question.revision!.getEntity();
    const indicator = question.indicator!.getEntity();
    if (outcome === BallotOutcome.APPROVED) {
      revision.status = IndicatorVersionStatus.PUBLISHED;
      indicator.currentVersion = em.getReference(IndicatorVersion, revision.id, { wrapped: true });
    } else if (outcome === BallotOutcome.REJECTED) {
      revision.status = IndicatorVersionStatus.REJECTED;
    }
    results.push({ questionId: question.id, revisionId: revision.id, indicatorId: indicator.id, outcome, ...question.counts });
  }
  audit(em, {
    actorId,
    action: 'ballot.closed',
    subjectType: 'Ballot',
    subjectId: ballot.id,
    scopeId: ballot.id,
    data: { ...terms(ballot), eligibleCount: ballot.eligibleCount, early: now < ballot.closesAt, results },
  });
  await em.flush();
}

/**
 * At its opening time, a ballot opened ahead of it tells its subscribers, as a facilitator's
 * action does. Once: a status event on the ballot's topic since then means it was told.
 */
export const ballotOpens = defineTask<{ ballotId: string }>('ballots:opens', async ({ ballotId }, { em }) => {
  await em.transactional(async (tx) => {
    const ballot = await tx.findOne(Ballot, { id: ballotId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!ballot?.frozenAt || ballot.closedAt) return;
    if (!(await announcedSince(tx, topics.ballot(ballot.id), LiveEventKind.BALLOT_STATUS_CHANGED, ballot.opensAt))) await publishBallotStatusEvent({ em: tx }, ballot);
  });
});

/**
 * At its closing time, the ballot is decided and its subscribers told, as a facilitator's close
 * does. A ballot already decided (closed early, or by an earlier delivery) is left as it is.
 */
export const ballotCloses = defineTask<{ ballotId: string }>('ballots:closes', async ({ ballotId }, { em }) => {
  await closeIfDue(em, ballotId);
});

/** Every quarter of an hour, decides any ballot past its closing time that has no close job (opened before the queue existed). */
export const dueBallots = defineTask<Record<string, never>>('ballots:close-due', async (_, { em }) => void (await closeDueBallots(em)), { everyMinutes: 15 });

/** Decides one ballot if it is due, in its own transaction, with its status event; a concurrent closer waits on the lock and finds it decided. */
async function closeIfDue(em: EntityManager, id: string) {
  await em.fork().transactional(async (tx) => {
    // Deleted drafts have no close job; a missing ballot is nothing to decide.
    const ballot = await tx.findOne(Ballot, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    const now = new Date();
    if (!ballot?.frozenAt || ballot.closedAt || ballot.closesAt > now) return;
    await decideBallot(tx, ballot, null, now);
    await publishBallotStatusEvent({ em: tx }, ballot);
  });
}

/** Decides every ballot whose closing time has passed. Returns how many. */
export async function closeDueBallots(em: EntityManager) {
  const due = await em.fork().find(Ballot, { frozenAt: { $ne: null }, closedAt: null, closesAt: { $lte: new Date() } }, { fields: ['id'] });
  for (const { id } of due) await closeIfDue(em, id);
  return due.length;
}

/** The terms voters were told, as recorded in the audit log. */
function terms(ballot: Ballot) {
  return {
    title: ballot.title,
    eligibility: ballot.eligibility,
    organizationIds: ballot.organizationIds,
    opensAt: ballot.opensAt.toISOString(),
    closesAt: ballot.closesAt.toISOString(),
    quorum: ballot.quorum,
    rule: ballot.rule,
    share: ballot.rule === PassingRule.QUALIFIED_MAJORITY ? ballot.share : null,
    secrecy: ballot.secrecy,
  };
}
