import { error, fail, redirect } from '@sveltejs/kit';
import { requireViewer } from '$lib/auth.server';
import { confirmAndReturn, takeConfirmation } from '$lib/confirmation.server';
import { answerInput, draftOfForm, valueInvalid } from '$lib/components/certification/answer-form';
import { anchorOf } from '$lib/components/certification/assessment';
import { formFailure } from '$lib/forms.server';
import { flagIndicator } from '$lib/certification-flags.server';
import { addEvidenceFile } from '$lib/certification-uploads.server';
import { CurrentAnswersDocument, RemoveEvidenceFileDocument, SaveAnswerDocument } from '$lib/graphql/generated';
import { problemOf } from '$lib/graphql/problems';
import { idempotencyKeyOf } from '$lib/offline/idempotency.server';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const { assessment } = await event.parent();
  const area = assessment.areas.find((a) => a.schemeArea.code === event.params.code);
  if (!area) error(404, 'NOT_FOUND');
  // Once submitted, the answers are frozen: the assessment's page shows them read only.
  if (assessment.status !== 'IN_PROGRESS') redirect(303, `/certification/assessments/${assessment.id}#area-${area.id}-heading`);
  return { areaId: area.id, confirmation: takeConfirmation(event) };
};

export const actions: Actions = {
  /** Saves one answer over the revision the form was shown with, and returns to that indicator. */
  save: async (event) => {
    requireViewer(event);
    const data = await event.request.formData();
    const indicatorId = String(data.get('schemeIndicatorId') ?? '');
    const code = String(data.get('code') ?? '');
    const expectedRevision = Number(data.get('revision') ?? 0) || 0;
    const mine = draftOfForm(data);
    const failed = (status: number, body: { message: string; fields?: Record<string, string>; theirs?: unknown }) =>
      fail(status, { form: 'answer', indicatorId, mine, fields: {}, values: {}, ...body });
    if (valueInvalid(mine)) return failed(400, { message: 'errors.BAD_USER_INPUT', fields: { reportedValue: 'certification.answer.valueInvalid' } });
    const result = await event.locals.api
      .mutation(SaveAnswerDocument, { input: { assessmentId: event.params.id, schemeIndicatorId: indicatorId, expectedRevision, idempotencyKey: idempotencyKeyOf(data), ...answerInput(mine) } })
      .toPromise();
    const problem = problemOf(result.error);
    if (problem?.reason === 'STALE_ANSWER') {
      // Saved elsewhere since this form was shown: show both, nothing of either is lost.
      const current = await event.locals.api.query(CurrentAnswersDocument, { id: event.params.id }).toPromise();
      const theirs = current.data?.certificationAssessment.answers.find((a) => a.schemeIndicator.id === indicatorId) ?? null;
      return failed(409, { message: 'certification.answer.stale', theirs });
    }
    if (result.error || !result.data) {
      const failure = formFailure(result.error, { judgment: '', reportedValue: '', notes: '' }, { form: 'answer' });
      return fail(failure.status, { ...failure.data, indicatorId, mine });
    }
    confirmAndReturn(event, { form: 'answer', code }, anchorOf(code));
  },

  /** Adds a file to an indicator's evidence (a plain multipart form: the bytes go on to the API from here). */
  upload: async (event) => {
    requireViewer(event);
    const data = await event.request.formData();
    const indicatorId = String(data.get('schemeIndicatorId') ?? '');
    const code = String(data.get('code') ?? '');
    const refused = await addEvidenceFile(event, data, { assessmentId: event.params.id, schemeIndicatorId: indicatorId });
    if (refused) return fail(refused.status, { form: 'upload', indicatorId, message: refused.message, fields: { file: refused.message }, values: { note: String(data.get('note') ?? '') } });
    confirmAndReturn(event, { form: 'upload', code }, anchorOf(code));
  },

  removeFile: async (event) => {
    requireViewer(event);
    const data = await event.request.formData();
    const code = String(data.get('code') ?? '');
    const result = await event.locals.api.mutation(RemoveEvidenceFileDocument, { id: String(data.get('fileId') ?? '') }).toPromise();
    if (result.error) {
      const failure = formFailure(result.error, {}, { form: 'upload' });
      return fail(failure.status, { ...failure.data, indicatorId: String(data.get('schemeIndicatorId') ?? '') });
    }
    confirmAndReturn(event, { form: 'removeFile', code }, anchorOf(code));
  },

  flag: flagIndicator,
};
