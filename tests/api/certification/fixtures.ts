import { randomBytes } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Viewer } from '../../../api/src/auth/viewer.js';
import { AssessmentArea, AssessmentKind, Judgment, Reviewer, type Assessment } from '../../../api/src/certification/assessment.entity.js';
import { openAssessment, saveAnswer, submitAssessment } from '../../../api/src/certification/assessment.service.js';
import type { CreateSchemeInput } from '../../../api/src/certification/certification.inputs.js';
import { decideArea, requestEvidence } from '../../../api/src/certification/review.service.js';
import { addEvidenceFile, uploadLimits } from '../../../api/src/certification/evidence.service.js';
import { fileStore } from '../../../api/src/storage/file-store.js';
import { AreaDecisionMode, Comparator, IndicatorWeight, SchemeIndicator, type Scheme } from '../../../api/src/certification/scheme.entity.js';
import { createScheme } from '../../../api/src/certification/scheme.service.js';
import { Seal } from '../../../api/src/certification/seal.entity.js';
import { Organization } from '../../../api/src/organizations/organization.entity.js';
import { releaseFramework } from '../../../api/src/releases/release.service.js';
import { User } from '../../../api/src/users/user.entity.js';
import { demo, type TestApi } from '../../support/api.js';
import { createFramework } from '../rounds/fixtures.js';

/** The institution's person (Crecer Juntas, an MFI in Peru) and the accredited body's (Calificadora Social Andina). */
export const INSTITUTION = demo.stakeholder;
export const REVIEWER = demo.stakeholderEn;

/**
 * Per area: A?-01 essential; A?-02 scored 4 points; A?-03 scored 4 points, quantitative (≥ 45);
 * A?-04 scored 2 points. The pass mark is 80 % of the applicable scored points.
 */
export function schemeInput(releaseId: string, areas = ['A0', 'A1']): CreateSchemeInput {
  return {
    releaseId,
    validityMonths: 48,
    surveillanceMonths: 24,
    areas: areas.map((code) => ({
      code,
      passPercent: 80,
      indicators: [
        { code: `${code}-01`, weight: IndicatorWeight.ESSENTIAL, points: 0 },
        { code: `${code}-02`, weight: IndicatorWeight.SCORED, points: 4 },
        { code: `${code}-03`, weight: IndicatorWeight.SCORED, points: 4, comparator: Comparator.GTE, threshold: 45 },
        { code: `${code}-04`, weight: IndicatorWeight.SCORED, points: 2 },
      ],
    })),
  };
}

export async function viewerOf(em: EntityManager, email: string): Promise<Viewer> {
  return new Viewer(await em.findOneOrFail(User, { email }, { populate: ['organization'] }), '');
}

/** A fresh framework of two areas × four indicators, released final, with the certification scheme above; the reviewer's body accredited. */
export async function finalRelease(api: TestApi): Promise<string> {
  const slug = `cert-${randomBytes(4).toString('hex')}`;
  const fw = await createFramework(api.db.orm, { slug, areas: 2, perArea: 4 });
  const em = api.db.orm.em.fork();
  const facilitator = await em.findOneOrFail(User, { email: demo.facilitator });
  const release = await em.transactional((tx) => releaseFramework(tx, facilitator.id, { frameworkId: fw.id, number: '2026.1', final: true }));
  return release.id;
}

/** The scheme above on a fresh final release; the areas in `byBallot` are decided by a ballot of the committee, the others directly. */
export async function certificationScheme(api: TestApi, byBallot: string[] = []): Promise<Scheme> {
  const releaseId = await finalRelease(api);
  const em = api.db.orm.em.fork();
  const facilitator = await em.findOneOrFail(User, { email: demo.facilitator });
  const reviewer = await em.findOneOrFail(User, { email: REVIEWER });
  await em.nativeUpdate(Organization, { id: reviewer.organization!.id }, { accredited: true });
  const input = schemeInput(releaseId);
  for (const area of input.areas) if (byBallot.includes(area.code)) area.decidedBy = AreaDecisionMode.COMMITTEE_BALLOT;
  return em.transactional((tx) => createScheme(tx, facilitator.id, input));
}

const schemes = new WeakMap<TestApi, Map<string, Promise<Scheme>>>();
/** One scheme per test API (and areas decided by ballot), made on first use: the authorization rows' assessments all use it. */
export function sharedScheme(api: TestApi, byBallot: string[] = []): Promise<Scheme> {
  const mine = schemes.get(api) ?? new Map<string, Promise<Scheme>>();
  schemes.set(api, mine);
  const key = byBallot.join(',');
  if (!mine.has(key)) mine.set(key, certificationScheme(api, byBallot));
  return mine.get(key)!;
}

/**
 * The institution's assessment of area A0 (or `areas`), taken to `stage` (submitted by default),
 * answered as `judgments` says: MET by default, 50 % for the quantitative indicator.
 */
export async function assessment(
  api: TestApi,
  scheme: Scheme,
  opts: { stage?: 'opened' | 'answered' | 'submitted'; areas?: string[]; judgments?: Record<string, Judgment | number>; email?: string } = {},
): Promise<Assessment> {
  const em = api.db.orm.em.fork();
  const viewer = await viewerOf(em, opts.email ?? INSTITUTION);
  const areas = opts.areas ?? ['A0'];
  const opened = await em.transactional((tx) => openAssessment(tx, viewer, { schemeId: scheme.id, areas, kind: AssessmentKind.SELF }));
  if (opts.stage === 'opened') return opened;
  const indicators = await em.find(SchemeIndicator, { area: { scheme: scheme.id, code: { $in: areas } } });
  for (const i of indicators) {
    const given = opts.judgments?.[i.code];
    const answer = i.comparator
      ? given === Judgment.NOT_APPLICABLE ? { judgment: Judgment.NOT_APPLICABLE } : { reportedValue: typeof given === 'number' ? given : 50 }
      : { judgment: (given as Judgment | undefined) ?? Judgment.MET };
    await em.fork().transactional((tx) => saveAnswer(tx, viewer, { assessmentId: opened.id, schemeIndicatorId: i.id, expectedRevision: 0, ...answer }));
  }
  if (opts.stage === 'answered') return opened;
  return em.fork().transactional((tx) => submitAssessment(tx, viewer, opened.id));
}

/** Makes `email` an assigned reviewer straight in the database (the accreditation check is tested through the API). */
export async function asReviewer(api: TestApi, assessmentId: string, email: string) {
  const em = api.db.orm.em.fork();
  const user = await em.findOneOrFail(User, { email });
  em.create(Reviewer, { assessment: assessmentId, user, assignedById: user.id });
  await em.flush();
}

/** A submitted assessment with an open evidence request on A0-02; returns the request's id. */
export async function evidenceRequest(api: TestApi, scheme: Scheme): Promise<string> {
  const a = await assessment(api, scheme);
  await asReviewer(api, a.id, REVIEWER);
  const em = api.db.orm.em.fork();
  const indicator = await em.findOneOrFail(SchemeIndicator, { area: { scheme: scheme.id }, code: 'A0-02' });
  const request = await em.transactional(async (tx) => requestEvidence(tx, await viewerOf(tx, REVIEWER), { assessmentId: a.id, schemeIndicatorId: indicator.id, message: 'El acta del directorio que aprueba la política.' }, api.app.config.PUBLIC_URL));
  return request.id;
}

/** A seal awarded in A0 by the admin (who may act as the committee). */
export async function awardedSeal(api: TestApi, scheme: Scheme): Promise<{ sealId: string; assessmentAreaId: string }> {
  const a = await assessment(api, scheme);
  const em = api.db.orm.em.fork();
  const area = await em.transactional(async (tx) => {
    const found = await tx.findOneOrFail(AssessmentArea, { assessment: a.id });
    return decideArea(tx, await viewerOf(tx, demo.admin), { assessmentAreaId: found.id, award: true });
  });
  const seal = await em.fork().findOneOrFail(Seal, { assessmentArea: area.id });
  return { sealId: seal.id, assessmentAreaId: area.id };
}

/** An evidence file on A0-02 of a fresh assessment in progress, added through the service with the test API's file store. */
export async function evidenceFile(api: TestApi, scheme: Scheme): Promise<string> {
  const a = await assessment(api, scheme, { stage: 'opened' });
  const em = api.db.orm.em.fork();
  const indicator = await em.findOneOrFail(SchemeIndicator, { area: { scheme: scheme.id }, code: 'A0-02' });
  const pdf = Buffer.from('%PDF-1.4\n%%EOF\n');
  const file = await em.transactional(async (tx) =>
    addEvidenceFile(tx, fileStore(api.app.config), await viewerOf(tx, INSTITUTION), { assessmentId: a.id, schemeIndicatorId: indicator.id, fileName: 'politica.pdf' }, pdf, uploadLimits(api.app.config)),
  );
  return file.id;
}
