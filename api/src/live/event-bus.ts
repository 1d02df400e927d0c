import type { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import type { LiveEvent } from './live-event.js';
import { lastLiveSequence, liveEventsSince } from './live-event.log.js';

declare module '../context.js' {
  interface AppServices {
    /** Live events to subscribers on every API process (PostgreSQL LISTEN/NOTIFY or Redis). */
    live: EventBus;
  }
}

/** Fans committed events out to the subscribers of every API process. */
export interface EventBus {
  /** Where events travel between processes, for the start-up line. */
  readonly transport: 'postgresql' | 'redis' | 'in-process';
  /** Sends events that are already committed to `live_event` (see liveDispatch), in their order. */
  publish(events: LiveEvent[]): Promise<void>;
  /**
   * The topic's events from now on, or from `afterSequence` on (replayed from the log), in
   * sequence order without gaps, whatever order the transport delivers them in.
   * `return()` ends the subscription.
   */
  subscribe(topic: string, options?: { afterSequence?: number }): AsyncIterableIterator<LiveEvent>;
  /**
   * How many of this process's subscriptions follow the topic from a known sequence on (the
   * transport watching it, the start read): each one receives every event committed after that.
   */
  following(topic: string): number;
  close(): Promise<void>;
}

/** What a transport delivers: a whole event, or only a topic and sequence when the event was too big to send. */
export type WireEvent = LiveEvent | { topic: string; sequence: number };

/** Carries events between processes; the bus above it orders them and fills gaps from the log. */
export interface Transport {
  /** Sends the events in their order, at once (one statement, one round trip). */
  send(events: LiveEvent[]): Promise<void>;
  /** Starts or stops receiving a topic's events (a no-op where every process receives everything). */
  watch(topic: string): Promise<void>;
  unwatch(topic: string): Promise<void>;
  close(): Promise<void>;
}

export interface TransportHandlers {
  deliver(event: WireEvent): void;
  /** The link was down for a while: every subscription re-reads the log for what it missed. */
  resync(): void;
}

export const encodeWireEvent = (e: LiveEvent) => JSON.stringify({ t: e.topic, s: e.sequence, k: e.kind, i: e.ids, a: e.at.getTime() });

export function decodeWireEvent(text: string): WireEvent {
  const m = JSON.parse(text) as { t: string; s: number; k?: LiveEvent['kind']; i?: LiveEvent['ids']; a?: number };
  return m.k ? { topic: m.t, sequence: m.s, kind: m.k, ids: m.i ?? {}, at: new Date(m.a ?? Date.now()) } : { topic: m.t, sequence: m.s };
}

/** A subscriber further behind than this is ended; its client reconnects and catches up from the log. */
const MAX_BUFFERED = 1000;

export function createBus(
  orm: MikroORM,
  log: Logger,
  transport: EventBus['transport'],
  connect: (handlers: TransportHandlers) => Transport,
): EventBus {
  const subscribers = new Map<string, Set<TopicSubscription>>();
  // A topic's subscribers wait until the transport receives it, so no event slips between.
  const watching = new Map<string, Promise<void>>();
  // Subscribers of one topic usually stand at the same sequence: one log read serves them all.
  const reads = new Map<string, Promise<LiveEvent[]>>();
  const eventLog: EventLogReader = {
    since: (topic, after) => {
      const key = `${topic}@${after}`;
      let read = reads.get(key);
      if (!read) {
        read = liveEventsSince(orm.em.fork(), topic, after).finally(() => reads.delete(key));
        reads.set(key, read);
      }
      return read;
    },
    last: (topic) => lastLiveSequence(orm.em.fork(), topic),
    log,
  };
  const link = connect({
    deliver: (event) => subscribers.get(event.topic)?.forEach((s) => s.receive(event)),
    resync: () => subscribers.forEach((set) => set.forEach((s) => s.resync())),
  });

  return {
    transport,
    publish: (events) => link.send(events),
    subscribe(topic, options = {}) {
      let set = subscribers.get(topic);
      if (!set) {
        set = new Set();
        subscribers.set(topic, set);
        watching.set(topic, link.watch(topic).catch((err) => log.error({ err, topic }, 'could not watch a live topic')));
      }
      const ready = watching.get(topic) ?? Promise.resolve();
      const subscription: TopicSubscription = new TopicSubscription(topic, eventLog, ready, options.afterSequence, () => {
        set.delete(subscription);
        if (set.size === 0 && subscribers.get(topic) === set) {
          subscribers.delete(topic);
          watching.delete(topic);
          link.unwatch(topic).catch((err) => log.warn({ err, topic }, 'could not unwatch a live topic'));
        }
      });
      set.add(subscription);
      return subscription;
    },
    following: (topic) => [...(subscribers.get(topic) ?? [])].filter((s) => s.started).length,
    close: async () => {
      subscribers.forEach((set) => set.forEach((s) => void s.return()));
      await link.close();
    },
  };
}

interface EventLogReader {
  since(topic: string, after: number): Promise<LiveEvent[]>;
  last(topic: string): Promise<number>;
  log: Logger;
}

/**
 * One subscriber's view of a topic. Events arrive in any order (two commits publish concurrently,
 * a link drops); anything that is not the next sequence sends it to the log for what lies between.
 */
class TopicSubscription implements AsyncIterableIterator<LiveEvent> {
  /** Its start position is set: the topic is watched and the sequence to follow from is known. */
  started = false;
  private last = 0;
  private readonly buffer: LiveEvent[] = [];
  private wake: (() => void) | undefined;
  private ended = false;
  private failure: Error | undefined;
  private work: Promise<void>;

  constructor(
    readonly topic: string,
    private readonly eventLog: EventLogReader,
    ready: Promise<void>,
    afterSequence: number | undefined,
    private readonly onEnd: () => void,
  ) {
    this.work = ready
      .then(() =>
        afterSequence === undefined
          ? this.guard(async () => void (this.last = await eventLog.last(topic)))
          : ((this.last = afterSequence), this.guard(() => this.catchUp())),
      )
      .then(() => void (this.started = true));
  }

  receive(event: WireEvent) {
    this.work = this.work.then(() =>
      this.guard(async () => {
        if (event.sequence <= this.last) return;
        if (event.sequence === this.last + 1 && 'kind' in event) this.push(event);
        else await this.catchUp();
      }),
    );
  }

  resync() {
    this.work = this.work.then(() => this.guard(() => this.catchUp()));
  }

  private async catchUp() {
    for (;;) {
      const events = await this.eventLog.since(this.topic, this.last);
      const before = this.last;
      events.forEach((e) => this.push(e));
      if (events.length === 0 || this.last === before || this.ended) return;
    }
  }

  private async guard(step: () => Promise<void>) {
    if (this.ended) return;
    try {
      await step();
    } catch (err) {
      // The database is unreachable for a moment: the next event or resync reads the log again.
      this.eventLog.log.warn({ err, topic: this.topic }, 'live subscription could not read the event log');
    }
  }

  private push(event: LiveEvent) {
    if (event.sequence <= this.last) return;
    this.last = event.sequence;
    if (this.buffer.length >= MAX_BUFFERED) {
      this.failure = new Error('This subscription fell too far behind; subscribe again with afterSequence to catch up');
      void this.return();
      return;
    }
    this.buffer.push(event);
    this.wake?.();
  }

  async next(): Promise<IteratorResult<LiveEvent>> {
    for (;;) {
      const event = this.buffer.shift();
      if (event) return { value: event, done: false };
      if (this.failure) throw this.failure;
      if (this.ended) return { value: undefined, done: true };
      await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = undefined;
    }
  }

  async return(): Promise<IteratorResult<LiveEvent>> {
    if (!this.ended) {
      this.ended = true;
      this.onEnd();
      this.wake?.();
    }
    return { value: undefined, done: true };
  }

  [Symbol.asyncIterator]() {
    return this;
  }
}
