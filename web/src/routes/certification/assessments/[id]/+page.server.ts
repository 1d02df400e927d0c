import { requireViewer } from '$lib/auth.server';
import { confirmAndReturn, takeConfirmation } from '$lib/confirmation.server';
import { addEvidenceFile, uploadMessage, uploadToApi } from '$lib/certification-uploads.server';
import { draftOfForm } from '$lib/components/certification/answer-form';
import { fail } from '@sveltejs/kit';
import { fieldFailure, formFailure } from '$lib/forms.server';
import { ProvideEvidenceDocument, SubmitAssessmentDocument } from '$lib/graphql/generated';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => ({ confirmation: takeConfirmation(event) });

export const actions: Actions = {
  /** Submits with a confirmation: the box says the answers freeze; without it ticked nothing is sent. */
  submit: async (event) => {
    requireViewer(event);
    const data = await event.request.formData();
    if (data.get('confirm') !== 'on') return fieldFailure('submit', {}, { confirm: 'certification.submit.confirmRequired' });
    const result = await event.locals.api.mutation(SubmitAssessmentDocument, { id: event.params.id }).toPromise();
    if (result.error || !result.data) return formFailure(result.error, {}, { form: 'submit' });
    confirmAndReturn(event, { form: 'submit' });
  },

  /** The institution answers a reviewer's request for more evidence, with further lines of the control list and a file. */
  respond: async (event) => {
    requireViewer(event);
    const data = await event.request.formData();
    const requestId = String(data.get('requestId') ?? '');
    const values = { response: String(data.get('response') ?? ''), requestId };
    if (!values.response.trim()) return fieldFailure('respond', values, { response: 'certification.respond.required' });
    const { evidence } = draftOfForm(data);
    // A file given with the response goes first: refused, nothing of the response is sent either.
    const file = data.get('file');
    if (file instanceof File && file.size > 0) {
      const refused = await addEvidenceFile(event, data, { assessmentId: event.params.id, schemeIndicatorId: String(data.get('schemeIndicatorId') ?? ''), evidenceRequestId: requestId });
      if (refused) return fail(refused.status, { form: 'respond', message: refused.message, fields: { file: refused.message }, values });
    }
    const result = await event.locals.api.mutation(ProvideEvidenceDocument, { input: { requestId, response: values.response, evidence } }).toPromise();
    if (result.error || !result.data) return formFailure(result.error, values, { form: 'respond' });
    confirmAndReturn(event, { form: 'respond' }, `request-${requestId}`);
  },

  /** The filled XLSX questionnaire back: all its answers taken, or every refused cell listed and nothing taken. */
  questionnaire: async (event) => {
    requireViewer(event);
    const data = await event.request.formData();
    const file = data.get('file');
    if (!(file instanceof File) || file.size === 0) return fieldFailure('questionnaire', {}, { file: 'certificationFiles.error.EVIDENCE_EMPTY' });
    const result = await uploadToApi(event, `/certification/assessments/${encodeURIComponent(event.params.id)}/questionnaire`, file);
    if (!result.ok) {
      const message = uploadMessage(result);
      return fail(result.status, { form: 'questionnaire', message, fields: result.problems ? {} : { file: message }, values: {}, problems: result.problems ?? [] });
    }
    confirmAndReturn(event, { form: 'questionnaire', saved: Number(result.body.saved ?? 0) }, 'questionnaire-heading');
  },
};
