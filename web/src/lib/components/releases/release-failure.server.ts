import type { CombinedError } from '@urql/core';
import { formFailure } from '$lib/forms.server';
import { problemOf } from '$lib/graphql/problems';

/** formFailure, with a release refusal (RELEASE_…) said in the releases messages next to its field, or as the notice. */
export function releaseFailure(error: CombinedError | undefined, values: Record<string, string>, options: { form?: string; otherFields?: string[] } = {}) {
  const failure = formFailure(error, values, options);
  const reason = problemOf(error)?.reason;
  if (reason?.startsWith('RELEASE_')) {
    const key = `releases.errors.${reason}`;
    const fields = Object.keys(failure.data.fields);
    if (fields.length) for (const name of fields) failure.data.fields[name] = key;
    else failure.data.message = key;
  }
  return failure;
}
