import { error } from '@sveltejs/kit';
import { requireViewer } from '$lib/auth.server';
import { FrameworkTreeDocument } from '$lib/graphql/generated';
import { hasRole } from '$lib/viewer';
import type { PageServerLoad } from './$types';
import { apiLanguage, loadFailed } from '$lib/graphql/load.server';

export const load: PageServerLoad = async (event) => {
  const viewer = requireViewer(event);
  const result = await event.locals.api.query(FrameworkTreeDocument, { slug: event.params.slug, language: apiLanguage(event) }).toPromise();
  if (!result.data) loadFailed(result.error);
  if (!result.data.framework) error(404, 'NOT_FOUND');
  return { framework: result.data.framework, isFacilitator: hasRole(viewer, 'FACILITATOR') };
};
