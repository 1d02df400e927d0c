import { redirect } from '@sveltejs/kit';
import { SignOutDocument } from '$lib/graphql/generated';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals }) => {
  if (!locals.viewer) redirect(303, '/');
};

export const actions: Actions = {
  default: async ({ locals }) => {
    // The API clears its cookie; the client mirrors that onto our response.
    await locals.api.mutation(SignOutDocument, {}).toPromise();
    redirect(303, '/');
  },
};
