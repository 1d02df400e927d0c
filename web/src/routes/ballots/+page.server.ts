import { requireViewer } from '$lib/auth.server';
import { BallotsDocument } from '$lib/graphql/generated';
import { hasRole } from '$lib/viewer';
import type { PageServerLoad } from './$types';
import { loadFailed } from '$lib/graphql/load.server';

export const load: PageServerLoad = async (event) => {
  const viewer = requireViewer(event);
  const result = await event.locals.api.query(BallotsDocument, {}).toPromise();
  if (!result.data) loadFailed(result.error);
  return { ballots: result.data.ballots, isFacilitator: hasRole(viewer, 'FACILITATOR') };
};
