import { error, type RequestEvent } from '@sveltejs/kit';
import type { CombinedError } from '@urql/core';
import type { Locale } from '$lib/graphql/generated';
import { problemOf } from '$lib/graphql/problems';

/** The GraphQL language for the page's locale: `es` → `ES`. */
export const apiLanguage = (event: Pick<RequestEvent, 'locals'>) => event.locals.locale.toUpperCase() as Locale;

/** The error page for a failed load, with the API's code as the HTTP status. */
export function loadFailed(err: CombinedError | undefined): never {
  const code = problemOf(err)?.code;
  error(code === 'NOT_FOUND' ? 404 : code === 'FORBIDDEN' ? 403 : code === 'UNAUTHENTICATED' ? 401 : 502, code ?? 'API');
}
