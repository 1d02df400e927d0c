import type { EntityManager } from '@mikro-orm/postgresql';
import { enqueueAfterCommit } from '../jobs/queue.js';
import { defineTask, enqueue, enqueueKeyed, keyedJob, type JobContext } from '../jobs/tasks.js';
import { roundTopics, topics, type LiveEvent, type LiveEventIds, type LiveEventKind } from './live-event.js';
import { appendLiveEvent, markSent, unsentEvents, unsentTopics } from './live-event.log.js';

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
 * How long a write's events wait before they are sent: the writes of a burst (a ballot's votes a
 * few milliseconds apart, a campaign's comments) share one dispatch job instead of one job each.
 */
const DISPATCH_WINDOW_MS = 50;
/** Events of a topic one pass of a dispatch sends; a longer backlog takes several. */
const DISPATCH_BATCH = 500;

/** The topic a write's dispatch job is keyed by: the meeting's, the ballot's, or the round's (its indicator's topic rides along). */
const primaryTopic = (ids: LiveEventIds): string => (ids.meetingId ? topics.meeting(ids.meetingId) : ids.ballotId ? topics.ballot(ids.ballotId) : topics.round(ids.roundId!));

/** A topic's dispatch: one waiting job per topic (its key), which later writes join. */
const dispatchJob = (topic: string) => keyedJob(liveDispatch, `${liveDispatch.name}:${topic}`, { topic });

/**
 * Has `topic`'s committed events sent once the write's transaction commits, by the topic's job,
 * which the writes of the window share. The events are already durable in `live_event`; if this
 * process stops before adding the job, `liveSweep` finds them.
 */
export function dispatchAfterCommit(em: EntityManager, topic: string): void {
  enqueueAfterCommit(em, dispatchJob(topic), DISPATCH_WINDOW_MS);
}

/**
 * Sends a topic's committed events that were not sent yet (after its sequence in
 * `live_topic_sent`) to the subscribers of every API process, adds a job for the reactions
 * registered for their kinds, then records them sent. A round's job sends the events of its
 * indicators' topics too: the same transactions wrote them.
 *
 * At least once: a process that dies before recording leaves the events to be sent again, and two
 * dispatches of a topic may overlap (a window's job added while the topic's last one still ran);
 * subscribers skip a sequence they already have, reactions are idempotent, and
 * the sent sequence only moves forward.
 */
export const liveDispatch = defineTask<{ topic: string }>('live:dispatch', async ({ topic }, ctx) => {
  while ((await dispatchBatch(topic, ctx)) === DISPATCH_BATCH);
});

async function dispatchBatch(topic: string, ctx: JobContext): Promise<number> {
  const unsent = await unsentEvents(ctx.em, topic, DISPATCH_BATCH);
  if (unsent.length === 0) return 0;
  const all = unsent.map(({ alongside: _, ...event }) => event);
  const events = all.filter((_, i) => !unsent[i].alongside);
  await ctx.app.live.publish(all);
  const reacting = events.filter((event) => reactions.has(event.kind)).map(({ kind, ids }) => ({ kind, ids }));
  if (reacting.length) await enqueue(ctx.em, liveReactions, { events: reacting }, { queueName: `${liveReactions.name}:${topic}` });
  await markSent(ctx.em, lastOfEachTopic(all));
  return events.length;
}

/**
 * The reactions to a dispatched batch's events, in a job of their own, in the topic's queue (one at
 * a time). Run inside the dispatch, slow ones (placing each new comment among its near-duplicates,
 * one at a time per round anyway) filled every worker's slots under a burst of comments, and the
 * topic's next events waited seconds for a slot to send them. A reaction that fails gets a job of
 * its own, retried on its own, so one bad reaction does not hold back the others.
 */
export const liveReactions = defineTask<{ events: Array<{ kind: LiveEventKind; ids: LiveEventIds }> }>('live:reactions', async ({ events }, ctx) => {
  for (const event of events) {
    for (const react of reactions.get(event.kind) ?? []) {
      await react(event.ids, { ...ctx, em: ctx.em.fork() }).catch(async (err) => {
        ctx.app.log.warn({ err, kind: event.kind, ids: event.ids }, 'a reaction to a live event failed; it will be retried');
        await enqueue(ctx.em, liveReaction, { kind: event.kind, ids: event.ids });
      });
    }
  }
});

const lastOfEachTopic = (events: LiveEvent[]) => [...new Map(events.map((e) => [e.topic, e.sequence]))].map(([topic, sequence]) => ({ topic, sequence }));

/** The reactions to one event, again, after one of them failed in its dispatch: retried until they all succeed. */
export const liveReaction = defineTask<{ kind: LiveEventKind; ids: LiveEventIds }>('live:react', async ({ kind, ids }, ctx) => {
  for (const react of reactions.get(kind) ?? []) await react(ids, ctx);
});

/**
 * Records a domain event in the write's transaction (on the meeting's topic, the ballot's, or on the round's
 * topic and its indicator version's) and schedules its dispatch. Call it after the write it reports.
 */
export async function publishLiveEvent(ctx: MutationContext, kind: LiveEventKind, ids: LiveEventIds & ({ roundId: string } | { ballotId: string } | { meetingId: string })): Promise<void> {
  const names = ids.meetingId ? [topics.meeting(ids.meetingId)] : ids.ballotId ? [topics.ballot(ids.ballotId)] : roundTopics(ids as LiveEventIds & { roundId: string });
  await appendLiveEvent(ctx.em, names, kind, ids);
  dispatchAfterCommit(ctx.em, primaryTopic(ids));
}

/**
 * Every minute, and as each process starts: a dispatch for every topic with events not sent yet,
 * which the process that wrote them stopped before sending (or before adding their job). An
 * indicator's topic is sent with its round's.
 */
export const liveSweep = defineTask<Record<string, never>>(
  'live:sweep',
  async (_, { em }) => {
    const unsent = await unsentTopics(em);
    if (unsent.length) await enqueueKeyed(em, unsent.map(dispatchJob));
  },
  { everyMinutes: 1, atStart: true },
);
