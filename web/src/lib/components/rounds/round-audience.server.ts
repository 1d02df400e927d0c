import type { RequestEvent } from '@sveltejs/kit';
import { RoundSetupFormDocument } from '$lib/graphql/generated';
import { apiLanguage, loadFailed } from '$lib/graphql/load.server';
import { pickerOptions } from '$lib/directory';

/**
 * The round form's framework and the organizations its audience may name: those already chosen, then
 * the first by name that the page's `orgq` search finds (organizations grow with participation).
 */
export async function roundSetupForm(event: Pick<RequestEvent, 'locals' | 'url'>, slug: string, chosenOrganizationIds: string[] = []) {
  const result = await event.locals.api
    .query(RoundSetupFormDocument, { slug, language: apiLanguage(event), organizationSearch: event.url.searchParams.get('orgq')?.trim() || null, organizationIds: chosenOrganizationIds })
    .toPromise();
  if (!result.data) loadFailed(result.error);
  const { framework, organizations, chosenOrganizations } = result.data;
  return { framework, organizations: pickerOptions(chosenOrganizations.nodes, organizations.nodes), organizationsFound: organizations.totalCount };
}
