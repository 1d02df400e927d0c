import { redirect } from '@sveltejs/kit';
import { requireRole, requireViewer } from '$lib/auth.server';
import { formFailure, formValues } from '$lib/forms.server';
import { CreateWorkPlanDocument, WorkPlansDocument } from '$lib/graphql/generated';
import { loadFailed } from '$lib/graphql/load.server';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  requireViewer(event);
  const result = await event.locals.api.query(WorkPlansDocument, { language: event.locals.locale }).toPromise();
  if (!result.data) loadFailed(result.error);
  return { plans: result.data.workPlans };
};

export const actions: Actions = {
  create: async (event) => {
    requireRole(event, 'FACILITATOR');
    const values = formValues(await event.request.formData(), 'year', 'title');
    const input = { year: Number(values.year), title: { [event.locals.locale]: values.title } };
    const result = await event.locals.api.mutation(CreateWorkPlanDocument, { input }).toPromise();
    if (result.error || !result.data) return formFailure(result.error, values, { form: 'create' });
    redirect(303, `/workplan/${result.data.createWorkPlan.year}`);
  },
};
