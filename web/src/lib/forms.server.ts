import { fail } from '@sveltejs/kit';
import type { CombinedError } from '@urql/core';
import { hasMessage } from './i18n/catalog.server.js';
import type { FormFailure } from './forms.js';
import { httpStatus, problemOf, type Problem } from './graphql/problems.js';

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
  return fail(httpStatus(problem.code), { form: options.form, message, fields, values } satisfies FormFailure);
}

/** The form's text fields as strings (never the password), to refill the form after a failure. */
export function formValues(data: FormData, ...names: string[]): Record<string, string> {
  return Object.fromEntries(names.map((n) => [n, String(data.get(n) ?? '')]));
}

/** A refusal said next to its fields (`fields`: name → message key), e.g. one found before asking the API (a date that is not one). */
export function fieldFailure(form: string, values: Record<string, string>, fields: Record<string, string>, status = 400) {
  return fail(status, { form, message: 'errors.BAD_USER_INPUT', fields, values } satisfies FormFailure);
}
