import { invalidateAll } from '$app/navigation';
import { navigating } from '$app/state';
import type { LiveEventKind } from '$lib/graphql/generated';

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

/** Resolves once no navigation is in flight, whether it finished, was cancelled or failed. */
async function navigationSettled() {
  let seen: Promise<void> | null = null;
  for (let next = navigating.complete; next && next !== seen; next = navigating.complete) {
    seen = next;
    await next.catch(() => {});
  }
}

/**
 * What a page does with live events: reloads its data at once when the reader is only reading,
 * and otherwise counts what changed so a marker ("3 new comments — show") lets them choose when.
 * Pages where the reader works through a list (the disposition queue) always wait for "show".
 * A reload waits for any navigation in flight: invalidateAll() would cancel it, and a click on a
 * link just as an event arrives would be lost. It also waits while `linkUp` says the API is out of
 * reach: a failed reload would put the error page in place of this one.
 */
export class LiveChanges {
  newComments = $state(0);
  otherChanges = $state(0);
  #timer: ReturnType<typeof setTimeout> | undefined;
  #stopped = false;
  /** "Show" was pressed while the link was down. */
  #asked = false;

  constructor(
    private readonly applyWhileReading = true,
    private readonly linkUp: () => boolean = () => true,
  ) {}

  get pending() {
    return this.newComments + this.otherChanges > 0;
  }

  note(event: LiveEventSummary) {
    if (NEW_COMMENT.includes(event.kind)) this.newComments++;
    else this.otherChanges++;
    // A burst of events (a bulk disposition, a catch-up) reloads once.
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.#applyWhileReading(), 250);
  }

  async #applyWhileReading() {
    if (!this.applyWhileReading) return;
    await navigationSettled();
    // A navigation that left the page, or brought it fresh data, leaves nothing to do.
    if (this.#stopped || !this.pending || readerIsBusy() || !this.linkUp()) return;
    await this.#reload();
  }

  async show() {
    clearTimeout(this.#timer);
    await navigationSettled();
    if (this.#stopped) return;
    this.#asked = !this.linkUp();
    if (!this.#asked) await this.#reload();
  }

  /** The link is back: what waited for it is applied now. */
  linkBack() {
    if (this.#asked) void this.show();
    else void this.#applyWhileReading();
  }

  async #reload() {
    this.newComments = 0;
    this.otherChanges = 0;
    await invalidateAll();
  }

  /** The page is gone: nothing more to reload. */
  stop() {
    this.#stopped = true;
    clearTimeout(this.#timer);
  }

  /** The page reloaded its data for another reason (a form was sent): nothing is pending any more. */
  clear() {
    this.newComments = 0;
    this.otherChanges = 0;
    this.#asked = false;
  }
}
