/**
 * The certification operations' rows of the authorization matrix (authorization/authorization-matrix.ts).
 * The `stakeholder` caller is a person of Crecer Juntas, the MFI whose assessments these rows make;
 * `member` is made the assigned reviewer of the assessments reviewers act on.
 */
import { AssessmentArea } from '../../../api/src/certification/assessment.entity.js';
import { SchemeIndicator } from '../../../api/src/certification/scheme.entity.js';
import { Role, User } from '../../../api/src/users/user.entity.js';
import { demo } from '../../support/api.js';
import type { Fixtures, OperationRow } from '../authorization/operation-row.js';
import { asReviewer, assessment, awardedSeal, evidenceFile, evidenceRequest, finalRelease, schemeInput, sharedScheme } from './fixtures.js';

const OUTSIDERS = { member: 'FORBIDDEN', facilitator: 'FORBIDDEN', admin: 'FORBIDDEN', otherOrganization: 'FORBIDDEN' } as const;
const REVIEWERS_ONLY = { stakeholder: 'FORBIDDEN', facilitator: 'FORBIDDEN', admin: 'FORBIDDEN', otherOrganization: 'FORBIDDEN' } as const;

const firstIndicator = async (fx: Fixtures) => fx.id(SchemeIndicator, { area: { scheme: (await sharedScheme(fx.api)).id }, code: 'A0-02' });

/** A submitted assessment with the `member` caller as its assigned reviewer. */
async function inReview(fx: Fixtures) {
  const a = await assessment(fx.api, await sharedScheme(fx.api));
  await asReviewer(fx.api, a.id, demo.member);
  return { assessmentId: a.id, schemeIndicatorId: await firstIndicator(fx) };
}

export const certificationQueries: Record<string, OperationRow> = {
  certificationSchemes: {
    minimum: 'signedIn',
    document: `query($frameworkSlug: String!) { certificationSchemes(frameworkSlug: $frameworkSlug) { id } }`,
    variables: () => ({ frameworkSlug: 'spwg-lac-certification' }),
  },
  certificationAssessments: { minimum: 'signedIn', rule: 'lists only what the viewer may read', document: `{ certificationAssessments { id } }` },
  certificationAssessment: {
    minimum: 'signedIn',
    rule: 'the institution’s people, its assigned reviewers, the committee and facilitators; NOT_FOUND for anyone else',
    cells: { member: 'NOT_FOUND', otherOrganization: 'NOT_FOUND' },
    document: `query($id: ID!) { certificationAssessment(id: $id) { id answers { judgment } } }`,
    variables: async (fx) => ({ id: (await assessment(fx.api, await sharedScheme(fx.api), { stage: 'opened' })).id }),
  },
  certificationRegistry: { minimum: 'public', document: `{ certificationRegistry { organization { name } seals { status } } }` },
  certificationEvidenceLimits: { minimum: 'signedIn', document: `{ certificationEvidenceLimits { maxBytes contentTypes } }` },
  certificationBenchmarks: {
    minimum: 'signedIn',
    rule: 'the committee and facilitators; people of an institution with a submitted assessment against the scheme (cells of five institutions or more); FORBIDDEN NOT_PARTICIPATING otherwise',
    cells: { member: 'FORBIDDEN', otherOrganization: 'FORBIDDEN' },
    document: `query($schemeId: ID!) { certificationBenchmarks(schemeId: $schemeId) { area suppressed } }`,
    variables: async (fx) => {
      const scheme = await sharedScheme(fx.api);
      await assessment(fx.api, scheme);
      return { schemeId: scheme.id };
    },
  },
  verifySeal: { minimum: 'public', document: `query($code: String!) { verifySeal(code: $code) { valid } }`, variables: () => ({ code: '00000-00000' }) },
};

export const certificationMutations: Record<string, OperationRow> = {
  createCertificationScheme: {
    minimum: Role.FACILITATOR,
    document: `mutation($input: CreateSchemeInput!) { createCertificationScheme(input: $input) { id } }`,
    variables: async (fx) => ({ input: schemeInput(await finalRelease(fx.api)) }),
  },
  openAssessment: {
    minimum: 'signedIn',
    rule: 'people of a microfinance institution, for their own (FORBIDDEN NOT_AN_INSTITUTION otherwise)',
    cells: OUTSIDERS,
    document: `mutation($input: OpenAssessmentInput!) { openAssessment(input: $input) { id } }`,
    variables: async (fx) => ({ input: { schemeId: (await sharedScheme(fx.api)).id, areas: ['A0'], kind: 'SELF' } }),
  },
  saveAnswer: {
    minimum: 'signedIn',
    rule: 'the institution’s people only',
    cells: OUTSIDERS,
    unaudited: 'saved as the institution types (autosave); opening and submitting the assessment are audited',
    document: `mutation($input: SaveAnswerInput!) { saveAnswer(input: $input) { id revision } }`,
    variables: async (fx) => ({
      input: { assessmentId: (await assessment(fx.api, await sharedScheme(fx.api), { stage: 'opened' })).id, schemeIndicatorId: await firstIndicator(fx), judgment: 'MET', expectedRevision: 0 },
    }),
  },
  submitAssessment: {
    minimum: 'signedIn',
    rule: 'the institution’s people only; every indicator answered (BAD_USER_INPUT ANSWERS_MISSING)',
    cells: OUTSIDERS,
    document: `mutation($id: ID!) { submitAssessment(id: $id) { id status } }`,
    variables: async (fx) => ({ id: (await assessment(fx.api, await sharedScheme(fx.api), { stage: 'answered' })).id }),
  },
  assignReviewer: {
    minimum: Role.FACILITATOR,
    rule: 'a person of an accredited body, never of the assessed institution (FORBIDDEN CONFLICT_OF_INTEREST)',
    document: `mutation($assessmentId: ID!, $userId: ID!) { assignReviewer(assessmentId: $assessmentId, userId: $userId) { id } }`,
    variables: async (fx) => ({ assessmentId: (await assessment(fx.api, await sharedScheme(fx.api))).id, userId: await fx.id(User, { email: demo.stakeholderEn }) }),
  },
  recordReviewVisit: {
    minimum: 'signedIn',
    rule: 'an assigned reviewer only',
    cells: REVIEWERS_ONLY,
    document: `mutation($input: ReviewVisitInput!) { recordReviewVisit(input: $input) { id deskReviewOn } }`,
    variables: async (fx) => ({ input: { assessmentId: (await inReview(fx)).assessmentId, deskReviewOn: '2026-11-20' } }),
  },
  reviewJudgment: {
    minimum: 'signedIn',
    rule: 'an assigned reviewer only; a change needs a reason',
    cells: REVIEWERS_ONLY,
    document: `mutation($input: ReviewJudgmentInput!) { reviewJudgment(input: $input) { judgment } }`,
    variables: async (fx) => ({ input: { ...(await inReview(fx)), judgment: 'MET' } }),
  },
  requestEvidence: {
    minimum: 'signedIn',
    rule: 'an assigned reviewer only',
    cells: REVIEWERS_ONLY,
    document: `mutation($input: RequestEvidenceInput!) { requestEvidence(input: $input) { id } }`,
    variables: async (fx) => ({ input: { ...(await inReview(fx)), message: 'La política de género aprobada.' } }),
  },
  provideEvidence: {
    minimum: 'signedIn',
    rule: 'the institution’s people only',
    cells: OUTSIDERS,
    document: `mutation($input: ProvideEvidenceInput!) { provideEvidence(input: $input) { id respondedAt } }`,
    variables: async (fx) => ({ input: { requestId: await evidenceRequest(fx.api, await sharedScheme(fx.api)), response: 'Adjuntamos el acta de marzo.' } }),
  },
  decideCertificationArea: {
    minimum: Role.CERTIFICATION_COMMITTEE,
    rule: 'never on one’s own institution (FORBIDDEN CONFLICT_OF_INTEREST)',
    document: `mutation($input: DecideAreaInput!) { decideCertificationArea(input: $input) { id awarded } }`,
    variables: async (fx) => {
      const a = await assessment(fx.api, await sharedScheme(fx.api));
      return { input: { assessmentAreaId: await fx.id(AssessmentArea, { assessment: a.id }), award: true } };
    },
  },
  openCommitteeBallot: {
    minimum: Role.FACILITATOR,
    rule: 'on an area the scheme has decided by a committee ballot; voters are the committee without the institution’s people and its reviewers',
    document: `mutation($input: OpenCommitteeBallotInput!) { openCommitteeBallot(input: $input) { id } }`,
    variables: async (fx) => {
      const a = await assessment(fx.api, await sharedScheme(fx.api, ['A0']));
      const closesAt = new Date(Date.now() + 3600_000).toISOString();
      return { input: { assessmentAreaId: await fx.id(AssessmentArea, { assessment: a.id }), closesAt, quorum: { numerator: 1, denominator: 2 }, rule: 'SIMPLE_MAJORITY', secrecy: 'SECRET_UNTIL_CLOSE' } };
    },
  },
  removeEvidenceFile: {
    minimum: 'signedIn',
    rule: 'the institution’s people only, while the assessment is in progress',
    cells: OUTSIDERS,
    document: `mutation($id: ID!) { removeEvidenceFile(id: $id) }`,
    variables: async (fx) => ({ id: await evidenceFile(fx.api, await sharedScheme(fx.api)) }),
  },
  flagIndicator: {
    minimum: 'signedIn',
    rule: 'the institution’s people and its assigned reviewers; NOT_FOUND for those who may not read the assessment, FORBIDDEN NOT_ASSESSMENT_PARTY for the committee and facilitators',
    cells: { member: 'NOT_FOUND', facilitator: 'FORBIDDEN', admin: 'FORBIDDEN', otherOrganization: 'NOT_FOUND' },
    document: `mutation($input: FlagIndicatorInput!) { flagIndicator(input: $input) { id } }`,
    variables: async (fx) => ({ input: { assessmentId: (await assessment(fx.api, await sharedScheme(fx.api), { stage: 'opened' })).id, schemeIndicatorId: await firstIndicator(fx), kind: 'UNCLEAR', note: 'No queda claro qué cuenta como política.' } }),
  },
  changeSealStatus: {
    minimum: Role.CERTIFICATION_COMMITTEE,
    document: `mutation($input: ChangeSealInput!) { changeSealStatus(input: $input) { id status } }`,
    variables: async (fx) => ({ input: { sealId: (await awardedSeal(fx.api, await sharedScheme(fx.api))).sealId, action: 'SUSPEND', reason: 'Revisión de una queja de clientes.' } }),
  },
};
