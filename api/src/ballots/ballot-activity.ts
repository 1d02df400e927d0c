import type { Ballot } from './ballot.entity.js';
import { LiveEventKind } from '../live/live-event.js';
import { publishLiveEvent, type MutationContext } from '../live/publish.js';

/** Reports a ballot opened or closed; returns the ballot. */
export async function publishBallotStatusEvent(ctx: MutationContext, ballot: Ballot): Promise<Ballot> {
  await publishLiveEvent(ctx, LiveEventKind.BALLOT_STATUS_CHANGED, { ballotId: ballot.id });
  return ballot;
}
