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
