import { redirect } from '@sveltejs/kit';
import { requireRole } from '$lib/auth.server';
import { fieldFailure, formValues } from '$lib/forms.server';
import { ScheduleMeetingDocument, type Locale, type MeetingAudience, type MeetingKind } from '$lib/graphql/generated';
import { formFailure } from '$lib/forms.server';
import { instantIn } from '../meeting.server';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => {
  requireRole(event, 'FACILITATOR');
  return { timeZone: event.locals.timeZone ?? 'America/Lima' };
};

export const actions: Actions = {
  default: async (event) => {
    requireRole(event, 'FACILITATOR');
    const values = formValues(await event.request.formData(), 'titleEs', 'titleEn', 'titlePt', 'titleFr', 'kind', 'startsAt', 'endsAt', 'timeZone', 'place', 'onlineUrl', 'language', 'audience', 'capacity');
    const startsAt = instantIn(values.startsAt, values.timeZone);
    const endsAt = instantIn(values.endsAt, values.timeZone);
    if (!startsAt || !endsAt) return fieldFailure('schedule', values, { ...(startsAt ? {} : { startsAt: 'errors.field.invalid' }), ...(endsAt ? {} : { endsAt: 'errors.field.invalid' }) });
    const input = {
      title: { es: values.titleEs, en: values.titleEn, pt: values.titlePt, fr: values.titleFr },
      kind: values.kind as MeetingKind,
      startsAt,
      endsAt,
      timeZone: values.timeZone.trim(),
      place: values.place.trim() || null,
      onlineUrl: values.onlineUrl.trim() || null,
      language: values.language as Locale,
      audience: values.audience as MeetingAudience,
      capacity: values.capacity.trim() ? Number(values.capacity) : null,
    };
    const result = await event.locals.api.mutation(ScheduleMeetingDocument, { input }).toPromise();
    if (result.error || !result.data) return formFailure(result.error, values, { form: 'schedule', otherFields: ['title'] });
    redirect(303, `/meetings/${result.data.scheduleMeeting.id}`);
  },
};
