import { fail } from '@sveltejs/kit';
import type { CombinedError } from '@urql/core';
import { hasMessage } from './i18n/catalog.server.js';
import type { FormFailure } from './forms.js';
import { problemOf, type Problem } from './graphql/problems.js';

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
 * The action result for an API error. Problems with a field of this form (`values`' names and `otherFields`,
 * e.g. the password, which is never sent back) are shown next to it and the notice above says to check them;
 * any other problem is the notice itself.
 */
export function formFailure(
  error: CombinedError | undefined,
  values: Record<string, string>,
  options: { form?: string; otherFields?: string[] } = {},
) {
  const problem = problemOf(error) ?? { code: 'INTERNAL_SERVER_ERROR', fields: [] };
  const known = new Set([...Object.keys(values), ...(options.otherFields ?? [])]);
  const fields: Record<string, string> = {};
  for (const { field } of problem.fields) {
    const name = field.split('.').at(-1)!;
    if (!known.has(name)) continue;
    fields[name] = problem.reason && hasMessage(`errors.${problem.reason}`)
      ? `errors.${problem.reason}`
      : hasMessage(`errors.field.${name}`) ? `errors.field.${name}` : 'errors.field.invalid';
  }
  const onFields = Object.keys(fields).length > 0 && problem.fields.every((f) => known.has(f.field.split('.').at(-1)!));
  const message = onFields ? 'errors.BAD_USER_INPUT' : messageKey(problem);
  return fail(statusOf[problem.code] ?? 502, { form: options.form, message, fields, values } satisfies FormFailure);
}

/** The form's text fields as strings (never the password), to refill the form after a failure. */
export function formValues(data: FormData, ...names: string[]): Record<string, string> {
  return Object.fromEntries(names.map((n) => [n, String(data.get(n) ?? '')]));
}
