import type { CombinedError } from '@urql/core';
import { formFailure } from '$lib/forms.server';
import { hasMessage } from '$lib/i18n/catalog.server';
import { problemOf } from '$lib/graphql/problems';

/**
 * `formFailure`, with the consultation's own reasons (round closed, not in the audience, …) in the
 * consultation catalog, so the person reads what happened and what to do.
 */
export function consultationFailure(err: CombinedError | undefined, values: Record<string, string>, options: { form?: string; otherFields?: string[] } = {}) {
  const failure = formFailure(err, values, options);
  const reason = problemOf(err)?.reason;
  if (reason && hasMessage(`consultation.error.${reason}`)) failure.data.message = `consultation.error.${reason}`;
  return failure;
}
