import { error } from '@sveltejs/kit';
import { requireViewer } from '$lib/auth.server';
import { confirmAndReturn, takeConfirmation } from '$lib/confirmation.server';
import { partyOf } from '$lib/components/certification/assessment';
import { fieldFailure, formFailure, formValues } from '$lib/forms.server';
import { AssignReviewerDocument, ChangeSealStatusDocument, DecideCertificationAreaDocument, ReviewerCandidatesDocument, type SealAction } from '$lib/graphql/generated';
import { loadFailed } from '$lib/graphql/load.server';
import type { Actions, PageServerLoad } from './$types';

const SEAL_ACTIONS: SealAction[] = ['SUSPEND', 'WITHDRAW', 'REINSTATE'];

/** The committee's and facilitators' page: facilitators assign reviewers, the committee decides areas and changes seals. */
export const load: PageServerLoad = async (event) => {
  const { assessment, viewer } = await event.parent();
  const party = partyOf(viewer, assessment);
  if (!party.facilitator && !party.committee) error(403, 'FORBIDDEN');
  let candidates: { id: string; name: string; organization: { name: string; accredited: boolean } | null }[] = [];
  if (party.facilitator) {
    const result = await event.locals.api.query(ReviewerCandidatesDocument, {}).toPromise();
    if (!result.data) loadFailed(result.error);
    candidates = result.data.users.filter((u) => u.organization).sort((x, y) => x.name.localeCompare(y.name));
  }
  return { candidates, confirmation: takeConfirmation(event) };
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
