import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { audit } from '../audit/audit.service.js';
import type { Viewer } from '../auth/viewer.js';
import { badInput, conflict, forbidden, notFound, Refusal } from '../errors.js';
import { renderMail } from '../mail/mail-content.js';
import { queueMail } from '../mail/mail.service.js';
import { Organization } from '../organizations/organization.entity.js';
import { User } from '../users/user.entity.js';
import { assessmentFor, requireInReview } from './assessment-access.js';
import { Answer, Assessment, AssessmentArea, AssessmentStatus, EvidenceRequest, Reviewer, ReviewJudgment } from './assessment.entity.js';
import { auditAssessment, indicatorOfAssessment } from './assessment.service.js';
import type { AssessmentIndicatorInput, DecideAreaInput, ProvideEvidenceInput, RequestEvidenceInput, ReviewJudgmentInput, ReviewVisitInput } from './certification.inputs.js';
import { scoreArea, type AreaScore } from './rules.js';
import { AreaDecisionMode, SchemeArea, SchemeIndicator } from './scheme.entity.js';
import { awardSeal } from './seal.service.js';

/**
 * Assigns a reviewer: a person of an accredited certification body, never of the assessed institution
 * (FORBIDDEN CONFLICT_OF_INTEREST). Assigning someone already assigned changes nothing.
 */
export async function assignReviewer(em: EntityManager, actorId: string, assessmentId: string, userId: string): Promise<Assessment> {
  const assessment = await em.findOne(Assessment, { id: assessmentId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
  if (!assessment) throw notFound('Assessment', assessmentId);
  requireInReview(assessment);
  const user = await em.findOne(User, { id: userId, active: true });
  if (!user) throw notFound('User', userId);
  if (user.organization?.id === assessment.organization.id) throw forbidden('A reviewer may not belong to the assessed institution', Refusal.CONFLICT_OF_INTEREST);
  const body = user.organization ? await em.findOne(Organization, { id: user.organization.id }) : null;
  if (!body?.accredited) throw forbidden('The reviewer must belong to an accredited certification body', Refusal.REVIEWER_NOT_ACCREDITED);
  if (await em.count(Reviewer, { assessment, user })) return assessment;
  em.create(Reviewer, { assessment, user, assignedById: actorId });
  auditAssessment(em, actorId, 'assessment.reviewer_assigned', assessment, { userId, organizationId: body.id });
  await em.flush();
  return assessment;
}

/** Records the days of the desk review and of the on-site visit. */
export async function recordReviewVisit(em: EntityManager, viewer: Viewer, input: ReviewVisitInput): Promise<Assessment> {
  const assessment = await assessmentFor(em, viewer, input.assessmentId, 'reviewer');
  requireInReview(assessment);
  for (const field of ['deskReviewOn', 'siteVisitOn'] as const) {
    const day = input[field];
    if (day != null && Number.isNaN(Date.parse(`${day}T00:00:00Z`))) throw badInput(field, 'Not a day of the calendar');
    if (day != null) assessment[field] = day;
  }
  auditAssessment(em, viewer.id, 'assessment.visit_recorded', assessment, { deskReviewOn: assessment.deskReviewOn ?? null, siteVisitOn: assessment.siteVisitOn ?? null });
  await em.flush();
  return assessment;
}

/** The assessment under review, locked for its assigned reviewer, and the indicator of it the step is about. */
async function reviewStep(em: EntityManager, viewer: Viewer, input: AssessmentIndicatorInput) {
  const assessment = await assessmentFor(em, viewer, input.assessmentId, 'reviewer');
  requireInReview(assessment);
  return { assessment, indicator: await indicatorOfAssessment(em, assessment, input.schemeIndicatorId) };
}

/** The reviewer confirms the institution's judgment on an indicator, or changes it with a reason. */
export async function reviewJudgment(em: EntityManager, viewer: Viewer, input: ReviewJudgmentInput): Promise<ReviewJudgment> {
  const { assessment, indicator } = await reviewStep(em, viewer, input);
  const answer = await em.findOneOrFail(Answer, { assessment, schemeIndicator: indicator });
  const reason = input.reason?.trim() ?? '';
  if (input.judgment !== answer.judgment && !reason) throw badInput('reason', 'Changing the institution’s judgment needs a reason', Refusal.CHANGE_REASON_REQUIRED);
  const review = (await em.findOne(ReviewJudgment, { assessment, schemeIndicator: indicator })) ?? em.create(ReviewJudgment, { assessment, schemeIndicator: indicator, judgment: input.judgment, reviewerId: viewer.id });
  em.assign(review, { judgment: input.judgment, reason, reviewerId: viewer.id, reviewedAt: new Date() });
  auditAssessment(em, viewer.id, 'assessment.judgment_reviewed', assessment, { code: indicator.code, from: answer.judgment, to: input.judgment, reason });
  await em.flush();
  return review;
}

/**
 * Asks the institution for more evidence on one indicator: the assessment goes back to it for that
 * indicator only, and each of the institution's people is told by e-mail in their language, queued in
 * this transaction (one message per request and person). `publicUrl` is where the mail's link points;
 * null queues no mail (the demo seed, which has no address to link to).
 */
export async function requestEvidence(em: EntityManager, viewer: Viewer, input: RequestEvidenceInput, publicUrl: string | null): Promise<EvidenceRequest> {
  const { assessment, indicator } = await reviewStep(em, viewer, input);
  const request = em.create(EvidenceRequest, { assessment, schemeIndicator: indicator, message: input.message.trim(), requestedById: viewer.id });
  assessment.status = AssessmentStatus.EVIDENCE_REQUESTED;
  auditAssessment(em, viewer.id, 'assessment.evidence_requested', assessment, { requestId: request.id, code: indicator.code });
  await em.flush();
  if (publicUrl) await notifyEvidenceRequested(em, publicUrl, assessment, request, indicator.code);
  return request;
}

async function notifyEvidenceRequested(em: EntityManager, publicUrl: string, assessment: Assessment, request: EvidenceRequest, code: string) {
  const institution = await em.findOneOrFail(Organization, { id: assessment.organization.id });
  const people = await em.find(User, { organization: institution, active: true }, { orderBy: { id: 'asc' } });
  const link = new URL(`/certification/assessments/${encodeURIComponent(assessment.id)}`, publicUrl).toString();
  for (const person of people) {
    await queueMail(em, {
      key: `evidence-requested:${request.id}:${person.id}`,
      kind: 'evidenceRequested',
      to: person.email,
      userId: person.id,
      language: person.language,
      content: renderMail(person.language, 'evidenceRequested', { name: person.name, institution: institution.name, code, message: request.message }, { actionUrl: link }),
    });
  }
}

/** The institution answers an evidence request; with none left open, the assessment is back with the reviewers. */
export async function provideEvidence(em: EntityManager, viewer: Viewer, input: ProvideEvidenceInput): Promise<EvidenceRequest> {
  const found = await em.findOne(EvidenceRequest, { id: input.requestId });
  if (!found) throw notFound('EvidenceRequest', input.requestId);
  const assessment = await assessmentFor(em, viewer, found.assessment.id, 'institution');
  const request = await em.findOneOrFail(EvidenceRequest, { id: input.requestId }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
  if (request.respondedAt) throw conflict('The evidence request is answered already', { reason: Refusal.EVIDENCE_ANSWERED });
  em.assign(request, {
    response: input.response.trim(),
    responseEvidence: (input.evidence ?? []).map((e) => ({ kind: e.kind, description: e.description.trim() })),
    respondedById: viewer.id,
    respondedAt: new Date(),
  });
  await em.flush();
  if (!(await em.count(EvidenceRequest, { assessment, respondedAt: null }))) assessment.status = AssessmentStatus.UNDER_REVIEW;
  auditAssessment(em, viewer.id, 'assessment.evidence_provided', assessment, { requestId: request.id });
  await em.flush();
  return request;
}

/** An area's result by the scheme with the reviewers' judgments where they gave one, the institution's elsewhere. */
export async function reviewedScore(em: EntityManager, area: AssessmentArea): Promise<AreaScore> {
  const schemeArea = await em.findOneOrFail(SchemeArea, { id: area.schemeArea.id });
  // One after the other: inside a decision's transaction `em` is one connection, one statement at a time.
  const indicators = await em.find(SchemeIndicator, { area: schemeArea });
  const answers = await em.find(Answer, { assessment: area.assessment.id, schemeIndicator: { area: schemeArea } });
  const reviews = await em.find(ReviewJudgment, { assessment: area.assessment.id, schemeIndicator: { area: schemeArea } });
  const judged = new Map([...answers, ...reviews].map((j) => [j.schemeIndicator.id, j.judgment]));
  return scoreArea(indicators.map((i) => ({ weight: i.weight, points: i.points, judgment: judged.get(i.id) ?? null })), schemeArea.passPercent);
}

/**
 * The committee decides an area directly: award or refuse, with a reason when it goes against the
 * scheme's result. No decision while evidence is outstanding, nor by a member of the assessed
 * institution, nor on an area the scheme has decided by a committee ballot.
 */
export async function decideArea(em: EntityManager, viewer: Viewer, input: DecideAreaInput): Promise<AssessmentArea> {
  const { assessment, area, schemeArea } = await areaInReview(em, input.assessmentAreaId);
  if (viewer.organizationId === assessment.organization.id) throw forbidden('A committee member does not decide on their own institution', Refusal.CONFLICT_OF_INTEREST);
  if (schemeArea.decidedBy !== AreaDecisionMode.DIRECT) throw conflict('The scheme has this area decided by a ballot of the committee', { reason: Refusal.AREA_DECIDED_BY_BALLOT });
  const score = await reviewedScore(em, area);
  const reason = input.reason?.trim() ?? '';
  if (input.award !== score.awarded && !reason) throw badInput('reason', 'A decision against the scheme’s result needs a reason', Refusal.CHANGE_REASON_REQUIRED);
  const decided = await recordDecision(em, { assessmentAreaId: area.id, award: input.award, reason: reason || null, actorId: viewer.id, ballotId: null, decidedAt: new Date() });
  if (!decided) throw conflict('The area is decided already', { reason: Refusal.AREA_DECIDED });
  return decided;
}

/**
 * An assessed area ready for the committee, its assessment locked: submitted, not decided, no
 * evidence outstanding (CONFLICT otherwise), with the scheme's area that says how it is decided.
 */
export async function areaInReview(em: EntityManager, assessmentAreaId: string) {
  const found = await em.findOne(AssessmentArea, { id: assessmentAreaId });
  if (!found) throw notFound('AssessmentArea', assessmentAreaId);
  const assessment = await em.findOneOrFail(Assessment, { id: found.assessment.id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
  if (assessment.status === AssessmentStatus.EVIDENCE_REQUESTED) throw conflict('Evidence requested is not answered yet', { reason: Refusal.EVIDENCE_PENDING });
  requireInReview(assessment);
  const area = await em.findOneOrFail(AssessmentArea, { id: found.id }, { refresh: true });
  if (area.decision) throw conflict('The area is decided already', { reason: Refusal.AREA_DECIDED });
  return { assessment, area, schemeArea: await em.findOneOrFail(SchemeArea, { id: area.schemeArea.id }) };
}

export interface AreaDecision {
  assessmentAreaId: string;
  award: boolean;
  reason: string | null;
  /** Null when the clock closed the committee ballot that decided it. */
  actorId: string | null;
  /** The committee ballot that decided it; null for a direct decision. */
  ballotId: string | null;
  decidedAt: Date;
}

/**
 * Records the committee's decision on an area, however it was taken (directly, or by the close of a
 * committee ballot, by the clock or a facilitator): awarding issues the seal, and the assessment is
 * decided once every area is. Refuses an area already decided by returning null and changing nothing,
 * so a second delivery of a close changes nothing.
 */
export async function recordDecision(em: EntityManager, decision: AreaDecision): Promise<AssessmentArea | null> {
  const found = await em.findOneOrFail(AssessmentArea, { id: decision.assessmentAreaId });
  const assessment = await em.findOneOrFail(Assessment, { id: found.assessment.id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
  const area = await em.findOneOrFail(AssessmentArea, { id: found.id }, { refresh: true });
  if (area.decision) return null;
  const score = await reviewedScore(em, area);
  em.assign(area, { decision: decision.award ? 'AWARD' : 'REFUSE', decisionReason: decision.reason, decidedById: decision.actorId, decidedByBallotId: decision.ballotId, decidedAt: decision.decidedAt });
  audit(em, {
    actorId: decision.actorId,
    action: 'assessment.decided',
    subjectType: 'AssessmentArea',
    subjectId: area.id,
    scopeId: assessment.organization.id,
    data: { award: decision.award, schemeResult: score.awarded, reason: decision.reason ?? '', ballotId: decision.ballotId },
  });
  if (decision.award) await awardSeal(em, decision.actorId, assessment, area);
  await em.flush();
  if (!(await em.count(AssessmentArea, { assessment, decision: null }))) assessment.status = AssessmentStatus.DECIDED;
  await em.flush();
  return area;
}
