import { CertificationRegistryDocument } from '$lib/graphql/generated';
import { apiLanguage, loadFailed } from '$lib/graphql/load.server';
import type { PageServerLoad } from './$types';

/** Public: the institutions certified, filtered by the form's area and country (a GET form: it works without JavaScript). */
export const load: PageServerLoad = async (event) => {
  const area = event.url.searchParams.get('area') || null;
  const country = event.url.searchParams.get('country') || null;
  const result = await event.locals.api.query(CertificationRegistryDocument, { area, country, language: apiLanguage(event) }).toPromise();
  if (!result.data) loadFailed(result.error);
  const areas = new Map(result.data.all.flatMap((entry) => entry.seals.map((seal) => [seal.area.code, seal.area] as const)));
  return {
    area,
    country,
    areas: [...areas.values()].sort((a, b) => a.code.localeCompare(b.code)),
    countries: [...new Set(result.data.all.map((entry) => entry.organization.country))].sort(),
    entries: result.data.certificationRegistry,
  };
};
