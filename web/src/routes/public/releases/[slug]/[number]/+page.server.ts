import { error } from '@sveltejs/kit';
import { PublicReleasePageDocument } from '$lib/graphql/generated';
import { apiLanguage, loadFailed } from '$lib/graphql/load.server';
import type { PageServerLoad } from './$types';

/** Public: a release's indicators in the page's language, with its downloads in every language. */
export const load: PageServerLoad = async (event) => {
  const result = await event.locals.api.query(PublicReleasePageDocument, { slug: event.params.slug, number: event.params.number, language: apiLanguage(event) }).toPromise();
  if (!result.data) loadFailed(result.error);
  if (!result.data.publicRelease) error(404, 'NOT_FOUND');
  return { release: result.data.publicRelease };
};
