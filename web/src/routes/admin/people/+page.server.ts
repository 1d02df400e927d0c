import { error } from '@sveltejs/kit';
import { requireRole } from '$lib/auth.server';
import { confirmAndReturn, takeConfirmation } from '$lib/confirmation.server';
import { formFailure, formValues } from '$lib/forms.server';
import {
  CreateOrganizationDocument,
  InviteUserDocument,
  PeopleDocument,
  ReinstateUserDocument,
  SetUserRolesDocument,
  SuspendUserDocument,
  type Locale,
  type OrganizationKind,
  type PersonStatus,
  type Role,
} from '$lib/graphql/generated';
import { hasRole } from '$lib/viewer';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const viewer = requireRole(event, 'FACILITATOR');
  const params = event.url.searchParams;
  const filters = peopleFilters(params);
  const result = await event.locals.api
    .query(PeopleDocument, {
      filter: { search: filters.q || null, role: (filters.role || null) as Role | null, country: filters.country || null, organizationId: filters.organization || null, status: (filters.status || null) as PersonStatus | null },
      after: params.get('after') || null,
      before: params.get('before') || null,
      orgFilter: { search: filters.oq || null, country: filters.ocountry || null, kind: (filters.okind || null) as OrganizationKind | null },
      orgAfter: params.get('oafter') || null,
      orgBefore: params.get('obefore') || null,
      chosenOrganization: { ids: filters.organization ? [filters.organization] : [] },
    })
    .toPromise();
  if (!result.data) error(result.error?.graphQLErrors[0]?.extensions.code === 'FORBIDDEN' ? 403 : result.error?.graphQLErrors[0]?.extensions.code === 'BAD_USER_INPUT' ? 400 : 502, 'API');
  const { peoplePage, organizationPage, chosenOrganization, organizationRequests, ...rest } = result.data;
  return {
    ...rest,
    users: peoplePage.nodes,
    peoplePage,
    organizationPage,
    chosenOrganization: chosenOrganization.nodes[0] ?? null,
    pendingRequests: organizationRequests.length,
    filters,
    viewerId: viewer.id,
    isAdmin: hasRole(viewer, 'ADMIN'),
    confirmation: takeConfirmation(event),
  };
};

/** The directory's GET filters, as typed (people: q, role, country, organization, status; organizations: oq, ocountry, okind). */
function peopleFilters(params: URLSearchParams) {
  const keys = ['q', 'role', 'country', 'organization', 'status', 'oq', 'ocountry', 'okind'] as const;
  return Object.fromEntries(keys.map((k) => [k, (params.get(k) ?? '').trim().slice(0, 200)])) as Record<(typeof keys)[number], string>;
}

const roles = (data: FormData) => data.getAll('roles').map(String) as Role[];

export const actions: Actions = {
  invite: async (event) => {
    requireRole(event, 'FACILITATOR');
    const data = await event.request.formData();
    const values = formValues(data, 'email', 'name', 'organizationId', 'language');
    const input = {
      email: values.email,
      name: values.name,
      organizationId: values.organizationId || null,
      roles: roles(data),
      language: (values.language || 'ES') as Locale,
    };
    const result = await event.locals.api.mutation(InviteUserDocument, { input }).toPromise();
    if (result.error || !result.data) return formFailure(result.error, values, { form: 'invite', otherFields: ['roles'] });
    const { emailed, link, invitation } = result.data.inviteUser;
    // Without mail, the one-time link is shown once on the page it returns to (the cookie is HttpOnly and read once).
    confirmAndReturn(event, { form: 'invite', invited: { email: invitation.email, emailed, link } }, 'invite-heading');
  },

  createOrganization: async (event) => {
    requireRole(event, 'FACILITATOR');
    const data = await event.request.formData();
    const values = formValues(data, 'name', 'acronym', 'kind', 'country');
    const input = { name: values.name, acronym: values.acronym || null, kind: values.kind as OrganizationKind, country: values.country.toUpperCase() };
    const result = await event.locals.api.mutation(CreateOrganizationDocument, { input }).toPromise();
    if (result.error || !result.data) return formFailure(result.error, values, { form: 'organization' });
    confirmAndReturn(event, { form: 'organization', created: result.data.createOrganization.name }, 'organization-heading');
  },

  suspend: async (event) => {
    requireRole(event, 'FACILITATOR');
    const data = await event.request.formData();
    const values = formValues(data, 'userId', 'reason');
    const result = await event.locals.api.mutation(SuspendUserDocument, { userId: values.userId, reason: values.reason }).toPromise();
    if (result.error || !result.data) return formFailure(result.error, values, { form: `suspend-${values.userId}` });
    confirmAndReturn(event, { form: 'suspended', userId: values.userId }, `user-${values.userId}`);
  },

  reinstate: async (event) => {
    requireRole(event, 'FACILITATOR');
    const userId = String((await event.request.formData()).get('userId') ?? '');
    const result = await event.locals.api.mutation(ReinstateUserDocument, { userId }).toPromise();
    if (result.error || !result.data) return formFailure(result.error, { userId }, { form: `suspend-${userId}` });
    confirmAndReturn(event, { form: 'reinstated', userId }, `user-${userId}`);
  },

  setRoles: async (event) => {
    requireRole(event, 'ADMIN');
    const data = await event.request.formData();
    const userId = String(data.get('userId') ?? '');
    const result = await event.locals.api.mutation(SetUserRolesDocument, { userId, input: { roles: roles(data) } }).toPromise();
    if (result.error || !result.data) return formFailure(result.error, { userId }, { form: `roles-${userId}`, otherFields: ['roles'] });
    confirmAndReturn(event, { form: 'roles', userId }, `user-${userId}`);
  },
};
