import { error, type RequestEvent } from '@sveltejs/kit';
import type { CombinedError } from '@urql/core';
import { toApiLocale } from '$lib/i18n/locales';
import { httpStatus, problemOf } from '$lib/graphql/problems';

/** The GraphQL language for the page's locale: `es` → `ES`. */
export const apiLanguage = (event: Pick<RequestEvent, 'locals'>) => toApiLocale(event.locals.locale);

/** The error page for a failed load, with the API's code as the HTTP status. */
export function loadFailed(err: CombinedError | undefined): never {
  const code = problemOf(err)?.code;
  error(httpStatus(code), code ?? 'API');
}
