import type { Ballot } from '../ballots/ballot.entity.js';
import { LiveEventKind } from './live-event.js';
import { publishLiveEvent, type MutationContext } from './publish.js';

/** Reports a ballot opened or closed; returns the ballot. */
export async function publishBallotStatusEvent(ctx: MutationContext, ballot: Ballot): Promise<Ballot> {
  await publishLiveEvent(ctx, LiveEventKind.BALLOT_STATUS_CHANGED, { ballotId: ballot.id });
  return ballot;
}
