import { requireViewer } from '$lib/auth.server';
import { confirmAndReturn, takeConfirmation } from '$lib/confirmation.server';
import { RatePracticeDocument, RoundRatingsDocument, type RatingValue } from '$lib/graphql/generated';
import type { Actions, PageServerLoad } from './$types';
import { loadFailed } from '$lib/graphql/load.server';
import { consultationFailure } from '../../round.server';
import { idempotencyKeyOf, partKey } from '$lib/offline/idempotency.server';

export const load: PageServerLoad = async (event) => {
  requireViewer(event);
  const result = await event.locals.api.query(RoundRatingsDocument, { id: event.params.id }).toPromise();
  if (!result.data) loadFailed(result.error);
  return { round: result.data.round, confirmation: takeConfirmation(event) };
};

export const actions: Actions = {
  /** Saves every practice given a value (`value-<indicatorId>`, `comment-<indicatorId>`); one request per changed rating. */
  rate: async (event) => {
    requireViewer(event);
    const data = await event.request.formData();
    const current = await event.locals.api.query(RoundRatingsDocument, { id: event.params.id }).toPromise();
    if (!current.data) return consultationFailure(current.error, {}, { form: 'rate' });
    const key = idempotencyKeyOf(data);
    let saved = 0;
    for (const item of current.data.round.indicators) {
      const value = data.get(`value-${item.indicator.id}`);
      if (!value) continue;
      const comment = String(data.get(`comment-${item.indicator.id}`) ?? '').trim() || null;
      if (item.myRating?.value === value && (item.myRating.comment ?? null) === comment) continue;
      const input = { roundId: event.params.id, indicatorId: item.indicator.id, value: String(value) as RatingValue, comment, idempotencyKey: partKey(key, item.indicator.id) };
      const result = await event.locals.api.mutation(RatePracticeDocument, { input }).toPromise();
      if (result.error || !result.data) return consultationFailure(result.error, {}, { form: 'rate' });
      saved++;
    }
    confirmAndReturn(event, { form: 'rate', saved });
  },
};
