import { requireViewer } from '$lib/auth.server';
import { takeConfirmation } from '$lib/confirmation.server';
import { fieldFailure, formFailure } from '$lib/forms.server';
import { CertificationAssessmentsDocument, CertificationSchemesDocument, OpenAssessmentDocument, type AssessmentKind } from '$lib/graphql/generated';
import { apiLanguage, loadFailed } from '$lib/graphql/load.server';
import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';

/** The viewer's certification work: their institution's assessments, those they review, and (committee, facilitators) every one. */
export const load: PageServerLoad = async (event) => {
  const viewer = requireViewer(event);
  const language = apiLanguage(event);
  const result = await event.locals.api.query(CertificationAssessmentsDocument, { language }).toPromise();
  if (!result.data) loadFailed(result.error);
  // Schemes to open an assessment against: those on a framework's final release, for people of an institution.
  const finals = viewer.organization ? result.data.frameworks.filter((f) => f.finalRelease) : [];
  const schemes = (
    await Promise.all(finals.map((f) => event.locals.api.query(CertificationSchemesDocument, { frameworkSlug: f.slug, language }).toPromise()))
  ).flatMap((r, i) => (r.data?.certificationSchemes ?? []).map((scheme) => ({ ...scheme, framework: finals[i] })));
  return { assessments: result.data.certificationAssessments, schemes, confirmation: takeConfirmation(event) };
};

export const actions: Actions = {
  open: async (event) => {
    requireViewer(event);
    const data = await event.request.formData();
    const schemeId = String(data.get('schemeId') ?? '');
    const kind = String(data.get('kind') ?? 'SELF') as AssessmentKind;
    const areas = data.getAll('area').map(String);
    const values = { schemeId, kind };
    if (!areas.length) return fieldFailure('open', values, { area: 'certification.open.areaRequired' });
    const result = await event.locals.api.mutation(OpenAssessmentDocument, { input: { schemeId, kind, areas } }).toPromise();
    if (result.error || !result.data) return formFailure(result.error, values, { form: 'open', otherFields: ['areas'] });
    redirect(303, `/certification/assessments/${result.data.openAssessment.id}`);
  },
};

