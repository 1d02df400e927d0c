import { readValue, removeValue, writeValue } from './device-store';
import { seal, type Sealed } from './seal.svelte';

/** What a person had typed into a form, kept on the device per person, page and form, sealed for that person. */
export interface Draft {
  fields: Record<string, string>;
  savedAt: number;
}

/** Per person, so a shared phone offers nobody another's draft; per page and form, so each comes back where it was written. */
export const draftKey = (person: string, page: string, form: string) => `${person} ${page} ${form}`;

// Sealing takes a moment: each change waits for the one before, so a draft forgotten (sent) is not kept again after.
let last: Promise<unknown> = Promise.resolve();
const inTurn = (change: () => Promise<unknown>) => (last = last.then(change, change));

/** The draft, when this page can open it (see seal.svelte.ts); undefined otherwise. */
export const readDraft = async (person: string, key: string) => seal.open<Draft>(person, await readValue<Sealed>('drafts', key));
export const forgetDraft = (key: string) => inTurn(() => removeValue('drafts', key));

/** Keeps the typed fields, sealed; a form emptied of text keeps nothing. A device with no key of the person's keeps nothing new. */
export function keepDraft(person: string, key: string, fields: Record<string, string>) {
  if (!Object.values(fields).some((v) => v.trim())) return forgetDraft(key);
  return inTurn(async () => {
    const sealed = await seal.seal(person, { fields, savedAt: Date.now() } satisfies Draft);
    if (sealed) await writeValue('drafts', key, sealed);
  });
}
