import type { AppServices, RequestContext } from '../context.js';
import { roundTopics, topics, type LiveEvent, type LiveEventIds, type LiveEventKind } from './live-event.js';
import { appendLiveEvent } from './live-event.log.js';

/** What sends committed events to subscribers, and logs when it cannot. */
export type LiveSender = Pick<AppServices, 'live' | 'log'>;

/** A mutation's transaction, or any transaction that reports its writes once it commits. */
export type MutationContext = Pick<RequestContext, 'em' | 'afterCommit'> & { app: LiveSender };

/**
 * Records a live event in the mutation's transaction (on the ballot's topic, or on the round's
 * topic and its indicator version's) and sends it to subscribers once the transaction commits:
 * a rolled-back write leaves neither a row nor a message. Call it after the write it reports.
 */
export async function publishLiveEvent(ctx: MutationContext, kind: LiveEventKind, ids: LiveEventIds & ({ roundId: string } | { ballotId: string })): Promise<void> {
  const names = ids.ballotId ? [topics.ballot(ids.ballotId)] : roundTopics(ids as LiveEventIds & { roundId: string });
  sendAfterCommit(ctx, await appendLiveEvent(ctx.em, names, kind, ids));
}

/**
 * Sends events the mutation has written to `live_event` once it commits, without holding up its
 * answer: subscribers take events in any order, and the next event on a topic sends them to the
 * log for any that never arrived.
 */
export function sendAfterCommit(ctx: MutationContext, events: LiveEvent[]): void {
  ctx.afterCommit(() => {
    Promise.all(events.map((e) => ctx.app.live.publish(e))).catch((err) => ctx.app.log.error({ err }, 'a live event could not be sent'));
  });
}
