import { redirect } from '@sveltejs/kit';
import { safeNext } from '$lib/auth.server';
import { formFailure, formValues } from '$lib/forms.server';
import { SignInDocument } from '$lib/graphql/generated';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals, url }) => {
  if (locals.viewer) redirect(303, safeNext(url.searchParams.get('next')));
  return { next: safeNext(url.searchParams.get('next'), '') };
};

export const actions: Actions = {
  default: async ({ request, locals, url }) => {
    const data = await request.formData();
    const values = formValues(data, 'email');
    const input = { email: values.email, password: String(data.get('password') ?? '') };
    const result = await locals.api.mutation(SignInDocument, { input }).toPromise();
    if (result.error || !result.data) return formFailure(result.error, values, { otherFields: ['password'] });
    redirect(303, safeNext(String(data.get('next') ?? '') || url.searchParams.get('next')));
  },
};
