import { requireRole } from '$lib/auth.server';
import { confirmAndReturn, takeConfirmation } from '$lib/confirmation.server';
import { formFailure } from '$lib/forms.server';
import { ApproveOrganizationRequestDocument, OrganizationRequestsDocument, RefuseOrganizationRequestDocument } from '$lib/graphql/generated';
import { loadFailed } from '$lib/graphql/load.server';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  requireRole(event, 'FACILITATOR');
  const result = await event.locals.api.query(OrganizationRequestsDocument, {}).toPromise();
  if (!result.data) loadFailed(result.error);
  return { requests: result.data.organizationRequests, confirmation: takeConfirmation(event) };
};

/** Approving creates the organization and puts the person in it; refusing leaves them an individual. Either way the request leaves the list. */
export const actions: Actions = {
  approve: async (event) => {
    requireRole(event, 'FACILITATOR');
    const id = String((await event.request.formData()).get('id') ?? '');
    const result = await event.locals.api.mutation(ApproveOrganizationRequestDocument, { id }).toPromise();
    if (result.error || !result.data) return formFailure(result.error, { id }, { form: `request-${id}` });
    confirmAndReturn(event, { form: 'approved', name: result.data.approveOrganizationRequest.name }, 'requests-heading');
  },
  refuse: async (event) => {
    requireRole(event, 'FACILITATOR');
    const id = String((await event.request.formData()).get('id') ?? '');
    const result = await event.locals.api.mutation(RefuseOrganizationRequestDocument, { id }).toPromise();
    if (result.error || !result.data) return formFailure(result.error, { id }, { form: `request-${id}` });
    confirmAndReturn(event, { form: 'refused', name: result.data.refuseOrganizationRequest.name }, 'requests-heading');
  },
};
