import { error } from '@sveltejs/kit';
import { requireViewer } from '$lib/auth.server';
import { confirmAndReturn, takeConfirmation } from '$lib/confirmation.server';
import { formFailure } from '$lib/forms.server';
import { MarkNotificationsReadDocument, MyNotificationsDocument, type Locale } from '$lib/graphql/generated';
import type { Actions, PageServerLoad } from './$types';

const PAGE_SIZE = 20;

export const load: PageServerLoad = async (event) => {
  requireViewer(event);
  const after = event.url.searchParams.get('after');
  const result = await event.locals.api
    .query(MyNotificationsDocument, { first: PAGE_SIZE, after, language: event.locals.locale.toUpperCase() as Locale })
    .toPromise();
  if (!result.data) error(after ? 404 : 500, after ? 'NOT_FOUND' : 'INTERNAL_SERVER_ERROR');
  return { page: result.data.myNotifications, after, confirmation: takeConfirmation(event) };
};

async function markRead(event: Parameters<Actions[string]>[0], ids: string[] | null) {
  requireViewer(event);
  const result = await event.locals.api.mutation(MarkNotificationsReadDocument, { ids }).toPromise();
  if (result.error || result.data == null) return formFailure(result.error, {}, { form: 'read' });
  confirmAndReturn(event, { form: 'read', count: result.data.markNotificationsRead }, 'notifications-heading');
}

export const actions: Actions = {
  read: async (event) => markRead(event, [String((await event.request.formData()).get('id') ?? '')]),
  readAll: async (event) => markRead(event, null),
};
