import { requireViewer } from '$lib/auth.server';
import { SearchIndicatorsDocument } from '$lib/graphql/generated';
import { problemOf } from '$lib/graphql/problems';
import type { PageServerLoad } from './$types';
import { apiLanguage, loadFailed } from '$lib/graphql/load.server';

export const load: PageServerLoad = async (event) => {
  requireViewer(event);
  const query = (event.url.searchParams.get('q') ?? '').trim();
  const framework = event.url.searchParams.get('framework') || null;
  if (query.length < 2) return { query, framework, hits: null, tooShort: query.length > 0 };
  const result = await event.locals.api
    .query(SearchIndicatorsDocument, { query, language: apiLanguage(event), frameworkSlug: framework })
    .toPromise();
  if (!result.data) {
    if (problemOf(result.error)?.code === 'BAD_USER_INPUT') return { query, framework, hits: null, tooShort: true };
    loadFailed(result.error);
  }
  return { query, framework, hits: result.data.searchIndicators, tooShort: false };
};
