import { requireViewer } from '$lib/auth.server';
import { BallotResultsDocument } from '$lib/graphql/generated';
import type { PageServerLoad } from './$types';
import { apiLanguage, loadFailed } from '$lib/graphql/load.server';
import { liveSequenceBefore } from '$lib/live/sequence.server';

export const load: PageServerLoad = async (event) => {
  requireViewer(event);
  const liveSequence = await liveSequenceBefore(event, { ballot: event.params.id });
  const result = await event.locals.api.query(BallotResultsDocument, { id: event.params.id, language: apiLanguage(event) }).toPromise();
  if (!result.data) loadFailed(result.error);
  return { ballot: result.data.ballot, liveSequence };
};
