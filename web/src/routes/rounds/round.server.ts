import { error, type RequestEvent } from '@sveltejs/kit';
import type { CombinedError } from '@urql/core';
import { formFailure } from '$lib/forms.server';
import { hasMessage } from '$lib/i18n/catalog.server';
import { problemOf } from '$lib/graphql/problems';

/** The error page for a failed load: the API's code as the HTTP status. */
export function loadFailed(err: CombinedError | undefined): never {
  const code = problemOf(err)?.code;
  error(code === 'NOT_FOUND' ? 404 : code === 'FORBIDDEN' ? 403 : code === 'UNAUTHENTICATED' ? 401 : 502, code ?? 'API');
}

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

/** The GraphQL language for the page's locale: `es` → `ES`. */
export const apiLanguage = (event: Pick<RequestEvent, 'locals'>) => event.locals.locale.toUpperCase() as 'ES' | 'EN' | 'PT' | 'FR';
