import { redirect } from '@sveltejs/kit';
import { formFailure } from '$lib/forms.server';
import { ResetPasswordDocument } from '$lib/graphql/generated';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ url }) => ({ token: url.searchParams.get('token') ?? '' });

export const actions: Actions = {
  default: async ({ request, locals, url }) => {
    const data = await request.formData();
    const input = { token: String(data.get('token') ?? url.searchParams.get('token') ?? ''), password: String(data.get('password') ?? '') };
    const result = await locals.api.mutation(ResetPasswordDocument, { input }).toPromise();
    if (result.error || !result.data) return formFailure(result.error, {}, { otherFields: ['password'] });
    redirect(303, '/?welcome=1');
  },
};
