import { error } from '@sveltejs/kit';
import { requireRole, requireViewer } from '$lib/auth.server';
import { confirmAndReturn, takeConfirmation } from '$lib/confirmation.server';
import { MarkReleaseFinalDocument, ReleasePageDocument } from '$lib/graphql/generated';
import { apiLanguage, loadFailed } from '$lib/graphql/load.server';
import { releaseFailure } from '$lib/components/releases/release-failure.server';
import { hasRole } from '$lib/viewer';
import type { Actions, PageServerLoad } from './$types';

async function loadRelease(event: Parameters<PageServerLoad>[0]) {
  const result = await event.locals.api.query(ReleasePageDocument, { slug: event.params.slug, number: event.params.number, language: apiLanguage(event) }).toPromise();
  if (!result.data) loadFailed(result.error);
  if (!result.data.framework || !result.data.release) error(404, 'NOT_FOUND');
  return { framework: result.data.framework, release: result.data.release };
}

export const load: PageServerLoad = async (event) => {
  const viewer = requireViewer(event);
  return { ...(await loadRelease(event)), isFacilitator: hasRole(viewer, 'FACILITATOR'), confirmation: takeConfirmation(event) };
};

export const actions: Actions = {
  markFinal: async (event) => {
    requireRole(event, 'FACILITATOR');
    const { release } = await loadRelease(event as unknown as Parameters<PageServerLoad>[0]);
    const result = await event.locals.api.mutation(MarkReleaseFinalDocument, { id: release.id }).toPromise();
    if (result.error || !result.data) return releaseFailure(result.error, {}, { form: 'markFinal' });
    confirmAndReturn(event, { form: 'markFinal', number: release.number }, 'release-heading');
  },
};
