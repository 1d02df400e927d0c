import { redirect } from '@sveltejs/kit';
import { formFailure, formValues, messageKey } from '$lib/forms.server';
import { AcceptInvitationDocument, InvitationPreviewDocument } from '$lib/graphql/generated';
import { problemOf } from '$lib/graphql/problems';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params }) => {
  const result = await locals.api.query(InvitationPreviewDocument, { token: params.token }).toPromise();
  const problem = problemOf(result.error);
  // A used, expired or unknown link still renders a page that says so and where to go instead.
  return { invitation: result.data?.invitation ?? null, problem: problem ? messageKey(problem) : null };
};

export const actions: Actions = {
  default: async ({ request, locals, params }) => {
    const data = await request.formData();
    const values = formValues(data, 'name');
    const input = { token: params.token, password: String(data.get('password') ?? ''), name: values.name.trim() || null };
    const result = await locals.api.mutation(AcceptInvitationDocument, { input }).toPromise();
    if (result.error || !result.data) return formFailure(result.error, values, { otherFields: ['password'] });
    redirect(303, '/?welcome=1');
  },
};
