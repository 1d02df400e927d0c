import { messagesFor } from '$lib/i18n/catalog.server';
import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = ({ locals }) => ({
  viewer: locals.viewer,
  // Only the active locale's messages travel to the browser.
  i18n: { locale: locals.locale, timeZone: locals.timeZone, messages: messagesFor(locals.locale) },
});
