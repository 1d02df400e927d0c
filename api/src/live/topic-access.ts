import type { EntityManager } from '@mikro-orm/postgresql';
import { requireViewer, type Viewer } from '../auth/viewer.js';
import type { RequestContext } from '../context.js';
import { badInput } from '../errors.js';
import type { LiveEvent } from './live-event.js';
import { lastLiveSequences } from './live-event.log.js';

/** Which of a topic's events a viewer receives. */
export type EventFilter = (event: LiveEvent) => boolean;

/** Every event of the topic. */
export const everything: EventFilter = () => true;

/** Whether a viewer may follow a topic, given its ids: throws NOT_FOUND / FORBIDDEN, or returns which events they receive. */
export type TopicAccess = (em: EntityManager, viewer: Viewer, ids: string[]) => Promise<EventFilter>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const registered = new Map<string, { shape: string; idCount: number; mayFollow: TopicAccess }>();

/**
 * Opens the topics of a shape such as `indicator:<roundId>:<versionId>` (a name, then one id per
 * placeholder) to the viewers `mayFollow` lets in: the feature that owns a topic says who follows it.
 */
export function registerTopic(shape: string, mayFollow: TopicAccess): void {
  const [name, ...ids] = shape.split(':');
  registered.set(name, { shape, idCount: ids.length, mayFollow });
}

/**
 * The one gate for following a topic, live or through catch-up: throws NOT_FOUND / FORBIDDEN
 * (BAD_USER_INPUT for a malformed topic) and returns which events the viewer may receive.
 */
export async function authorizeTopic(em: EntityManager, viewer: Viewer, topic: string): Promise<EventFilter> {
  const [name, ...ids] = topic.split(':');
  const access = registered.get(name);
  if (!access || ids.length !== access.idCount || !ids.every((id) => UUID.test(id))) {
    throw badInput('topic', `Not a live topic: ${[...registered.values()].map((t) => t.shape).join(', ')}`);
  }
  return access.mayFollow(em, viewer, ids);
}

/** A client's last seen sequence, refused when negative. */
export function checkedSequence(afterSequence: number) {
  if (afterSequence < 0) throw badInput('afterSequence', 'Must be 0 or more');
  return afterSequence;
}

/** The topic's latest sequence, for a viewer who may follow the topic (the same gate as its subscription). */
export async function topicSequence(ctx: RequestContext, topic: string): Promise<number> {
  await authorizeTopic(ctx.em, requireViewer(ctx.viewer), topic);
  return ctx.loader(lastLiveSequences).load(topic);
}

/** A subscription's source: the topic's events the viewer may receive, after checking they may follow it at all. */
export async function followTopic(ctx: RequestContext, topic: string, afterSequence: number | null | undefined): Promise<AsyncIterable<LiveEvent>> {
  const allowed = await authorizeTopic(ctx.em, requireViewer(ctx.viewer), topic);
  const after = afterSequence == null ? undefined : checkedSequence(afterSequence);
  return onlyAllowed(ctx.app.live.subscribe(topic, { afterSequence: after }), allowed);
}

/** Filters without an async generator, whose return() would wait for the next event before ending the subscription. */
function onlyAllowed(source: AsyncIterableIterator<LiveEvent>, allowed: EventFilter): AsyncIterableIterator<LiveEvent> {
  return {
    async next() {
      for (;;) {
        const r = await source.next();
        if (r.done || allowed(r.value)) return r;
      }
    },
    return: () => source.return?.() ?? Promise.resolve({ value: undefined, done: true }),
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
