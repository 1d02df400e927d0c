import { messagesFor } from '$lib/i18n/catalog.server';
import type { LayoutServerLoad } from './$types';
import { dataSaverOf } from '$lib/offline/data-saver.server';

export const load: LayoutServerLoad = ({ locals, request, cookies }) => ({
  viewer: locals.viewer,
  dataSaver: dataSaverOf(request, cookies),
  // Only the active locale's messages travel to the browser.
  i18n: { locale: locals.locale, timeZone: locals.timeZone, messages: messagesFor(locals.locale) },
});
