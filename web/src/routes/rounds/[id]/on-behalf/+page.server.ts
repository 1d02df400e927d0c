import { requireRole } from '$lib/auth.server';
import { confirmAndReturn, takeConfirmation } from '$lib/confirmation.server';
import { pickerOptions } from '$lib/directory';
import { formValues } from '$lib/forms.server';
import {
  EnterOnBehalfDocument,
  OnBehalfFormDocument,
  type CommentTargetKind,
  type CommentType,
  type FeedbackSourceKind,
  type IndicatorField,
  type Locale,
  type OrganizationKind,
} from '$lib/graphql/generated';
import { apiLanguage, loadFailed } from '$lib/graphql/load.server';
import type { Actions, PageServerLoad } from './$types';
import { consultationFailure } from '../../round.server';

export const load: PageServerLoad = async (event) => {
  requireRole(event, 'FACILITATOR');
  const confirmation = takeConfirmation(event);
  // The organization kept from the comment just entered stays chosen, whatever the search.
  const kept = (confirmation?.kept as Record<string, string> | undefined)?.organizationId;
  const result = await event.locals.api
    .query(OnBehalfFormDocument, { id: event.params.id, language: apiLanguage(event), organizationSearch: event.url.searchParams.get('orgq')?.trim() || null, organizationIds: kept ? [kept] : [] })
    .toPromise();
  if (!result.data) loadFailed(result.error);
  const { organizations, chosenOrganizations } = result.data;
  return { round: result.data.round, organizations: pickerOptions(chosenOrganizations.nodes, organizations.nodes), organizationsFound: organizations.totalCount, today: new Date().toISOString().slice(0, 10), confirmation };
};

const FIELDS = ['kind', 'eventName', 'givenOn', 'place', 'personName', 'organizationId', 'organizationName', 'organizationKind', 'country', 'target', 'field', 'language', 'type', 'body', 'proposedChange'];
/** What the next entry starts blank with; the rest (the event, the organization, the target) is kept for the next comment of the same workshop. */
const PER_COMMENT = ['personName', 'body', 'proposedChange'];
/** The API's field names whose problems get this page's own words. */
const MESSAGES: Record<string, string> = { personName: 'analysis.onBehalf.whoNeeded', givenOn: 'analysis.onBehalf.dateRule' };

export const actions: Actions = {
  default: async (event) => {
    requireRole(event, 'FACILITATOR');
    const values = formValues(await event.request.formData(), ...FIELDS);
    const v = (name: string) => values[name].trim() || null;
    const [targetKind, targetId] = values.target.split(':') as [CommentTargetKind, string | undefined];
    // A known organization brings its own name, kind and country.
    const known = v('organizationId');
    const input = {
      comment: {
        roundId: event.params.id,
        targetKind,
        targetId: targetId || null,
        type: values.type as CommentType,
        body: values.body,
        proposedChange: v('proposedChange'),
        anchor: targetKind === 'INDICATOR_VERSION' && values.field ? { field: values.field as IndicatorField, language: values.language as Locale } : null,
      },
      source: {
        kind: values.kind as FeedbackSourceKind,
        eventName: v('eventName'),
        givenOn: v('givenOn'),
        place: v('place'),
        personName: v('personName'),
        organizationId: known,
        organizationName: known ? null : v('organizationName'),
        organizationKind: known ? null : (v('organizationKind') as OrganizationKind | null),
        country: known ? null : v('country'),
      },
    };
    const result = await event.locals.api.mutation(EnterOnBehalfDocument, { input }).toPromise();
    if (result.error || !result.data) {
      const failure = consultationFailure(result.error, values, { form: 'enter' });
      for (const name of Object.keys(failure.data.fields)) if (MESSAGES[name]) failure.data.fields[name] = MESSAGES[name];
      return failure;
    }
    confirmAndReturn(event, { form: 'enter', kept: Object.fromEntries(Object.entries(values).filter(([k]) => !PER_COMMENT.includes(k))) });
  },
};
