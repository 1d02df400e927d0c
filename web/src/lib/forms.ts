import type { SubmitFunction } from '@sveltejs/kit';

/** What a failed form action returns: the message keys to show above the form and next to each field. */
export interface FormFailure {
  /** Which form failed, when a page has several. */
  form?: string;
  message: string;
  fields: Record<string, string>;
  values: Record<string, string>;
}

/**
 * What a form action that succeeded tells the page it returns to: which form, and what it did, in a few
 * plain values the page puts into words (a count, the new comment's id).
 */
export interface Confirmation {
  form: string;
  [detail: string]: unknown;
}

/**
 * For `use:enhance` on a form whose typed values are sent once (a comment, a new theme): when the action
 * succeeds and returns to its page (a redirect), the form is emptied, as a fresh page would show it; a
 * refused form keeps what was typed.
 */
export const clearWhenSent: SubmitFunction = ({ formElement }) => async ({ result, update }) => {
  if (result.type === 'redirect') HTMLFormElement.prototype.reset.call(formElement);
  await update();
};

/**
 * The values form `name` came back with, as typed: after a refusal (`FormFailure`), or after a
 * picker's search without scripts (`pickerSearchAction`). Null when that form did not come back.
 */
export function typedValues(form: unknown, name: string): Record<string, string> | null {
  const returned = form as { form?: string; values?: Record<string, string> } | null | undefined;
  return returned?.values && returned.form === name ? returned.values : null;
}

/** A list among those values (ticked boxes, joined by commas), or null when the form did not come back with it. */
export function typedList(values: Record<string, string> | null, field: string): Set<string> | null {
  const joined = values?.[field];
  return joined === undefined ? null : new Set(joined.split(',').filter(Boolean));
}
