import { requireRole } from '$lib/auth.server';
import { confirmAndReturn, takeConfirmation } from '$lib/confirmation.server';
import { ExportPageDocument, PublishRoundSummaryDocument, SetRoundPublicationDocument, type PublicAuthors } from '$lib/graphql/generated';
import type { Actions, PageServerLoad } from './$types';
import { loadFailed } from '$lib/graphql/load.server';
import { consultationFailure } from '../../round.server';

export const load: PageServerLoad = async (event) => {
  requireRole(event, 'FACILITATOR');
  const confirmation = takeConfirmation(event);
  const result = await event.locals.api.query(ExportPageDocument, { id: event.params.id }).toPromise();
  if (!result.data) loadFailed(result.error);
  const { round, roundDispositionSummary } = result.data;
  const areas = [...new Map(round.indicators.map((i) => [i.indicator.section.id, i.indicator.section.code])).entries()].map(([id, code]) => ({ id, code }));
  return { round, summary: roundDispositionSummary, areas, publicationSaved: confirmation?.form === 'publication' };
};

export const actions: Actions = {
  publish: async (event) => {
    requireRole(event, 'FACILITATOR');
    const result = await event.locals.api.mutation(PublishRoundSummaryDocument, { roundId: event.params.id }).toPromise();
    if (result.error || !result.data) return consultationFailure(result.error, {}, { form: 'publish' });
    // The publish section says so itself, with the date.
    confirmAndReturn(event, null, 'publish');
  },
  publication: async (event) => {
    requireRole(event, 'FACILITATOR');
    const form = await event.request.formData();
    const authors = String(form.get('publicAuthors') ?? '');
    const publicAuthors: PublicAuthors = authors === 'NAME' || authors === 'HIDDEN' ? authors : 'ORGANIZATION';
    const input = { commentsPublic: form.get('commentsPublic') === 'on', publicAuthors };
    const result = await event.locals.api.mutation(SetRoundPublicationDocument, { roundId: event.params.id, input }).toPromise();
    if (result.error || !result.data) return consultationFailure(result.error, {}, { form: 'publication' });
    confirmAndReturn(event, { form: 'publication' }, 'publication');
  },
};
