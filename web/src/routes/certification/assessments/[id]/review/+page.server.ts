import { error } from '@sveltejs/kit';
import { requireViewer } from '$lib/auth.server';
import { flagIndicator } from '$lib/certification-flags.server';
import { confirmAndReturn, takeConfirmation } from '$lib/confirmation.server';
import { anchorOf, JUDGMENTS, partyOf } from '$lib/components/certification/assessment';
import { fieldFailure, formFailure, formValues } from '$lib/forms.server';
import { RecordReviewVisitDocument, RequestEvidenceDocument, ReviewJudgmentDocument, type Judgment } from '$lib/graphql/generated';
import type { Actions, PageServerLoad } from './$types';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The reviewer's page: only an assigned reviewer works here (the API refuses anyone else too). */
export const load: PageServerLoad = async (event) => {
  const { assessment, viewer } = await event.parent();
  if (!partyOf(viewer, assessment).reviewer) error(403, 'FORBIDDEN');
  return { confirmation: takeConfirmation(event) };
};

export const actions: Actions = {
  visit: async (event) => {
    requireViewer(event);
    const values = formValues(await event.request.formData(), 'deskReviewOn', 'siteVisitOn');
    const bad = Object.fromEntries(Object.entries(values).filter(([, v]) => v && !DAY.test(v)).map(([k]) => [k, 'certification.review.dayInvalid']));
    if (Object.keys(bad).length) return fieldFailure('visit', values, bad);
    const result = await event.locals.api
      .mutation(RecordReviewVisitDocument, { input: { assessmentId: event.params.id, deskReviewOn: values.deskReviewOn || null, siteVisitOn: values.siteVisitOn || null } })
      .toPromise();
    if (result.error || !result.data) return formFailure(result.error, values, { form: 'visit' });
    confirmAndReturn(event, { form: 'visit' }, 'visit-heading');
  },

  /** Confirms the institution's judgment, or changes it with a reason. */
  judge: async (event) => {
    requireViewer(event);
    const data = await event.request.formData();
    const values = formValues(data, 'schemeIndicatorId', 'code', 'judgment', 'reason');
    if (!(JUDGMENTS as string[]).includes(values.judgment)) return fieldFailure('judge', values, { judgment: 'certification.review.judgmentRequired' });
    const result = await event.locals.api
      .mutation(ReviewJudgmentDocument, { input: { assessmentId: event.params.id, schemeIndicatorId: values.schemeIndicatorId, judgment: values.judgment as Judgment, reason: values.reason || null } })
      .toPromise();
    if (result.error || !result.data) return formFailure(result.error, values, { form: 'judge' });
    confirmAndReturn(event, { form: 'judge', code: values.code }, anchorOf(values.code));
  },

  /** Asks the institution for more evidence on one indicator. */
  request: async (event) => {
    requireViewer(event);
    const values = formValues(await event.request.formData(), 'schemeIndicatorId', 'code', 'message');
    if (!values.message.trim()) return fieldFailure('request', values, { message: 'certification.review.messageRequired' });
    const result = await event.locals.api
      .mutation(RequestEvidenceDocument, { input: { assessmentId: event.params.id, schemeIndicatorId: values.schemeIndicatorId, message: values.message } })
      .toPromise();
    if (result.error || !result.data) return formFailure(result.error, values, { form: 'request' });
    confirmAndReturn(event, { form: 'request', code: values.code }, anchorOf(values.code));
  },

  flag: flagIndicator,
};
