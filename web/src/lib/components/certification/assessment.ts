import type { AnswerFieldsFragment, CertificationAssessmentQuery, EvidenceKind, Judgment } from '$lib/graphql/generated';
import { hasRole, type Viewer } from '$lib/viewer';

export type AssessmentView = NonNullable<CertificationAssessmentQuery['certificationAssessment']>;
export type AssessedArea = AssessmentView['areas'][number];
export type SchemeIndicatorView = AssessedArea['schemeArea']['indicators'][number];
export type AnswerView = AnswerFieldsFragment;

export const JUDGMENTS: Judgment[] = ['MET', 'PARTIALLY_MET', 'NOT_MET', 'NOT_APPLICABLE'];
export const EVIDENCE_KINDS: EvidenceKind[] = ['DOCUMENT', 'DATA', 'INTERVIEW'];

/** What the viewer is to an assessment: the same three parties the API lets read it (assessment-access.ts). */
export interface Party {
  institution: boolean;
  reviewer: boolean;
  /** A facilitator (assigns reviewers). */
  facilitator: boolean;
  /** The certification committee (decides, changes seals). */
  committee: boolean;
}

export function partyOf(viewer: Viewer | null | undefined, assessment: { organization: { id: string }; reviewers: { id: string }[] }): Party {
  return {
    institution: !!viewer?.organization && viewer.organization.id === assessment.organization.id,
    reviewer: !!viewer && assessment.reviewers.some((r) => r.id === viewer.id),
    facilitator: hasRole(viewer, 'FACILITATOR'),
    committee: hasRole(viewer, 'CERTIFICATION_COMMITTEE'),
  };
}

/** One indicator of an assessed area with everything the pages show beside it. */
export interface IndicatorRow {
  indicator: SchemeIndicatorView;
  version: AssessmentView['scheme']['release']['indicators'][number]['version'] | null;
  answer: AnswerView | null;
  review: AssessmentView['reviewJudgments'][number] | null;
  requests: AssessmentView['evidenceRequests'];
  /** Its evidence files, those given with evidence requests included. */
  files: AssessmentView['evidenceFiles'];
  /** The pilot flags raised on it. */
  flags: AssessmentView['pilotFlags'];
  quantitative: boolean;
}

/** The rows of an area, in the scheme's order, joined with the release's texts, the answers, reviews and requests. */
export function rowsOf(assessment: AssessmentView, area: AssessedArea): IndicatorRow[] {
  const versions = new Map(assessment.scheme.release.indicators.map((i) => [i.code, i.version]));
  const answers = new Map(assessment.answers.map((a) => [a.schemeIndicator.id, a]));
  const reviews = new Map(assessment.reviewJudgments.map((r) => [r.schemeIndicator.id, r]));
  return area.schemeArea.indicators.map((indicator) => ({
    indicator,
    version: versions.get(indicator.code) ?? null,
    answer: answers.get(indicator.id) ?? null,
    review: reviews.get(indicator.id) ?? null,
    requests: assessment.evidenceRequests.filter((r) => r.schemeIndicator.id === indicator.id),
    files: assessment.evidenceFiles.filter((f) => f.schemeIndicator.id === indicator.id),
    flags: assessment.pilotFlags.filter((f) => f.schemeIndicator.id === indicator.id),
    quantitative: indicator.comparator != null && indicator.threshold != null,
  }));
}

export const anchorOf = (code: string) => `indicator-${code}`;
export const areaPath = (assessmentId: string, code: string) => `/certification/assessments/${assessmentId}/areas/${encodeURIComponent(code)}`;
