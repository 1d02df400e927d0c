import { redirect } from '@sveltejs/kit';
import { formFailure, formValues } from '$lib/forms.server';
import { SignUpDocument, SignUpOrganizationsDocument, type Locale, type OrganizationKind } from '$lib/graphql/generated';
import type { Actions, PageServerLoad } from './$types';

/** The organization select's value for "mine is not listed": the new organization's fields apply. */
const NEW_ORGANIZATION = 'new';

export const load: PageServerLoad = async ({ locals, url }) => {
  if (locals.viewer) redirect(303, '/');
  // Organizations grow with participation: the picker lists the first by name that the page's `orgq` search finds.
  const result = await locals.api.query(SignUpOrganizationsDocument, { search: url.searchParams.get('orgq')?.trim() || null }).toPromise();
  const found = result.data?.signUpOrganizations;
  return { organizations: found?.nodes ?? [], organizationsFound: found?.totalCount ?? 0, sent: url.searchParams.has('sent') };
};

export const actions: Actions = {
  default: async ({ request, locals }) => {
    const data = await request.formData();
    const values = formValues(data, 'name', 'email', 'country', 'language', 'organization', 'newOrganizationName', 'newOrganizationKind');
    const organization = values.organization;
    const input = {
      name: values.name,
      email: values.email,
      password: String(data.get('password') ?? ''),
      country: values.country,
      language: (values.language || 'ES').toUpperCase() as Locale,
      organizationId: organization && organization !== NEW_ORGANIZATION ? organization : null,
      newOrganization: organization === NEW_ORGANIZATION ? { name: values.newOrganizationName, kind: (values.newOrganizationKind || 'OTHER') as OrganizationKind } : null,
      website: String(data.get('website') ?? ''),
    };
    const result = await locals.api.mutation(SignUpDocument, { input }).toPromise();
    if (result.error || !result.data) {
      // The new organization's own problems come back under `name`: show them beside its field.
      const failure = formFailure(result.error, { ...values, organizationId: organization }, { otherFields: ['password'] });
      return failure;
    }
    redirect(303, '/signup?sent=1');
  },
};
