import { error } from '@sveltejs/kit';
import { requireViewer } from '$lib/auth.server';
import { IndicatorPageDocument, VersionDiffDocument, type VersionDiffQuery } from '$lib/graphql/generated';
import { hasRole } from '$lib/viewer';
import type { PageServerLoad } from './$types';
import { apiLanguage, loadFailed } from '$lib/graphql/load.server';

type FieldDiff = VersionDiffQuery['versionDiff']['fields'][number];

export const load: PageServerLoad = async (event) => {
  const viewer = requireViewer(event);
  const language = apiLanguage(event);
  const result = await event.locals.api.query(IndicatorPageDocument, { slug: event.params.slug, code: event.params.code, language }).toPromise();
  if (!result.data) loadFailed(result.error);
  const indicator = result.data.indicatorByCode;
  if (!indicator) error(404, 'NOT_FOUND');

  // Compare ?from=N&to=M (version numbers); by default the previous version with the current one.
  const byNumber = new Map(indicator.versions.map((v) => [v.number, v]));
  const from = byNumber.get(Number(event.url.searchParams.get('from')));
  const to = byNumber.get(Number(event.url.searchParams.get('to')));
  let comparison: { from: number; to: number; fields: (FieldDiff & { fallback: boolean })[] } | null = null;
  if (from && to && from.id !== to.id) {
    const diff = await event.locals.api.query(VersionDiffDocument, { from: from.id, to: to.id }).toPromise();
    if (!diff.data) loadFailed(diff.error);
    // Each field in the language the page reads its current text in (the API's one reading rule), marked when
    // that is not the page's; a field the current version lacks, in the page's language or the first it has.
    const read = new Map(indicator.currentVersion?.fields.map((f) => [f.field, f.text?.language]));
    const fields = [...new Set(diff.data.versionDiff.fields.map((f) => f.field))].map((field) => {
      const inField = diff.data!.versionDiff.fields.filter((f) => f.field === field);
      const shown = inField.find((f) => f.language === read.get(field)) ?? inField.find((f) => f.language === language) ?? inField[0];
      return { ...shown, fallback: shown.language !== language };
    });
    comparison = { from: from.number, to: to.number, fields };
  }
  const [latest, previous] = indicator.versions;
  return {
    indicator,
    comparison,
    defaults: { from: from?.number ?? previous?.number ?? latest?.number, to: to?.number ?? latest?.number },
    isFacilitator: hasRole(viewer, 'FACILITATOR'),
  };
};
