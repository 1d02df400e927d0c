import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Viewer } from '../auth/viewer.js';
import { conflict, forbidden, notFound, Refusal } from '../errors.js';
import { Role } from '../users/user.entity.js';
import { Assessment, AssessmentStatus, Reviewer } from './assessment.entity.js';

/**
 * Who may see an assessment (its answers and evidence are confidential): the institution's own
 * people, its assigned reviewers, the certification committee and facilitators; nobody else.
 */
export interface AssessmentParty {
  institution: boolean;
  reviewer: boolean;
  overseer: boolean;
}

export async function partyOf(em: EntityManager, viewer: Viewer | null, assessment: Assessment): Promise<AssessmentParty> {
  if (!viewer) return { institution: false, reviewer: false, overseer: false };
  return {
    institution: viewer.organizationId === assessment.organization.id,
    reviewer: (await em.count(Reviewer, { assessment, user: viewer.id })) > 0,
    overseer: viewer.has(Role.FACILITATOR) || viewer.has(Role.CERTIFICATION_COMMITTEE),
  };
}

export const canRead = (p: AssessmentParty) => p.institution || p.reviewer || p.overseer;

/** The assessment if the viewer may read it; NOT_FOUND otherwise, so its existence does not leak. */
export async function readableAssessment(em: EntityManager, viewer: Viewer | null, id: string): Promise<Assessment> {
  const assessment = await em.findOne(Assessment, { id });
  if (!assessment || !canRead(await partyOf(em, viewer, assessment))) throw notFound('Assessment', id);
  return assessment;
}

/**
 * The assessment locked for a change by `role` (its institution's people or an assigned reviewer):
 * one change at a time per assessment, so a revision check and a submission cannot interleave.
 */
export async function assessmentFor(em: EntityManager, viewer: Viewer, id: string, role: 'institution' | 'reviewer'): Promise<Assessment> {
  const assessment = await em.findOne(Assessment, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
  if (!assessment) throw notFound('Assessment', id);
  if (!(await partyOf(em, viewer, assessment))[role]) {
    throw forbidden(role === 'institution' ? 'Only the assessed institution’s people may do this' : 'Only an assigned reviewer may do this', Refusal.NOT_ASSESSMENT_PARTY);
  }
  return assessment;
}

/** Refuses a review step unless the assessment is submitted and not yet decided. */
export function requireInReview(assessment: Assessment): void {
  if (assessment.status !== AssessmentStatus.UNDER_REVIEW && assessment.status !== AssessmentStatus.EVIDENCE_REQUESTED) {
    throw conflict('The assessment is not under review', { reason: Refusal.ASSESSMENT_NOT_IN_REVIEW });
  }
}
