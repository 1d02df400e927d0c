import type { CombinedError } from '@urql/core';
import { formFailure } from '$lib/forms.server';
import { hasMessage } from '$lib/i18n/catalog.server';
import { problemOf } from '$lib/graphql/problems';

/** `formFailure`, with the ballot's own reasons (closed, not eligible, reason required…) from the ballots catalog. */
export function ballotFailure(err: CombinedError | undefined, values: Record<string, string>, options: { form?: string; otherFields?: string[] } = {}) {
  const failure = formFailure(err, values, options);
  const reason = problemOf(err)?.reason;
  if (reason && hasMessage(`ballots.error.${reason}`)) {
    failure.data.message = `ballots.error.${reason}`;
    for (const name of Object.keys(failure.data.fields)) failure.data.fields[name] = `ballots.error.${reason}`;
  }
  return failure;
}
