import { requireViewer } from '$lib/auth.server';
import { PublishedSummaryDocument } from '$lib/graphql/generated';
import { problemOf } from '$lib/graphql/problems';
import type { PageServerLoad } from './$types';
import { loadFailed } from '$lib/graphql/load.server';

/** The published disposition summary of a round: what the working group did with each comment. */
export const load: PageServerLoad = async (event) => {
  requireViewer(event);
  const after = event.url.searchParams.get('after');
  const result = await event.locals.api.query(PublishedSummaryDocument, { id: event.params.id, after }).toPromise();
  if (problemOf(result.error)?.reason === 'SUMMARY_NOT_PUBLISHED') return { published: false as const, roundId: event.params.id };
  if (!result.data) loadFailed(result.error);
  return { published: true as const, round: result.data.round, summary: result.data.roundDispositionSummary, comments: result.data.roundComments };
};
