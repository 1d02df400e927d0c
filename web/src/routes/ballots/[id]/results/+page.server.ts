import { requireViewer } from '$lib/auth.server';
import { BallotResultsDocument } from '$lib/graphql/generated';
import type { PageServerLoad } from './$types';
import { apiLanguage, loadFailed } from '$lib/graphql/load.server';

export const load: PageServerLoad = async (event) => {
  requireViewer(event);
  const result = await event.locals.api.query(BallotResultsDocument, { id: event.params.id, language: apiLanguage(event) }).toPromise();
  if (!result.data) loadFailed(result.error);
  return { ballot: result.data.ballot };
};
