import { readValue, removeValue, writeValue } from './device-store';

/** What a person had typed into a form, kept on the device per person, page and form. */
export interface Draft {
  fields: Record<string, string>;
  savedAt: number;
}

/** Per person, so a shared phone offers nobody another's draft; per page and form, so each comes back where it was written. */
export const draftKey = (person: string, page: string, form: string) => `${person} ${page} ${form}`;

export const readDraft = (key: string) => readValue<Draft>('drafts', key);
export const forgetDraft = (key: string) => removeValue('drafts', key);

/** Keeps the typed fields; a form emptied of text keeps nothing. */
export function keepDraft(key: string, fields: Record<string, string>) {
  const typed = Object.values(fields).some((v) => v.trim());
  return typed ? writeValue('drafts', key, { fields, savedAt: Date.now() } satisfies Draft) : forgetDraft(key);
}
