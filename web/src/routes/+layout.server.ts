import { messagesFor } from '$lib/i18n/catalog.server';
import type { LayoutServerLoad } from './$types';
import { dataSaverOf } from '$lib/offline/data-saver.server';

export const load: LayoutServerLoad = async ({ locals, request, cookies }) => ({
  viewer: locals.viewer,
  // The header's count of unread notifications, read with the viewer (hooks.server.ts).
  unreadNotifications: locals.viewer?.unreadNotificationCount ?? 0,
  dataSaver: dataSaverOf(request, cookies),
  // Only the active locale's messages travel to the browser.
  i18n: { locale: locals.locale, timeZone: locals.timeZone, messages: messagesFor(locals.locale) },
});
