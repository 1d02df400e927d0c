import type { EntityManager } from '@mikro-orm/postgresql';
import { defineTask, enqueue, type TaskDefinition } from '../jobs/tasks.js';
import { roundTopics, topics, type LiveEventIds, type LiveEventKind } from './live-event.js';
import { appendLiveEvent, liveEventFromRow, type LiveEventRow } from './live-event.log.js';

/** A write's transaction: what records an event needs. */
export interface MutationContext {
  em: EntityManager;
}

/**
 * Sends events committed to `live_event` to the subscribers of every API process. A job, so it
 * runs once the write has committed (a rolled-back write leaves neither a row nor a job) and again
 * if a process dies before sending: subscribers skip a sequence they already have.
 */
export const liveFanOut = defineTask<{ events: LiveEventRow[] }>('live:fan-out', async ({ events }, { app }) => {
  await Promise.all(events.map((e) => app.live.publish(liveEventFromRow(e))));
});

const reactions = new Map<LiveEventKind, TaskDefinition<LiveEventIds>[]>();

/**
 * Makes `task` run, through the job queue, after every committed event of `kind`, with the
 * event's ids: how a feature reacts to another's writes without the writer knowing it.
 */
export function reactTo(kind: LiveEventKind, task: TaskDefinition<LiveEventIds>): void {
  reactions.set(kind, [...(reactions.get(kind) ?? []), task]);
}

/**
 * Records a domain event in the write's transaction (on the ballot's topic, or on the round's
 * topic and its indicator version's) with the jobs that follow it: the fan-out to subscribers and
 * the reactions registered for its kind. Call it after the write it reports.
 */
export async function publishLiveEvent(ctx: MutationContext, kind: LiveEventKind, ids: LiveEventIds & ({ roundId: string } | { ballotId: string })): Promise<void> {
  const names = ids.ballotId ? [topics.ballot(ids.ballotId)] : roundTopics(ids as LiveEventIds & { roundId: string });
  const events = await appendLiveEvent(ctx.em, names, kind, ids);
  await enqueue(ctx.em, liveFanOut, { events: events.map((e) => ({ ...e, at: e.at.toISOString() })) });
  for (const task of reactions.get(kind) ?? []) await enqueue(ctx.em, task, ids);
}
