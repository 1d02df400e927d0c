import { error } from '@sveltejs/kit';
import { requireRole, requireViewer } from '$lib/auth.server';
import { confirmAndReturn, takeConfirmation } from '$lib/confirmation.server';
import { formFailure, formValues } from '$lib/forms.server';
import { FrameworkReleasesDocument, ReleaseFrameworkDocument, ReleasePreviewDocument } from '$lib/graphql/generated';
import { apiLanguage, loadFailed } from '$lib/graphql/load.server';
import { releaseFailure } from '$lib/components/releases/release-failure.server';
import { hasRole } from '$lib/viewer';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const viewer = requireViewer(event);
  const language = apiLanguage(event);
  const result = await event.locals.api.query(FrameworkReleasesDocument, { slug: event.params.slug, language }).toPromise();
  if (!result.data) loadFailed(result.error);
  if (!result.data.framework) error(404, 'NOT_FOUND');
  const isFacilitator = hasRole(viewer, 'FACILITATOR');
  let preview = null;
  if (isFacilitator) {
    const p = await event.locals.api.query(ReleasePreviewDocument, { slug: event.params.slug, language }).toPromise();
    if (!p.data) loadFailed(p.error);
    preview = p.data.releasePreview;
  }
  return { framework: result.data.framework, releases: result.data.releases, preview, isFacilitator, confirmation: takeConfirmation(event) };
};

export const actions: Actions = {
  create: async (event) => {
    requireRole(event, 'FACILITATOR');
    const data = await event.request.formData();
    const values = formValues(data, 'number', 'notes', 'final');
    const framework = await event.locals.api.query(FrameworkReleasesDocument, { slug: event.params.slug, language: apiLanguage(event) }).toPromise();
    if (!framework.data?.framework) error(404, 'NOT_FOUND');
    const notes = values.notes.trim() ? { [event.locals.locale]: values.notes.trim() } : null;
    const result = await event.locals.api
      .mutation(ReleaseFrameworkDocument, { input: { frameworkId: framework.data.framework.id, number: values.number.trim(), notes, final: values.final === 'on' } })
      .toPromise();
    if (result.error || !result.data) return releaseFailure(result.error, values, { form: 'create', otherFields: ['changes'] });
    confirmAndReturn(event, { form: 'create', number: result.data.releaseFramework.number }, 'releases-heading');
  },
};
