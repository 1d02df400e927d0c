import type { ActionResult, SubmitFunction } from '@sveltejs/kit';
import { deserialize } from '$app/forms';
import { invalidateAll } from '$app/navigation';
import type { FormFailure } from '$lib/forms';
import { allValues, removeValue, writeValue } from './device-store';

/** The writes a person may make without a link. */
export type OutboxKind = 'comment' | 'reply' | 'rating' | 'vote';

/** A write kept on the device until the link returns, sent with its idempotency key so it lands once. */
export interface OutboxEntry {
  /** The idempotency key, also the entry's key on the device. */
  key: string;
  /** Whose it is: only sent, and only shown, while that person is signed in. */
  person: string;
  kind: OutboxKind;
  /** The form action it posts to, and the page it was written on. */
  action: string;
  page: string;
  fields: [string, string][];
  /** What the person wrote, to show while it waits or after it was refused. */
  text: string;
  queuedAt: number;
  /** The message key of the refusal, once the server said no: the text stays until the person lets it go. */
  refusal?: string;
}

const RETRY_MS = 15_000;

/** A sign-in page in place of the action's answer: the session is gone, so the write waits for the next one. */
const signedOut = (result: ActionResult) => result.type === 'redirect' && result.location.startsWith('/signin');

class Outbox {
  person = $state<string | null>(null);
  online = $state(true);
  entries = $state<OutboxEntry[]>([]);
  /** Sent since this page loaded, to say so. */
  sent = $state<OutboxEntry[]>([]);
  waiting = $derived(this.entries.filter((e) => !e.refusal));
  refused = $derived(this.entries.filter((e) => e.refusal));
  #sending = false;
  #retry: ReturnType<typeof setTimeout> | undefined;

  #listening = false;

  /** Called when the page runs scripts and whenever the signed-in person changes (or signs out: null). */
  async follow(person: string | null) {
    this.person = person;
    this.online = navigator.onLine;
    if (!this.#listening) {
      this.#listening = true;
      addEventListener('online', () => {
        this.online = true;
        void this.send();
      });
      addEventListener('offline', () => (this.online = false));
    }
    await this.#read();
    await this.send();
  }

  async #read() {
    const all = await allValues<OutboxEntry>('outbox');
    this.entries = all.filter((e) => e.person === this.person).sort((a, b) => a.queuedAt - b.queuedAt);
  }

  async keep(entry: OutboxEntry) {
    await writeValue('outbox', entry.key, entry);
    await this.#read();
    this.#later();
  }

  async discard(key: string) {
    await removeValue('outbox', key);
    await this.#read();
  }

  #later() {
    clearTimeout(this.#retry);
    if (this.waiting.length) this.#retry = setTimeout(() => void this.send(), RETRY_MS);
  }

  /** Sends what waits, oldest first, one at a time; stops at the first that finds no link. */
  async send() {
    if (this.#sending || !this.person || !navigator.onLine) return this.#later();
    this.#sending = true;
    let delivered = 0;
    try {
      for (const entry of [...this.waiting]) {
        const result = await post(entry);
        if (!result || signedOut(result) || result.type === 'error') break;
        if (result.type === 'failure') {
          const failure = result.data as FormFailure | undefined;
          await writeValue('outbox', entry.key, { ...$state.snapshot(entry), refusal: failure?.message ?? 'errors.INTERNAL_SERVER_ERROR' });
        } else {
          await removeValue('outbox', entry.key);
          this.sent = [...this.sent, entry];
          delivered++;
        }
      }
    } finally {
      this.#sending = false;
      await this.#read();
      this.#later();
    }
    if (delivered) await invalidateAll();
  }
}

/** The action's answer, as `use:enhance` would get it; undefined when there is no link. */
async function post(entry: OutboxEntry): Promise<ActionResult | undefined> {
  const body = new FormData();
  for (const [name, value] of entry.fields) body.append(name, value);
  try {
    const response = await fetch(entry.action, { method: 'POST', body, cache: 'no-store', headers: { accept: 'application/json', 'x-sveltekit-action': 'true' } });
    return deserialize(await response.text());
  } catch {
    return undefined;
  }
}

export const outbox = new Outbox();

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
    if (!input.formData.get('idempotencyKey')) input.formData.set('idempotencyKey', crypto.randomUUID());
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
