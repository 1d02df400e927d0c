import { PublicRoundPageDocument } from '$lib/graphql/generated';
import { apiLanguage, loadFailed } from '$lib/graphql/load.server';
import type { PageServerLoad } from './$types';

/** Public: a round's dates and state, its texts once open, its published summary, and its comments when its setting makes them public. */
export const load: PageServerLoad = async (event) => {
  const after = event.url.searchParams.get('after') || null;
  const result = await event.locals.api.query(PublicRoundPageDocument, { id: event.params.id, language: apiLanguage(event), after }).toPromise();
  if (!result.data) loadFailed(result.error);
  return { page: result.data.publicRound, comments: result.data.publicComments, after };
};
