import { requireViewer } from '$lib/auth.server';
import { CertificationBenchmarksDocument, CertificationSchemesDocument, FinalFrameworksDocument } from '$lib/graphql/generated';
import { apiLanguage, loadFailed } from '$lib/graphql/load.server';
import { problemOf } from '$lib/graphql/problems';
import type { PageServerLoad } from './$types';

/**
 * The pilot's benchmarks per area and country for one scheme (a GET form picks it): every cell for the
 * committee and facilitators; for a participating institution, anonymized, no cell under five institutions.
 */
export const load: PageServerLoad = async (event) => {
  requireViewer(event);
  const language = apiLanguage(event);
  const frameworks = await event.locals.api.query(FinalFrameworksDocument, { language }).toPromise();
  if (!frameworks.data) loadFailed(frameworks.error);
  const finals = frameworks.data.frameworks.filter((f) => f.finalRelease);
  const schemes = (
    await Promise.all(finals.map((f) => event.locals.api.query(CertificationSchemesDocument, { frameworkSlug: f.slug, language }).toPromise()))
  ).flatMap((r, i) => (r.data?.certificationSchemes ?? []).map((s) => ({ id: s.id, label: `${finals[i].name?.value ?? finals[i].slug} ${s.release.number}`, areas: s.areas })));
  const scheme = schemes.find((s) => s.id === event.url.searchParams.get('scheme')) ?? schemes[0] ?? null;
  if (!scheme) return { schemes, scheme, cells: [], refused: null };
  const result = await event.locals.api.query(CertificationBenchmarksDocument, { schemeId: scheme.id }).toPromise();
  const problem = problemOf(result.error);
  // Someone whose institution has not submitted an assessment sees why, not an error page.
  if (problem?.code === 'FORBIDDEN') return { schemes, scheme, cells: [], refused: problem.reason ?? 'FORBIDDEN' };
  if (!result.data) loadFailed(result.error);
  return { schemes, scheme, cells: result.data.certificationBenchmarks, refused: null };
};
