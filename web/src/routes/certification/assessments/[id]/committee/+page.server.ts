import { error } from '@sveltejs/kit';
import { requireViewer } from '$lib/auth.server';
import { confirmAndReturn, takeConfirmation } from '$lib/confirmation.server';
import { partyOf } from '$lib/components/certification/assessment';
import { pickerQuery, pickerSearchAction } from '$lib/directory.server';
import { fieldFailure, formFailure, formValues } from '$lib/forms.server';
import {
  AssignReviewerDocument,
  ChangeSealStatusDocument,
  CloseBallotDocument,
  CommitteeBallotsDocument,
  DecideCertificationAreaDocument,
  OpenCommitteeBallotDocument,
  ReviewerCandidatesDocument,
  type BallotSecrecy,
  type PassingRule,
  type SealAction,
} from '$lib/graphql/generated';
import { loadFailed } from '$lib/graphql/load.server';
import { instantFromLocal, localFromInstant } from '$lib/local-time';
import type { Actions, PageServerLoad } from './$types';

const SEAL_ACTIONS: SealAction[] = ['SUSPEND', 'WITHDRAW', 'REINSTATE'];
const WEEK = 7 * 86_400_000;

/** The committee's and facilitators' page: facilitators assign reviewers, the committee decides areas and changes seals. */
export const load: PageServerLoad = async (event) => {
  const { assessment, viewer } = await event.parent();
  const party = partyOf(viewer, assessment);
  if (!party.facilitator && !party.committee) error(403, 'FORBIDDEN');
  let candidates: { id: string; name: string; organization: { name: string; accredited: boolean } | null }[] = [];
  let candidatesFound = 0;
  if (party.facilitator) {
    // The first active people by name that the page's `reviewerq` search finds; a reviewer speaks for an organization.
    const result = await event.locals.api.query(ReviewerCandidatesDocument, { search: pickerQuery(event, 'reviewerq') }).toPromise();
    if (!result.data) loadFailed(result.error);
    candidates = result.data.people.nodes.filter((u) => u.organization);
    candidatesFound = result.data.people.totalCount;
  }
  const ballots = await event.locals.api.query(CommitteeBallotsDocument, { id: event.params.id }).toPromise();
  if (!ballots.data) loadFailed(ballots.error);
  const zone = event.locals.timeZone ?? 'UTC';
  return {
    candidates,
    candidatesFound,
    committeeAreas: ballots.data.certificationAssessment.areas,
    timeZone: zone,
    defaultClosesAt: localFromInstant(new Date(Date.now() + WEEK), zone),
    confirmation: takeConfirmation(event),
  };
};

export const actions: Actions = {
  assign: async (event) => {
    requireViewer(event);
    const values = formValues(await event.request.formData(), 'userId');
    if (!values.userId) return fieldFailure('assign', values, { userId: 'certification.committee.reviewerRequired' });
    const result = await event.locals.api.mutation(AssignReviewerDocument, { assessmentId: event.params.id, userId: values.userId }).toPromise();
    if (result.error || !result.data) return formFailure(result.error, values, { form: 'assign' });
    confirmAndReturn(event, { form: 'assign' }, 'reviewers-heading');
  },

  /** The reviewers' search without scripts: the assignment form comes back with the person chosen, and what the search found. */
  pickerSearch: pickerSearchAction('assign', 'reviewerq', ['userId']),

  /** Awards or refuses an area's seal; against the scheme's result only with a reason. */
  decide: async (event) => {
    requireViewer(event);
    const values = formValues(await event.request.formData(), 'assessmentAreaId', 'award', 'reason');
    if (values.award !== 'yes' && values.award !== 'no') return fieldFailure('decide', values, { award: 'certification.committee.decisionRequired' });
    const result = await event.locals.api
      .mutation(DecideCertificationAreaDocument, { input: { assessmentAreaId: values.assessmentAreaId, award: values.award === 'yes', reason: values.reason || null } })
      .toPromise();
    if (result.error || !result.data) return formFailure(result.error, values, { form: 'decide' });
    confirmAndReturn(event, { form: 'decide', area: values.assessmentAreaId }, `decide-${values.assessmentAreaId}`);
  },

  /** Opens the committee's ballot on an area the scheme has decided by ballot (facilitators); voting starts now. */
  openBallot: async (event) => {
    requireViewer(event);
    const values = formValues(await event.request.formData(), 'assessmentAreaId', 'closesAt', 'quorumPercent', 'rule', 'secrecy');
    const percent = Number(values.quorumPercent);
    const closesAt = instantFromLocal(values.closesAt, event.locals.timeZone ?? 'UTC');
    const fields: Record<string, string> = {};
    if (!closesAt) fields.closesAt = 'committeeBallot.closesAtInvalid';
    if (!values.quorumPercent || !Number.isInteger(percent) || percent < 0 || percent > 100) fields.quorumPercent = 'committeeBallot.quorumInvalid';
    if (!closesAt || Object.keys(fields).length) return fieldFailure('openBallot', values, fields);
    const input = {
      assessmentAreaId: values.assessmentAreaId,
      closesAt,
      quorum: { numerator: percent, denominator: 100 },
      rule: values.rule as PassingRule,
      secrecy: values.secrecy as BallotSecrecy,
    };
    const result = await event.locals.api.mutation(OpenCommitteeBallotDocument, { input }).toPromise();
    if (result.error || !result.data) return formFailure(result.error, values, { form: 'openBallot' });
    confirmAndReturn(event, { form: 'openBallot', area: values.assessmentAreaId }, `decide-${values.assessmentAreaId}`);
  },

  /** Closes the area's committee ballot now (facilitators): decided with the votes cast, as at its closing time. */
  closeBallot: async (event) => {
    requireViewer(event);
    const values = formValues(await event.request.formData(), 'assessmentAreaId', 'ballotId');
    const result = await event.locals.api.mutation(CloseBallotDocument, { id: values.ballotId }).toPromise();
    if (result.error || !result.data) return formFailure(result.error, values, { form: 'closeBallot' });
    confirmAndReturn(event, { form: 'closeBallot', area: values.assessmentAreaId }, `decide-${values.assessmentAreaId}`);
  },

  /** Suspends, withdraws or reinstates a seal, with its reason (audit-logged). */
  seal: async (event) => {
    requireViewer(event);
    const values = formValues(await event.request.formData(), 'sealId', 'action', 'reason');
    const fields: Record<string, string> = {};
    if (!(SEAL_ACTIONS as string[]).includes(values.action)) fields.action = 'certification.committee.actionRequired';
    if (!values.reason.trim()) fields.reason = 'certification.committee.reasonRequired';
    if (Object.keys(fields).length) return fieldFailure('seal', values, fields);
    const result = await event.locals.api
      .mutation(ChangeSealStatusDocument, { input: { sealId: values.sealId, action: values.action as SealAction, reason: values.reason } })
      .toPromise();
    if (result.error || !result.data) return formFailure(result.error, values, { form: 'seal' });
    confirmAndReturn(event, { form: 'seal', seal: values.sealId, action: values.action }, `seal-${values.sealId}`);
  },
};
