import type { EntityManager } from '@mikro-orm/postgresql';
import type { AuditAction } from '../audit/audit-actions.js';
import { audit } from '../audit/audit.service.js';
import type { Viewer } from '../auth/viewer.js';
import { badInput, conflict, forbidden, notFound, Refusal } from '../errors.js';
import { Organization, OrganizationKind } from '../organizations/organization.entity.js';
import { Role } from '../users/user.entity.js';
import { assessmentFor } from './assessment-access.js';
import { Answer, Assessment, AssessmentArea, AssessmentStatus, Judgment, Reviewer, type EvidenceItem } from './assessment.entity.js';
import type { OpenAssessmentInput, SaveAnswerInput } from './certification.inputs.js';
import { judgeValue, scoreArea } from './rules.js';
import { Scheme, SchemeArea, SchemeIndicator } from './scheme.entity.js';

/** Records a step of an assessment in the audit log, scoped to the institution assessed. */
export function auditAssessment(em: EntityManager, actorId: string, action: AuditAction, assessment: Assessment, data: Record<string, unknown>) {
  audit(em, { actorId, action, subjectType: 'Assessment', subjectId: assessment.id, scopeId: assessment.organization.id, data });
}

/** Opens an assessment of the viewer's own institution (an MFI) for some of the scheme's areas. */
export async function openAssessment(em: EntityManager, viewer: Viewer, input: OpenAssessmentInput): Promise<Assessment> {
  const organization = viewer.organizationId ? await em.findOne(Organization, { id: viewer.organizationId }) : null;
  if (organization?.kind !== OrganizationKind.MFI) throw forbidden('Only people of a microfinance institution open an assessment', Refusal.NOT_AN_INSTITUTION);
  const scheme = await em.findOne(Scheme, { id: input.schemeId });
  if (!scheme) throw notFound('Scheme', input.schemeId);
  const codes = [...new Set(input.areas.map((c) => c.trim()))];
  const areas = await em.find(SchemeArea, { scheme, code: { $in: codes } }, { orderBy: { position: 'asc' } });
  if (areas.length !== codes.length) throw badInput('areas', 'Every area must be one of the scheme’s', Refusal.SCHEME_AREA_INVALID);
  const assessment = em.create(Assessment, { scheme, organization, kind: input.kind, openedById: viewer.id });
  for (const schemeArea of areas) em.create(AssessmentArea, { assessment, schemeArea });
  auditAssessment(em, viewer.id, 'assessment.opened', assessment, { schemeId: scheme.id, areas: codes, kind: input.kind });
  await em.flush();
  return assessment;
}

/** The scheme indicator, if it belongs to one of the assessment's areas. */
export async function indicatorOfAssessment(em: EntityManager, assessment: Assessment, schemeIndicatorId: string): Promise<SchemeIndicator> {
  const indicator = await em.findOne(SchemeIndicator, { id: schemeIndicatorId });
  const covered = indicator && (await em.count(AssessmentArea, { assessment, schemeArea: indicator.area.id }));
  if (!indicator || !covered) throw badInput('schemeIndicatorId', 'The indicator is not in the assessment’s areas', Refusal.SCHEME_INDICATOR_INVALID);
  return indicator;
}

/** The judgment an answer records: a quantitative indicator's comes from its value, unless it does not apply. */
function judgmentOf(indicator: SchemeIndicator, input: SaveAnswerInput): { judgment: Judgment; reportedValue: number | null } {
  if (indicator.comparator && indicator.threshold != null) {
    if (input.judgment === Judgment.NOT_APPLICABLE) return { judgment: Judgment.NOT_APPLICABLE, reportedValue: null };
    if (input.reportedValue == null || !Number.isFinite(input.reportedValue)) throw badInput('reportedValue', 'A quantitative indicator needs its reported value', Refusal.VALUE_REQUIRED);
    return { judgment: judgeValue(input.reportedValue, indicator.comparator, indicator.threshold), reportedValue: input.reportedValue };
  }
  if (!input.judgment) throw badInput('judgment', 'Give a judgment', Refusal.VALUE_REQUIRED);
  return { judgment: input.judgment, reportedValue: null };
}

const sameAnswer = (a: Answer, b: { judgment: Judgment; reportedValue: number | null; notes: string; evidence: EvidenceItem[] }) =>
  a.judgment === b.judgment && (a.reportedValue ?? null) === b.reportedValue && a.notes === b.notes && JSON.stringify(a.evidence) === JSON.stringify(b.evidence);

/**
 * Saves the institution's answer on one indicator over the revision the client read. A save over a
 * later revision is refused (CONFLICT STALE_ANSWER, with the current revision), so a save replayed
 * from a dropped connection never overwrites a newer one; the same save sent again is taken once.
 */
export async function saveAnswer(em: EntityManager, viewer: Viewer, input: SaveAnswerInput): Promise<Answer> {
  const assessment = await assessmentFor(em, viewer, input.assessmentId, 'institution');
  if (assessment.status !== AssessmentStatus.IN_PROGRESS) throw conflict('The assessment is submitted: its answers are frozen', { reason: Refusal.ASSESSMENT_SUBMITTED });
  const indicator = await indicatorOfAssessment(em, assessment, input.schemeIndicatorId);
  const next = {
    ...judgmentOf(indicator, input),
    notes: input.notes?.trim() ?? '',
    evidence: (input.evidence ?? []).map((e) => ({ kind: e.kind, description: e.description.trim() })),
  };
  const existing = await em.findOne(Answer, { assessment, schemeIndicator: indicator });
  const current = existing?.revision ?? 0;
  if (existing && sameAnswer(existing, next) && (input.expectedRevision === current || input.expectedRevision === current - 1)) return existing;
  if (input.expectedRevision !== current) {
    throw conflict(`The answer is at revision ${current}, not ${input.expectedRevision}`, { reason: Refusal.STALE_ANSWER, currentRevision: current });
  }
  const answer = existing ?? em.create(Answer, { assessment, schemeIndicator: indicator, ...next, revision: 0, answeredById: viewer.id });
  em.assign(answer, { ...next, revision: current + 1, answeredById: viewer.id, updatedAt: new Date() });
  await em.flush();
  return answer;
}

/**
 * Submits the assessment: every indicator of its areas must be answered. The answers freeze (the
 * database refuses any change to them from now on) and each area gets its self-score by the scheme.
 */
export async function submitAssessment(em: EntityManager, viewer: Viewer, id: string): Promise<Assessment> {
  const assessment = await assessmentFor(em, viewer, id, 'institution');
  if (assessment.status !== AssessmentStatus.IN_PROGRESS) throw conflict('The assessment is submitted already', { reason: Refusal.ASSESSMENT_SUBMITTED });
  const areas = await em.find(AssessmentArea, { assessment }, { populate: ['schemeArea'] });
  const [indicators, answers] = await Promise.all([
    em.find(SchemeIndicator, { area: { $in: areas.map((a) => a.schemeArea.id) } }, { orderBy: { position: 'asc' } }),
    em.find(Answer, { assessment }),
  ]);
  const judgmentOfIndicator = new Map(answers.map((a) => [a.schemeIndicator.id, a.judgment]));
  const missing = indicators.filter((i) => !judgmentOfIndicator.has(i.id)).map((i) => i.code);
  if (missing.length) throw badInput('answers', `Not answered yet: ${missing.join(', ')}`, Refusal.ANSWERS_MISSING);
  const scores: Record<string, boolean> = {};
  for (const area of areas) {
    const own = indicators.filter((i) => i.area.id === area.schemeArea.id).map((i) => ({ weight: i.weight, points: i.points, judgment: judgmentOfIndicator.get(i.id) ?? null }));
    const score = scoreArea(own, area.schemeArea.getEntity().passPercent);
    em.assign(area, { selfEssentialsMet: score.essentialsMet, selfEarnedHalves: score.earnedHalves, selfApplicablePoints: score.applicablePoints, selfAwarded: score.awarded });
    scores[area.schemeArea.getEntity().code] = score.awarded;
  }
  em.assign(assessment, { status: AssessmentStatus.UNDER_REVIEW, submittedAt: new Date(), submittedById: viewer.id });
  auditAssessment(em, viewer.id, 'assessment.submitted', assessment, { answers: answers.length, selfAwarded: scores });
  await em.flush();
  return assessment;
}

/** The assessments the viewer may read: the committee and facilitators all, others their institution's and those they review. */
export async function visibleAssessments(em: EntityManager, viewer: Viewer): Promise<Assessment[]> {
  if (viewer.has(Role.FACILITATOR) || viewer.has(Role.CERTIFICATION_COMMITTEE)) return em.find(Assessment, {}, { orderBy: { openedAt: 'desc' } });
  const reviewing = await em.find(Reviewer, { user: viewer.id });
  const own = viewer.organizationId ? [{ organization: viewer.organizationId }] : [];
  return em.find(Assessment, { $or: [...own, { id: { $in: reviewing.map((r) => r.assessment.id) } }] }, { orderBy: { openedAt: 'desc' } });
}
