import { fail } from '@sveltejs/kit';
import type { CombinedError } from '@urql/core';
import { hasMessage } from './i18n/catalog.server.js';
import { problemOf, type Problem } from './graphql/problems.js';

/** What a failed form action returns: the message keys to show above the form and next to each field. */
export interface FormFailure {
  /** Which form failed, when a page has several. */
  form?: string;
  message: string;
  fields: Record<string, string>;
  values: Record<string, string>;
}

const statusOf: Record<string, number> = {
  BAD_USER_INPUT: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  RATE_LIMITED: 429,
};

/** The translated message key for a problem: its reason when the catalogs know it, else its code. */
export function messageKey(problem: Problem): string {
  if (problem.reason && hasMessage(`errors.${problem.reason}`)) return `errors.${problem.reason}`;
  return hasMessage(`errors.${problem.code}`) ? `errors.${problem.code}` : 'errors.INTERNAL_SERVER_ERROR';
}

/**
 * The action result for an API error, with field-level messages keyed by the form's field names
 * (the API's input field names), so a page shows each message next to its field.
 */
export function formFailure(error: CombinedError | undefined, values: Record<string, string>, form?: string) {
  const problem = problemOf(error) ?? { code: 'INTERNAL_SERVER_ERROR', fields: [] };
  const message = messageKey(problem);
  const fields: Record<string, string> = {};
  for (const { field } of problem.fields) {
    const name = field.split('.').at(-1)!;
    fields[name] = problem.reason && hasMessage(`errors.${problem.reason}`)
      ? `errors.${problem.reason}`
      : hasMessage(`errors.field.${name}`) ? `errors.field.${name}` : 'errors.field.invalid';
  }
  return fail(statusOf[problem.code] ?? 502, { form, message, fields, values } satisfies FormFailure);
}

/** The form's text fields as strings (never the password), to refill the form after a failure. */
export function formValues(data: FormData, ...names: string[]): Record<string, string> {
  return Object.fromEntries(names.map((n) => [n, String(data.get(n) ?? '')]));
}
