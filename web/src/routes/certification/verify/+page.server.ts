import { VerifySealDocument } from '$lib/graphql/generated';
import { apiLanguage, loadFailed } from '$lib/graphql/load.server';
import type { PageServerLoad } from './$types';

/** Public: what a certificate's code says today (a GET form, so a printed link or a typed code both work without JavaScript). */
export const load: PageServerLoad = async (event) => {
  const code = (event.url.searchParams.get('code') ?? '').trim();
  if (!code) return { code, verification: null };
  const result = await event.locals.api.query(VerifySealDocument, { code, language: apiLanguage(event) }).toPromise();
  if (!result.data) loadFailed(result.error);
  return { code, verification: result.data.verifySeal };
};
