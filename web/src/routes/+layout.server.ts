import { messagesFor } from '$lib/i18n/catalog.server';
import type { LayoutServerLoad } from './$types';
import { dataSaverOf } from '$lib/offline/data-saver.server';
import { UnreadNotificationCountDocument } from '$lib/graphql/generated';

export const load: LayoutServerLoad = async ({ locals, request, cookies }) => ({
  viewer: locals.viewer,
  // The header's count of unread notifications, for a signed-in viewer.
  unreadNotifications: locals.viewer ? ((await locals.api.query(UnreadNotificationCountDocument, {}).toPromise()).data?.unreadNotificationCount ?? 0) : 0,
  dataSaver: dataSaverOf(request, cookies),
  // Only the active locale's messages travel to the browser.
  i18n: { locale: locals.locale, timeZone: locals.timeZone, messages: messagesFor(locals.locale) },
});
