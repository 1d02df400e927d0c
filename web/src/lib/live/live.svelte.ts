import { invalidateAll } from '$app/navigation';
import { stringifyDocument } from '@urql/core';
import { createClient, type Client } from 'graphql-ws';
import {
  BallotActivityDocument,
  LiveSequenceDocument,
  RoundActivityDocument,
  type LiveEventKind,
} from '$lib/graphql/generated';
import { browserClient } from '$lib/graphql/client';

/** What a page follows live. */
export type LiveSubject = { round: string; indicatorVersion?: string | null } | { ballot: string };

/**
 * connecting → live; reconnecting after a drop; signed-out when the session ended (4401);
 * off when the viewer may not follow this topic (the page keeps what it loaded).
 */
export type LiveStatus = 'connecting' | 'live' | 'reconnecting' | 'signed-out' | 'off';

export interface LiveEventSummary {
  sequence: number;
  kind: LiveEventKind;
}

/** The API's topic name for a subject. */
export const topicOf = (s: LiveSubject) =>
  'ballot' in s ? `ballot:${s.ballot}` : s.indicatorVersion ? `indicator:${s.round}:${s.indicatorVersion}` : `round:${s.round}`;

let socket: Client | undefined;
let connected = false;
const whenConnected = new Set<() => void>();

/** One WebSocket per tab through this origin's /graphql, opened while something follows; the feeds below reconnect. */
function liveSocket(): Client {
  socket ??= createClient({
    url: () => `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/graphql`,
    lazy: true,
    lazyCloseTimeout: 3000,
    retryAttempts: 0,
    on: {
      connected: () => {
        connected = true;
        whenConnected.forEach((fn) => fn());
      },
      closed: () => void (connected = false),
    },
  });
  return socket;
}

/** 0.5 s, 1 s, 2 s … at most 15 s, with jitter so a restarted API is not hit by every page at once. */
export function reconnectDelay(attempt: number): number {
  const ceiling = Math.min(15_000, 500 * 2 ** attempt);
  return ceiling / 2 + Math.random() * (ceiling / 2);
}

const isUnauthorized = (e: unknown) => typeof e === 'object' && e !== null && (e as { code?: number }).code === 4401;

/**
 * Follows one topic: subscribes from the sequence the page was loaded at and, after any drop,
 * subscribes again from the last sequence it saw, so the server replays what was missed
 * (the same log `liveEventsSince` reads) before going on live.
 */
export class LiveFeed {
  status = $state<LiveStatus>('connecting');
  lastSequence = $state(-1);
  #attempt = 0;
  #unsubscribe: (() => void) | undefined;
  #retry: ReturnType<typeof setTimeout> | undefined;
  #stopped = false;

  constructor(
    readonly subject: LiveSubject,
    private readonly onEvent: (event: LiveEventSummary) => void,
  ) {}

  start() {
    this.#stopped = false;
    void this.#begin();
  }

  /** Where the page stands first (the topic's sequence now), then the subscription from there. */
  async #begin() {
    if (this.lastSequence < 0) {
      const r = await browserClient().query(LiveSequenceDocument, { topic: topicOf(this.subject) }, { requestPolicy: 'network-only' }).toPromise();
      if (this.#stopped) return;
      if (!r.data) return this.#refusedOrDropped(r.error?.graphQLErrors[0]?.extensions.code);
      this.lastSequence = r.data.liveSequence;
    }
    this.#subscribe();
  }

  stop() {
    this.#stopped = true;
    whenConnected.delete(this.#live);
    clearTimeout(this.#retry);
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
  }

  #subscribe() {
    const afterSequence = this.lastSequence >= 0 ? this.lastSequence : null;
    const payload =
      'ballot' in this.subject
        ? { query: stringifyDocument(BallotActivityDocument), variables: { ballotId: this.subject.ballot, afterSequence } }
        : { query: stringifyDocument(RoundActivityDocument), variables: { roundId: this.subject.round, indicatorVersionId: this.subject.indicatorVersion ?? null, afterSequence } };
    this.#unsubscribe = liveSocket().subscribe<Record<string, unknown>>(payload, {
      next: ({ data, errors }) => {
        if (!data && errors?.length) return this.#refusedOrDropped(errors[0].extensions?.code);
        const event = (data?.roundActivity ?? (data?.ballotTally as { event?: unknown } | undefined)?.event) as LiveEventSummary | undefined;
        if (!event || event.sequence <= this.lastSequence) return;
        this.lastSequence = event.sequence;
        this.onEvent(event);
      },
      error: (err) => this.#dropped(err),
      complete: () => this.#dropped(null),
    });
    // graphql-ws does not confirm a subscription; an acknowledged socket is close enough to call it live.
    if (connected) this.#live();
    else whenConnected.add(this.#live);
  }

  #live = () => {
    whenConnected.delete(this.#live);
    this.status = 'live';
    this.#attempt = 0;
  };

  /** A GraphQL error is an answer (no session, not allowed): trying again would not change it. */
  #refusedOrDropped(code: unknown) {
    if (!code) return this.#dropped(null);
    this.stop();
    this.status = code === 'UNAUTHENTICATED' ? 'signed-out' : 'off';
  }

  #dropped(err: unknown) {
    this.#unsubscribe = undefined;
    whenConnected.delete(this.#live);
    if (this.#stopped) return;
    if (isUnauthorized(err)) {
      this.status = 'signed-out';
      return;
    }
    this.status = 'reconnecting';
    this.#retry = setTimeout(() => void this.#begin(), reconnectDelay(this.#attempt++));
  }
}

/** True while the reader writes or selects a passage: the page must not move under them. */
export function readerIsBusy(): boolean {
  const el = document.activeElement;
  const writing =
    el instanceof HTMLTextAreaElement ||
    (el instanceof HTMLInputElement && !['button', 'submit', 'checkbox', 'radio', 'reset'].includes(el.type)) ||
    (el instanceof HTMLElement && el.isContentEditable);
  return writing || (document.getSelection()?.toString().length ?? 0) > 0;
}

const NEW_COMMENT: LiveEventKind[] = ['COMMENT_ADDED', 'REPLY_ADDED'];

/**
 * What a page does with live events: reloads its data at once when the reader is only reading,
 * and otherwise counts what changed so a marker ("3 new comments — show") lets them choose when.
 * Pages where the reader works through a list (the disposition queue) always wait for "show".
 */
export class LiveChanges {
  newComments = $state(0);
  otherChanges = $state(0);
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly applyWhileReading = true) {}

  get pending() {
    return this.newComments + this.otherChanges > 0;
  }

  note(event: LiveEventSummary) {
    if (NEW_COMMENT.includes(event.kind)) this.newComments++;
    else this.otherChanges++;
    // A burst of events (a bulk disposition, a catch-up) reloads once.
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      if (this.applyWhileReading && !readerIsBusy()) void this.show();
    }, 250);
  }

  async show() {
    clearTimeout(this.#timer);
    this.newComments = 0;
    this.otherChanges = 0;
    await invalidateAll();
  }

  /** The page reloaded its data for another reason (a form was sent): nothing is pending any more. */
  clear() {
    this.newComments = 0;
    this.otherChanges = 0;
  }
}
