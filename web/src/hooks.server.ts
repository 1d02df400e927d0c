import type { Handle } from '@sveltejs/kit';
import { env } from '$env/dynamic/private';
import { apiClient, SESSION_COOKIE } from '$lib/graphql/client.server';
import { ViewerDocument } from '$lib/graphql/generated';
import { defaultLocale, fromAcceptLanguage, isLocale, LOCALE_COOKIE, TIME_ZONE_COOKIE, validTimeZone, type Locale } from '$lib/i18n/locales';
import type { Viewer } from '$lib/viewer';
import { markForOffline } from '$lib/offline/offline-marks.server';
import { otherWriter } from '$lib/offline/writer.server';
import { cachePublicPage } from '$lib/public-cache.server';

const apiUrl = env.API_URL || 'http://127.0.0.1:4000';

export const handle: Handle = async ({ event, resolve }) => {
  event.locals.api = apiClient(event, apiUrl);
  event.locals.viewer = event.cookies.get(SESSION_COOKIE) ? await loadViewer(event.locals.api) : null;
  event.locals.locale = chooseLocale(event.cookies.get(LOCALE_COOKIE), event.locals.viewer, event.request.headers.get('accept-language'));
  event.locals.timeZone = validTimeZone(event.cookies.get(TIME_ZONE_COOKIE));
  const refused = otherWriter(event);
  if (refused) return refused;
  const response = await resolve(event, {
    // urql's fetch in server loads reads content-type; SvelteKit hides response headers unless allowed here.
    filterSerializedResponseHeaders: (name) => name === 'content-type',
    transformPageChunk: ({ html }) => html.replace('%lang%', event.locals.locale),
  });
  markForOffline(event, response);
  return cachePublicPage(event, response);
};

async function loadViewer(api: App.Locals['api']): Promise<Viewer | null> {
  const result = await api.query(ViewerDocument, {}).toPromise();
  if (result.error) console.error(`web: could not read the viewer from the API: ${result.error.message}`);
  return result.data?.me ?? null;
}

/** The explicit choice (cookie), else the account's language, else the browser's, else Spanish. */
function chooseLocale(choice: string | undefined, viewer: Viewer | null, acceptLanguage: string | null): Locale {
  if (isLocale(choice)) return choice;
  const account = viewer?.language.toLowerCase();
  if (isLocale(account)) return account;
  return fromAcceptLanguage(acceptLanguage) ?? defaultLocale;
}
