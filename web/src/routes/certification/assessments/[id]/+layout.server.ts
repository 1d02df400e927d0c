import { requireViewer } from '$lib/auth.server';
import { CertificationAssessmentDocument } from '$lib/graphql/generated';
import { apiLanguage, loadFailed } from '$lib/graphql/load.server';
import type { LayoutServerLoad } from './$types';

/** One assessment, for every page about it (the institution's, the reviewer's, the committee's); NOT_FOUND unless the viewer may read it. */
export const load: LayoutServerLoad = async (event) => {
  requireViewer(event);
  event.depends('certification:assessment');
  const result = await event.locals.api.query(CertificationAssessmentDocument, { id: event.params.id, language: apiLanguage(event) }).toPromise();
  if (!result.data) loadFailed(result.error);
  return { assessment: result.data.certificationAssessment, evidenceLimits: result.data.certificationEvidenceLimits };
};
