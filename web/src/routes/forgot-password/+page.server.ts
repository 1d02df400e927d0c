import { redirect } from '@sveltejs/kit';
import { formFailure, formValues } from '$lib/forms.server';
import { RequestPasswordResetDocument } from '$lib/graphql/generated';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ url }) => ({ sent: url.searchParams.has('sent') });

export const actions: Actions = {
  default: async ({ request, locals }) => {
    const data = await request.formData();
    const values = formValues(data, 'email');
    const result = await locals.api.mutation(RequestPasswordResetDocument, { email: values.email }).toPromise();
    if (result.error || !result.data) return formFailure(result.error, values);
    redirect(303, '/forgot-password?sent=1');
  },
};
