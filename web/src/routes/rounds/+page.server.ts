import { requireViewer } from '$lib/auth.server';
import { RoundsDocument } from '$lib/graphql/generated';
import { hasRole } from '$lib/viewer';
import type { PageServerLoad } from './$types';
import { loadFailed } from '$lib/graphql/load.server';

export const load: PageServerLoad = async (event) => {
  const viewer = requireViewer(event);
  const result = await event.locals.api.query(RoundsDocument, {}).toPromise();
  if (!result.data) loadFailed(result.error);
  return { rounds: result.data.rounds, isFacilitator: hasRole(viewer, 'FACILITATOR') };
};
