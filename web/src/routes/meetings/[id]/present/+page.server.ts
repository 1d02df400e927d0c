import { requireViewer } from '$lib/auth.server';
import { MeetingBallotSequenceDocument, MeetingLiveDocument } from '$lib/graphql/generated';
import { apiLanguage, loadFailed } from '$lib/graphql/load.server';
import type { PageServerLoad } from './$types';

/** The current item and its tally, for a projector: read at a distance, following the meeting live. */
export const load: PageServerLoad = async (event) => {
  requireViewer(event);
  const api = event.locals.api;
  const result = await api.query(MeetingLiveDocument, { id: event.params.id, language: event.locals.locale, locale: apiLanguage(event), topic: `meeting:${event.params.id}` }, { requestPolicy: 'network-only' }).toPromise();
  if (!result.data) loadFailed(result.error);
  const ballot = result.data.meeting.currentItem?.ballot;
  const ballotSequence = ballot ? await api.query(MeetingBallotSequenceDocument, { topic: `ballot:${ballot.id}` }, { requestPolicy: 'network-only' }).toPromise() : null;
  return { meeting: result.data.meeting, meetingSequence: result.data.liveSequence, ballotSequence: ballotSequence?.data?.liveSequence ?? null };
};
