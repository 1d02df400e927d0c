import { requireRole } from '$lib/auth.server';
import { RoundDashboardDocument } from '$lib/graphql/generated';
import { apiLanguage, loadFailed } from '$lib/graphql/load.server';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  requireRole(event, 'FACILITATOR');
  const result = await event.locals.api.query(RoundDashboardDocument, { roundId: event.params.id, language: apiLanguage(event) }).toPromise();
  if (!result.data) loadFailed(result.error);
  return { round: result.data.round, dashboard: result.data.roundDashboard };
};
