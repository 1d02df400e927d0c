// The network side of following a topic (the API client and the WebSocket): pages load it once they are
// interactive, so reading a page never waits for it.
import { stringifyDocument } from '@urql/core';
import { createClient, type Client } from 'graphql-ws';
import { BallotActivityDocument, LiveSequenceDocument, RoundActivityDocument } from '$lib/graphql/generated';
import { browserClient } from '$lib/graphql/client';
import { topicOf, type LiveEventSummary, type LiveStatus, type LiveSubject } from './live.svelte';

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
 * Follows one topic: subscribes from the sequence the page was loaded at (read by its loader before
 * its data; without one, the topic's sequence as the feed starts) and, after any drop, subscribes
 * again from the last sequence it saw, so the server replays what was missed (the same log
 * `liveEventsSince` reads) before going on live.
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
    fromSequence: number | null,
    private readonly onEvent: (event: LiveEventSummary) => void,
  ) {
    this.lastSequence = fromSequence ?? -1;
  }

  start() {
    this.#stopped = false;
    void this.#begin();
  }

  /** Where the page stands first (unless its loader said), then the subscription from there. */
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
