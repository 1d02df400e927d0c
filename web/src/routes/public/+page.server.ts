import { PublicIndexDocument } from '$lib/graphql/generated';
import { apiLanguage, loadFailed } from '$lib/graphql/load.server';
import type { PageServerLoad } from './$types';

/** Public: the released standards and the consultation rounds, signed out too (cache headers in hooks.server.ts). */
export const load: PageServerLoad = async (event) => {
  const result = await event.locals.api.query(PublicIndexDocument, { language: apiLanguage(event) }).toPromise();
  if (!result.data) loadFailed(result.error);
  return { frameworks: result.data.publicFrameworks, rounds: result.data.publicRounds };
};
