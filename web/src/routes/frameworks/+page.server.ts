import { requireViewer } from '$lib/auth.server';
import { FrameworksDocument } from '$lib/graphql/generated';
import type { PageServerLoad } from './$types';
import { apiLanguage, loadFailed } from '$lib/graphql/load.server';

export const load: PageServerLoad = async (event) => {
  requireViewer(event);
  const result = await event.locals.api.query(FrameworksDocument, { language: apiLanguage(event) }).toPromise();
  if (!result.data) loadFailed(result.error);
  return { frameworks: result.data.frameworks };
};
