import { redirect } from '@sveltejs/kit';
import { formFailure } from '$lib/forms.server';
import { ConfirmEmailDocument } from '$lib/graphql/generated';
import type { Actions, PageServerLoad } from './$types';

// Opening the link only shows the form: a mail scanner fetching it confirms nothing.
export const load: PageServerLoad = ({ url }) => ({ token: url.searchParams.get('token') ?? '' });

export const actions: Actions = {
  default: async ({ request, locals, url }) => {
    const data = await request.formData();
    const token = String(data.get('token') ?? url.searchParams.get('token') ?? '');
    const result = await locals.api.mutation(ConfirmEmailDocument, { token, password: String(data.get('password') ?? '') }).toPromise();
    if (result.error || !result.data) return formFailure(result.error, {}, { otherFields: ['password'] });
    redirect(303, '/?welcome=1');
  },
};
