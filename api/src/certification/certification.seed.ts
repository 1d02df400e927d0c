import { Viewer } from '../auth/viewer.js';
import type { User } from '../users/user.entity.js';
import { findRelease } from '../releases/release.service.js';
import { readSeed, readSeedFile, type SeedStep } from '../seed/seed.service.js';
import type { FileStore } from '../storage/file-store.js';
import { AssessmentArea, type AssessmentKind, type EvidenceItem, type Judgment } from './assessment.entity.js';
import { openAssessment, saveAnswer, submitAssessment } from './assessment.service.js';
import { addEvidenceFile } from './evidence.service.js';
import type { PilotFlagKind } from './pilot-flag.entity.js';
import { flagIndicator } from './pilot-flag.service.js';
import type { CreateSchemeInput } from './certification.inputs.js';
import { assignReviewer, decideArea, recordReviewVisit, requestEvidence, reviewedScore } from './review.service.js';
import { SchemeIndicator } from './scheme.entity.js';
import { createScheme } from './scheme.service.js';

/** An evidence file: `seeds/demo/files/<file>`, uploaded as the institution would. */
interface FileSeed { file: string; note?: string }
interface AnswerSeed { judgment?: Judgment; value?: number; notes?: string; evidence?: EvidenceItem[]; files?: FileSeed[] }
/** A pilot flag raised by the institution's person or the reviewer, before the assessment is decided. */
interface FlagSeed { by: 'institution' | 'reviewer'; indicator: string; kind: PilotFlagKind; note: string }
interface AssessmentSeed {
  institution: string;
  kind: AssessmentKind;
  areas: string[];
  answers: Record<string, AnswerSeed>;
  submit?: boolean;
  reviewer?: string;
  deskReviewDaysAgo?: number;
  siteVisitDaysAgo?: number;
  evidenceRequest?: { indicator: string; message: string };
  flags?: FlagSeed[];
  /** A committee member (the demo admin acts as one) who decides every area as the scheme's result says. */
  decidedBy?: string;
}
interface CertificationSeed {
  accredited: string[];
  scheme: Omit<CreateSchemeInput, 'releaseId'> & { framework: string; release: string };
  assessments: AssessmentSeed[];
}

/** The demo's files are PDFs, which the archive limits (for spreadsheets) never reach. */
const DEMO_FILE_LIMITS = { maxUnpackedBytes: 50 * 1024 * 1024, maxRatio: 100 };

const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);

/**
 * The certification pilot: a scheme on the demo's final release (the USSPM 2026.1: the SPWG's release
 * is still a working draft), and three institutions at three stages, each step through the services
 * the pages use: one self-assessment in progress, one under review with evidence requested, and one
 * decided, awarded two areas of three.
 */
export const certificationStep = (files: FileStore): SeedStep => async (em, state) => {
  const seed = readSeed<CertificationSeed>('certification.json');
  const person = (email: string): User => {
    const user = state.users.get(email);
    if (!user) throw new Error(`certification.json: unknown person ${email}`);
    return user;
  };
  const viewer = (email: string) => new Viewer(person(email), '');
  for (const key of seed.accredited) {
    const organization = state.organizations.get(key);
    if (!organization) throw new Error(`certification.json: unknown organization ${key}`);
    organization.accredited = true;
  }
  const facilitator = person('facilitadora@consulta.demo');
  const { framework, release: number, ...rules } = seed.scheme;
  const release = await findRelease(em, framework, number);
  if (!release) throw new Error(`certification.json: no release ${framework} ${number}`);
  const scheme = await createScheme(em, facilitator.id, { ...rules, releaseId: release.id });
  const indicators = new Map((await em.find(SchemeIndicator, { area: { scheme } })).map((i) => [i.code, i]));
  const indicator = (code: string) => {
    const found = indicators.get(code);
    if (!found) throw new Error(`certification.json: ${code} is not in the scheme`);
    return found;
  };

  for (const a of seed.assessments) {
    const institution = viewer(a.institution);
    const assessment = await openAssessment(em, institution, { schemeId: scheme.id, areas: a.areas, kind: a.kind });
    for (const [code, answer] of Object.entries(a.answers)) {
      await saveAnswer(em, institution, { assessmentId: assessment.id, schemeIndicatorId: indicator(code).id, judgment: answer.judgment, reportedValue: answer.value, notes: answer.notes, evidence: answer.evidence, expectedRevision: 0 });
      for (const f of answer.files ?? []) {
        const bytes = readSeedFile(f.file);
        await addEvidenceFile(em, files, institution, { assessmentId: assessment.id, schemeIndicatorId: indicator(code).id, fileName: f.file, note: f.note }, bytes, { ...DEMO_FILE_LIMITS, maxBytes: bytes.length });
      }
    }
    if (!a.submit) continue;
    await submitAssessment(em, institution, assessment.id);
    if (a.reviewer) {
      await assignReviewer(em, facilitator.id, assessment.id, person(a.reviewer).id);
      const reviewer = viewer(a.reviewer);
      await recordReviewVisit(em, reviewer, { assessmentId: assessment.id, deskReviewOn: a.deskReviewDaysAgo ? daysAgo(a.deskReviewDaysAgo) : null, siteVisitOn: a.siteVisitDaysAgo ? daysAgo(a.siteVisitDaysAgo) : null });
      if (a.evidenceRequest) await requestEvidence(em, reviewer, { assessmentId: assessment.id, schemeIndicatorId: indicator(a.evidenceRequest.indicator).id, message: a.evidenceRequest.message }, null);
      for (const flag of a.flags ?? []) {
        await flagIndicator(em, flag.by === 'reviewer' ? reviewer : institution, { assessmentId: assessment.id, schemeIndicatorId: indicator(flag.indicator).id, kind: flag.kind, note: flag.note });
      }
    }
    if (a.decidedBy) {
      for (const area of await em.find(AssessmentArea, { assessment })) {
        await decideArea(em, viewer(a.decidedBy), { assessmentAreaId: area.id, award: (await reviewedScore(em, area)).awarded });
      }
    }
  }
  return { certificationAssessments: seed.assessments.length };
};
