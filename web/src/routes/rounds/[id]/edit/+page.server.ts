import { redirect } from '@sveltejs/kit';
import { requireRole } from '$lib/auth.server';
import { confirmAndReturn } from '$lib/confirmation.server';
import { RoundDraftDocument, RoundSetupFormDocument, UpdateRoundDraftDocument } from '$lib/graphql/generated';
import { apiLanguage, loadFailed } from '$lib/graphql/load.server';
import { setupSections } from '$lib/components/rounds/setup-sections';
import type { Actions, PageServerLoad, RequestEvent } from './$types';
import { localFailure, roundFailure, roundFormValues, roundInput, toggleSection } from '../../round-setup.server';
import { localFromInstant } from '../../../ballots/ballot.server';

async function draftAndForm(event: RequestEvent) {
  const draft = await event.locals.api.query(RoundDraftDocument, { id: event.params.id }).toPromise();
  if (!draft.data) loadFailed(draft.error);
  const round = draft.data.round;
  // Only a draft is edited here; a published round changes through its page (open, extend, close).
  if (round.status !== 'DRAFT') redirect(303, `/rounds/${round.id}`);
  const form = await event.locals.api.query(RoundSetupFormDocument, { slug: round.framework.slug, language: apiLanguage(event) }).toPromise();
  if (!form.data?.framework) loadFailed(form.error);
  return { round, framework: form.data.framework, organizations: form.data.organizations };
}

export const load: PageServerLoad = async (event) => {
  requireRole(event, 'FACILITATOR');
  const zone = event.locals.timeZone ?? 'UTC';
  const { round, framework, organizations } = await draftAndForm(event);
  const initial: Record<string, string> = {
    audience: round.audience.all ? 'ALL' : round.audience.workingGroup ? 'WORKING_GROUP' : round.audience.organizationIds.length ? 'ORGANIZATIONS' : 'COUNTRIES',
    organizationIds: round.audience.organizationIds.join(','),
    countries: round.audience.countries.join(','),
    opensAt: localFromInstant(new Date(round.opensAt), zone),
    closesAt: localFromInstant(new Date(round.closesAt), zone),
    ratingsEnabled: round.ratingsEnabled ? 'on' : '',
    indicators: round.indicators.map((i) => i.indicator.id).join(','),
  };
  for (const l of ['es', 'en', 'pt', 'fr'] as const) {
    initial[`title-${l}`] = round.titleTranslations[l] ?? '';
    initial[`instructions-${l}`] = round.instructionsTranslations[l] ?? '';
  }
  for (const pinned of round.indicators) initial[`version-${pinned.indicator.id}`] = pinned.indicatorVersion.id;
  return { round, framework, organizations, initial, timeZone: zone };
};

export const actions: Actions = {
  save: async (event) => {
    requireRole(event, 'FACILITATOR');
    const data = await event.request.formData();
    const values = roundFormValues(data);
    const { input, unsendable } = roundInput(event, values);
    if (Object.keys(unsendable).length) return localFailure(unsendable, values);
    const result = await event.locals.api.mutation(UpdateRoundDraftDocument, { id: event.params.id, input }).toPromise();
    if (result.error || !result.data) return roundFailure(result.error, values);
    confirmAndReturn({ url: new URL(`/rounds/${event.params.id}`, event.url), cookies: event.cookies }, { form: 'draftSaved' }, 'lifecycle-heading');
  },

  select: async (event) => {
    requireRole(event, 'FACILITATOR');
    const data = await event.request.formData();
    const { framework } = await draftAndForm(event);
    const sections = setupSections(framework);
    return toggleSection(roundFormValues(data), data, (id) => sections.find((s) => s.id === id)?.all ?? []);
  },
};
