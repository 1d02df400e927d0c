import type { EntityManager } from '@mikro-orm/postgresql';
import { defineTask, enqueue, type JobContext } from '../jobs/tasks.js';
import { wakeWorkersAfter } from '../jobs/queue.js';
import { roundTopics, topics, type LiveEvent, type LiveEventIds, type LiveEventKind } from './live-event.js';
import { appendLiveEvent, markSent, unsentEvents } from './live-event.log.js';

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

/**
 * The statement's call that schedules the dispatch of `topic` (SQL text naming a topic), for a
 * write that appended to it: one waiting job per topic (graphile-worker's job key), due
 * DISPATCH_WINDOW_MS after the first write that found none; later writes join it (preserve_run_at).
 * A job already running is not joined: the write gets a new one. It returns the job's revision,
 * 0 when this write created it (see `dispatchScheduled`).
 */
export const scheduleDispatchSql = (topic: string) =>
  `(graphile_worker.add_job('${liveDispatch.name}', json_build_object('topic', ${topic}), run_at => now() + interval '${DISPATCH_WINDOW_MS} milliseconds',
     job_key => '${liveDispatch.name}:' || ${topic}, job_key_mode => 'preserve_run_at')).revision`;

/** After a write scheduled a dispatch: when it created the job, the workers are woken as it falls due. */
export function dispatchScheduled(em: EntityManager, revision: number | string): void {
  if (Number(revision) === 0) wakeWorkersAfter(em, DISPATCH_WINDOW_MS);
}

/**
 * Sends a topic's committed events that were not sent yet (after its sequence in
 * `live_topic_sent`) to the subscribers of every API process, runs the reactions registered for
 * their kinds, then records them sent. A round's job sends the events of its indicators' topics
 * too: the same transactions wrote them.
 *
 * At least once: a process that dies before recording leaves the events to be sent again, and two
 * dispatches of a topic may overlap (a write joined no running job, so it got a new one that
 * started meanwhile); subscribers skip a sequence they already have, reactions are idempotent, and
 * the sent sequence only moves forward. A reaction that fails gets a job of its own, retried on
 * its own, so one bad reaction does not hold back a round's live events.
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
  for (const event of events) {
    for (const react of reactions.get(event.kind) ?? []) {
      await react(event.ids, { ...ctx, em: ctx.em.fork() }).catch(async (err) => {
        ctx.app.log.warn({ err, kind: event.kind, ids: event.ids }, 'a reaction to a live event failed; it will be retried');
        await enqueue(ctx.em, liveReaction, { kind: event.kind, ids: event.ids });
      });
    }
  }
  await markSent(ctx.em, lastOfEachTopic(all));
  return events.length;
}

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
  const [job] = await ctx.em.execute<Array<{ revision: number }>>(`select ${scheduleDispatchSql('?::text')} as revision`, [primaryTopic(ids), primaryTopic(ids)]);
  dispatchScheduled(ctx.em, job.revision);
}
