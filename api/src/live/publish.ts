import type { EntityManager } from '@mikro-orm/postgresql';
import { defineTask, enqueue, type JobContext } from '../jobs/tasks.js';
import { roundTopics, topics, type LiveEventIds, type LiveEventKind } from './live-event.js';
import { appendLiveEvent, liveEventFromRow, type LiveEventRow } from './live-event.log.js';

/** A write's transaction: what records an event needs. */
export interface MutationContext {
  em: EntityManager;
}

/** What a feature does after every committed event of a kind. Delivery is at least once: it must be idempotent. */
export type Reaction = (ids: LiveEventIds, ctx: JobContext) => Promise<void>;

const reactions = new Map<LiveEventKind, Reaction[]>();

/** Makes `react` run, through the job queue, after every committed event of `kind`: how a feature reacts to another's writes without the writer knowing it. */
export function reactTo(kind: LiveEventKind, react: Reaction): void {
  reactions.set(kind, [...(reactions.get(kind) ?? []), react]);
}

/**
 * What follows one write's event, as one job (one per write keeps the queue's own cost low): it
 * sends the event, as committed to `live_event` on each of its topics, to the subscribers of every
 * API process, then runs the reactions registered for its kind. A job, so it runs once the write
 * has committed (a rolled-back write leaves neither a row nor a job), and again if a process dies
 * or a reaction fails before it completes: subscribers skip a sequence they already have, and
 * reactions are idempotent.
 */
export const liveDispatch = defineTask<{ events: LiveEventRow[] }>('live:dispatch', async ({ events }, ctx) => {
  await Promise.all(events.map((e) => ctx.app.live.publish(liveEventFromRow(e))));
  const [event] = events;
  for (const react of event ? (reactions.get(event.kind) ?? []) : []) await react(event.ids, ctx);
});

/**
 * Records a domain event in the write's transaction (on the meeting's topic, the ballot's, or on the round's
 * topic and its indicator version's) with the job that follows it. Call it after the write it reports.
 */
export async function publishLiveEvent(ctx: MutationContext, kind: LiveEventKind, ids: LiveEventIds & ({ roundId: string } | { ballotId: string } | { meetingId: string })): Promise<void> {
  const names = ids.meetingId ? [topics.meeting(ids.meetingId)] : ids.ballotId ? [topics.ballot(ids.ballotId)] : roundTopics(ids as LiveEventIds & { roundId: string });
  const events = await appendLiveEvent(ctx.em, names, kind, ids);
  await enqueue(ctx.em, liveDispatch, { events: events.map((e) => ({ ...e, at: e.at.toISOString() })) });
}
