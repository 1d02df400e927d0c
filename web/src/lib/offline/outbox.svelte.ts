import type { ActionResult, SubmitFunction } from '@sveltejs/kit';
import { deserialize } from '$app/forms';
import { invalidateAll } from '$app/navigation';
import type { FormFailure } from '$lib/forms';
import { allValues, readValue, removeValue, writeValue } from './device-store';
import { WRITER_HEADER } from './offline-headers';
import { seal, type Sealed } from './seal.svelte';

/** The writes a person may make without a link. */
export type OutboxKind = 'comment' | 'reply' | 'rating' | 'vote' | 'answer';

/** What a write says and where it goes: sealed for its writer on the device (seal.svelte.ts). */
interface Written {
  /** The form action it posts to, and the page it was written on. */
  action: string;
  page: string;
  fields: [string, string][];
  /** What the person wrote, to show while it waits or after it was refused. */
  text: string;
}

/** A write kept on the device until the link returns, sent with its idempotency key so it lands once. */
export interface OutboxEntry extends Written {
  /** The idempotency key, also the entry's key on the device. */
  key: string;
  /** Whose it is: only sent, and only shown, while that person is signed in. */
  person: string;
  kind: OutboxKind;
  queuedAt: number;
  /** The message key of the refusal, once the server said no: the text stays until the person lets it go. */
  refusal?: string;
}

/** An entry as the device keeps it: whose, what kind and when in clear, to list and order it; what it says sealed. */
type KeptEntry = Omit<OutboxEntry, keyof Written> & { sealed: Sealed };

/** An entry as a page lists it: what it says only once the page can open it (a page loaded without a link, once the link returns). */
export type ListedEntry = Omit<OutboxEntry, keyof Written> & Partial<Written>;

const opened = (entry: ListedEntry): entry is OutboxEntry => entry.action !== undefined;

/** The waits between tries that find no link: the first soon, then every 15 s. */
const RETRY_MS = [1_000, 3_000, 15_000];

/** A sign-in page in place of the action's answer: the session is gone, so the write waits for the next one. */
const signedOut = (result: ActionResult) => result.type === 'redirect' && result.location.startsWith('/signin');

class Outbox {
  person = $state<string | null>(null);
  online = $state(true);
  entries = $state<ListedEntry[]>([]);
  /** Sent since this page loaded, to say so. */
  sent = $state<ListedEntry[]>([]);
  /** What this page kept, in its memory only: it lists them even when it cannot open them (loaded without a link). */
  #written = new Map<string, Written>();
  /** Entries this page could not seal (the device has no key of the person's yet): in its memory only, never in clear on the device. */
  #unsealed: OutboxEntry[] = [];
  /** Action paths whose writes a form on this page sends itself (and shows beside itself): see `handOver`. */
  #handedOver = $state<string[]>([]);
  waiting = $derived(this.entries.filter((e) => !e.refusal && !this.#mine(e)));
  refused = $derived(this.entries.filter((e) => e.refusal && !this.#mine(e)));
  #sending = false;
  #retry: ReturnType<typeof setTimeout> | undefined;
  #tries = 0;
  #again = false;

  #listening = false;

  /** Called when the page runs scripts and whenever the signed-in person changes (or signs out: null). */
  async follow(person: string | null) {
    // What was sent is said to the person who sent it, not to the next one on this browser.
    if (person !== this.person) {
      this.sent = [];
      this.#written.clear();
      this.#unsealed = [];
    }
    this.person = person;
    seal.follow(person);
    if (person) void seal.know(person);
    this.online = navigator.onLine;
    if (!this.#listening) {
      this.#listening = true;
      addEventListener('online', () => {
        this.online = true;
        this.#tries = 0;
        if (this.person) void seal.ready(this.person);
        void this.send();
      });
      addEventListener('offline', () => (this.online = false));
    }
    await this.#read();
    await this.send();
  }

  /**
   * While a page's own form sends the writes posted under `path` (the assessment answers' autosave,
   * which shows each answer's state and conflicts beside it), the outbox neither sends nor lists them;
   * on any other page it does. Returns the call that gives them back.
   */
  handOver(path: string) {
    this.#handedOver = [...this.#handedOver, path];
    return () => {
      this.#handedOver = this.#handedOver.filter((p) => p !== path);
      void this.send();
    };
  }

  #mine = (entry: ListedEntry) => opened(entry) && this.#handedOver.some((path) => new URL(entry.action).pathname.startsWith(path));

  /** This person's entries kept on the device, oldest first. */
  async #read() {
    this.entries = this.person ? await this.#listed(this.person) : [];
  }

  async keep(entry: OutboxEntry) {
    const { action, page, fields, text, ...kept } = entry;
    const written: Written = { action, page, fields, text };
    this.#written.set(entry.key, written);
    const sealed = await seal.seal(entry.person, written);
    if (sealed) await writeValue('outbox', entry.key, { ...kept, sealed } satisfies KeptEntry);
    else this.#unsealed = [...this.#unsealed, entry];
    await this.#read();
    this.#later();
  }

  async discard(key: string) {
    this.#forget(key);
    await removeValue('outbox', key);
    await this.#read();
  }

  /** One person's entries, oldest first, each opened when this page can. */
  async #listed(person: string): Promise<ListedEntry[]> {
    const kept = (await allValues<KeptEntry>('outbox')).filter((e) => e.person === person);
    const listed = await Promise.all(kept.map(async ({ sealed, ...entry }) => ({ ...entry, ...(this.#written.get(entry.key) ?? (await seal.open<Written>(person, sealed))) })));
    return [...listed, ...this.#unsealed.filter((e) => e.person === person)].sort((a, b) => a.queuedAt - b.queuedAt);
  }

  /** The entries of one person this page can open, oldest first (a page's own form reading back what it handed over). */
  async of(person: string): Promise<OutboxEntry[]> {
    return (await this.#listed(person)).filter(opened);
  }

  #forget(key: string) {
    this.#written.delete(key);
    this.#unsealed = this.#unsealed.filter((e) => e.key !== key);
  }

  /** The refusal kept beside the entry, still sealed as it was. */
  async #refuse(entry: OutboxEntry, refusal: string) {
    const kept = await readValue<KeptEntry>('outbox', entry.key);
    if (kept) await writeValue('outbox', entry.key, { ...kept, refusal });
    this.#unsealed = this.#unsealed.map((e) => (e.key === entry.key ? { ...e, refusal } : e));
  }

  /** Tries again later: soon after a failed try (a link that just came back may not carry yet), then less often. */
  #later() {
    clearTimeout(this.#retry);
    if (!this.waiting.length) return;
    const wait = RETRY_MS[Math.min(this.#tries, RETRY_MS.length - 1)];
    this.#retry = setTimeout(() => void this.send(), wait);
  }

  /** Sends what waits, oldest first, one at a time; stops at the first that finds no link. */
  async send(): Promise<void> {
    // Asked again while sending (back online, a new entry): once this round ends, another.
    if (this.#sending) return void (this.#again = true);
    if (!this.person || !navigator.onLine) return this.#later();
    this.#sending = true;
    this.#again = false;
    let delivered = 0;
    let unreached = false;
    try {
      // Opened again first: the key may have come with the link.
      await this.#read();
      for (const entry of this.waiting.filter(opened)) {
        const result = await post(entry);
        if (!result || signedOut(result) || result.type === 'error') {
          unreached = true;
          break;
        }
        if (result.type === 'failure') {
          const refusal = (result.data as FormFailure | undefined)?.message ?? 'errors.INTERNAL_SERVER_ERROR';
          await this.#refuse(entry, refusal);
        } else {
          this.#forget(entry.key);
          await removeValue('outbox', entry.key);
          // Out of the waiting list in the same step as into the sent one: never counted in both.
          this.entries = this.entries.filter((e) => e.key !== entry.key);
          this.sent = [...this.sent, entry];
          delivered++;
        }
      }
    } finally {
      this.#sending = false;
      this.#tries = unreached ? this.#tries + 1 : 0;
      await this.#read();
    }
    if (delivered) await invalidateAll();
    if (this.#again && !unreached) return this.send();
    this.#later();
  }
}

/** The action's answer, as `use:enhance` would get it; undefined when there is no link. */
async function post(entry: OutboxEntry): Promise<ActionResult | undefined> {
  const body = new FormData();
  for (const [name, value] of entry.fields) body.append(name, value);
  try {
    const response = await fetch(entry.action, { method: 'POST', body, cache: 'no-store', headers: { accept: 'application/json', 'x-sveltekit-action': 'true', [WRITER_HEADER]: entry.person } });
    return deserialize(await response.text());
  } catch {
    return undefined;
  }
}

export const outbox = new Outbox();

/**
 * A fresh idempotency key (a version 4 UUID). `crypto.randomUUID` exists only in secure contexts
 * (https, localhost); `getRandomValues` everywhere, so a phone on a plain-http intranet gets keys too.
 */
export function newKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const hex = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * `use:enhance` for a form a person may send without a link: each submission gets an idempotency key;
 * with no link, or when the request never got its answer (it may have landed: the key makes the retry
 * harmless), the form's text goes to the outbox and the form empties as if sent. `then` is the form's
 * own handling otherwise. Without scripts none of this runs: the form posts as before.
 */
export function keptWhenOffline(kind: OutboxKind, textField: string, then?: SubmitFunction): SubmitFunction {
  return async (input) => {
    const person = outbox.person;
    if (!person) return then?.(input);
    if (!input.formData.get('idempotencyKey')) input.formData.set('idempotencyKey', newKey());
    const fields = [...input.formData].filter((pair): pair is [string, string] => typeof pair[1] === 'string');
    const entry: OutboxEntry = {
      key: String(input.formData.get('idempotencyKey')),
      person,
      kind,
      action: input.action.href,
      page: location.pathname,
      fields,
      text: String(input.formData.get(textField) ?? ''),
      queuedAt: Date.now(),
    };
    if (!navigator.onLine) {
      input.cancel();
      await outbox.keep(entry);
      HTMLFormElement.prototype.reset.call(input.formElement);
      return;
    }
    const after = await then?.(input);
    return async (answer) => {
      // fetch's TypeError: no answer came (the link dropped before or after the server wrote).
      if (answer.result.type === 'error' && answer.result.error instanceof TypeError) {
        await outbox.keep(entry);
        HTMLFormElement.prototype.reset.call(answer.formElement);
        return;
      }
      if (after) return after(answer);
      await answer.update();
    };
  };
}
