// The network side of following a meeting, loaded once the page is interactive. Imported by name, so the
// bundle keeps only what is used: importing graphql-ws and the generated documents whole put graphql-ws's
// server (with graphql's executor) and every operation of the app into the chunk every live page loads.
import { stringifyDocument } from '@urql/core';
import { createClient } from 'graphql-ws';
import { MeetingActivityDocument, MeetingBallotTallyDocument } from '$lib/graphql/generated';

export type MeetingFeedStatus = 'connecting' | 'live' | 'off';

export interface MeetingFollow {
  meetingId: string;
  meetingSequence: number | null;
  ballotId: string | null;
  ballotSequence: number | null;
}

/** Subscribes to the meeting (and the ballot on its current item) from the given sequences; returns the call that stops. */
export function followMeeting(follow: MeetingFollow, changed: () => void, status: (s: MeetingFeedStatus) => void): () => void {
  const client = createClient({
    url: `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/graphql`,
    retryAttempts: 5,
    on: { connected: () => status('live'), closed: () => status('connecting') },
  });
  const sink = { next: changed, error: () => status('off'), complete: () => {} };
  const disposers = [client.subscribe({ query: stringifyDocument(MeetingActivityDocument), variables: { meetingId: follow.meetingId, afterSequence: follow.meetingSequence } }, sink)];
  if (follow.ballotId) disposers.push(client.subscribe({ query: stringifyDocument(MeetingBallotTallyDocument), variables: { ballotId: follow.ballotId, afterSequence: follow.ballotSequence } }, sink));
  return () => {
    disposers.forEach((d) => d());
    void client.dispose();
  };
}
