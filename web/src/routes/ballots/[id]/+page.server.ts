import { requireViewer } from '$lib/auth.server';
import { confirmAndReturn, takeConfirmation } from '$lib/confirmation.server';
import { formValues } from '$lib/forms.server';
import { BallotPageDocument, CastVoteDocument, type VoteChoice } from '$lib/graphql/generated';
import type { Actions, PageServerLoad } from './$types';
import { apiLanguage, loadFailed } from '$lib/graphql/load.server';
import { ballotFailure } from '../ballot.server';
import { idempotencyKeyOf } from '$lib/offline/idempotency.server';
import { liveSequenceBefore } from '$lib/live/sequence.server';

export const load: PageServerLoad = async (event) => {
  requireViewer(event);
  const language = apiLanguage(event);
  const liveSequence = await liveSequenceBefore(event, { ballot: event.params.id });
  const result = await event.locals.api.query(BallotPageDocument, { id: event.params.id, language, languages: [language] }).toPromise();
  if (!result.data) loadFailed(result.error);
  return { ballot: result.data.ballot, liveSequence, confirmation: takeConfirmation(event) };
};

export const actions: Actions = {
  /** Casts or changes the viewer's vote on one question; REJECT needs a reason (the API says so when missing). */
  vote: async (event) => {
    requireViewer(event);
    const data = await event.request.formData();
    const values = formValues(data, 'questionId', 'choice', 'reason');
    const input = { questionId: values.questionId, choice: values.choice as VoteChoice, reason: values.reason.trim() || null, idempotencyKey: idempotencyKeyOf(data) };
    const result = await event.locals.api.mutation(CastVoteDocument, { input }).toPromise();
    const form = `vote-${values.questionId}`;
    if (result.error || !result.data) return ballotFailure(result.error, values, { form });
    confirmAndReturn(event, { form: 'vote', questionId: values.questionId }, `vote-${values.questionId}`);
  },
};
