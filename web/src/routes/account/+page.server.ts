import { error, redirect } from '@sveltejs/kit';
import { requireViewer } from '$lib/auth.server';
import { confirmAndReturn, takeConfirmation } from '$lib/confirmation.server';
import { fieldFailure, formFailure, formValues } from '$lib/forms.server';
import {
  ChangeMyPasswordDocument,
  DeleteMyAccountDocument,
  MyAccountDocument,
  MyNotificationPreferencesDocument,
  SetNotificationPreferenceDocument,
  SignOutEverywhereDocument,
  UpdateMyAccountDocument,
  type CommentsOnDeletion,
  type Locale,
  type NotificationDelivery,
} from '$lib/graphql/generated';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  requireViewer(event);
  const [result, notifications] = await Promise.all([event.locals.api.query(MyAccountDocument, {}).toPromise(), event.locals.api.query(MyNotificationPreferencesDocument, {}).toPromise()]);
  if (!result.data?.me || !notifications.data) error(500, 'INTERNAL_SERVER_ERROR');
  return { account: result.data.me, sessions: result.data.mySessions, notificationPreferences: notifications.data.myNotificationPreferences, confirmation: takeConfirmation(event) };
};

export const actions: Actions = {
  profile: async (event) => {
    requireViewer(event);
    const data = await event.request.formData();
    const values = formValues(data, 'name', 'language');
    const result = await event.locals.api.mutation(UpdateMyAccountDocument, { input: { name: values.name, language: values.language.toUpperCase() as Locale } }).toPromise();
    if (result.error || !result.data) return formFailure(result.error, values, { form: 'profile' });
    confirmAndReturn(event, { form: 'profile' }, 'profile-heading');
  },
  password: async (event) => {
    requireViewer(event);
    const data = await event.request.formData();
    const input = { currentPassword: String(data.get('currentPassword') ?? ''), newPassword: String(data.get('newPassword') ?? '') };
    const result = await event.locals.api.mutation(ChangeMyPasswordDocument, { input }).toPromise();
    if (result.error || !result.data) return formFailure(result.error, {}, { form: 'password', otherFields: ['currentPassword', 'newPassword'] });
    confirmAndReturn(event, { form: 'password' }, 'password-heading');
  },
  deleteAccount: async (event) => {
    requireViewer(event);
    const data = await event.request.formData();
    const values = formValues(data, 'comments');
    if (data.get('understood') !== 'yes') return fieldFailure('deleteAccount', values, { understood: 'privacy.delete.confirmNeeded' });
    const comments = (values.comments === 'WITHDRAW' ? 'WITHDRAW' : 'KEEP_AS_FORMER_PARTICIPANT') satisfies CommentsOnDeletion;
    const result = await event.locals.api.mutation(DeleteMyAccountDocument, { password: String(data.get('password') ?? ''), comments }).toPromise();
    if (result.error || !result.data) return formFailure(result.error, values, { form: 'deleteAccount', otherFields: ['password'] });
    redirect(303, '/account/deleted');
  },
  notifications: async (event) => {
    requireViewer(event);
    const data = await event.request.formData();
    const current = await event.locals.api.query(MyNotificationPreferencesDocument, {}).toPromise();
    const changed = (current.data?.myNotificationPreferences ?? []).filter((p) => data.has(p.kind) && data.get(p.kind) !== p.delivery);
    for (const { kind } of changed) {
      const result = await event.locals.api.mutation(SetNotificationPreferenceDocument, { kind, delivery: String(data.get(kind)) as NotificationDelivery }).toPromise();
      if (result.error || !result.data) return formFailure(result.error, {}, { form: 'notifications' });
    }
    confirmAndReturn(event, { form: 'notifications' }, 'notifications-heading');
  },
  signOutEverywhere: async (event) => {
    requireViewer(event);
    await event.locals.api.mutation(SignOutEverywhereDocument, {}).toPromise();
    redirect(303, '/signin');
  },
};
