import { confirmAndReturn, takeConfirmation } from '$lib/confirmation.server';
import { formFailure } from '$lib/forms.server';
import { UnsubscribeFromNotificationsDocument } from '$lib/graphql/generated';
import type { Actions, PageServerLoad } from './$types';

/** The page an unsubscribe link opens, signed in or not: opening it changes nothing; its button does. */
export const load: PageServerLoad = (event) => ({ token: event.url.searchParams.get('token') ?? '', confirmation: takeConfirmation(event) });

export const actions: Actions = {
  default: async (event) => {
    const token = String((await event.request.formData()).get('token') ?? '');
    const result = await event.locals.api.mutation(UnsubscribeFromNotificationsDocument, { token }).toPromise();
    if (result.error || !result.data) return formFailure(result.error, { token }, { form: 'unsubscribe' });
    confirmAndReturn(event, { form: 'unsubscribe', kinds: result.data.unsubscribeFromNotifications }, 'unsubscribe-heading');
  },
};
