import { redirect } from '@sveltejs/kit';
import { requireRole } from '$lib/auth.server';
import { RoundDraftDocument, UpdateRoundDraftDocument } from '$lib/graphql/generated';
import { loadFailed } from '$lib/graphql/load.server';
import type { Actions, PageServerLoad, RequestEvent } from './$types';
import { roundFormActions } from '$lib/components/rounds/round-form.server';
import { roundSetupForm } from '$lib/components/rounds/round-audience.server';
import { locales } from '$lib/i18n/locales';
import { localFromInstant } from '$lib/local-time';

async function draftAndForm(event: RequestEvent) {
  const draft = await event.locals.api.query(RoundDraftDocument, { id: event.params.id }).toPromise();
  if (!draft.data) loadFailed(draft.error);
  const round = draft.data.round;
  // Only a draft is edited here; a published round changes through its page (open, extend, close).
  if (round.status !== 'DRAFT') redirect(303, `/rounds/${round.id}`);
  const { framework, organizations, organizationsFound } = await roundSetupForm(event, round.framework.slug, round.audience.organizationIds);
  if (!framework) loadFailed(undefined);
  return { round, framework, organizations, organizationsFound };
}

export const load: PageServerLoad = async (event) => {
  requireRole(event, 'FACILITATOR');
  const zone = event.locals.timeZone ?? 'UTC';
  const { round, framework, organizations, organizationsFound } = await draftAndForm(event);
  const initial: Record<string, string> = {
    audience: round.audience.all ? 'ALL' : round.audience.workingGroup ? 'WORKING_GROUP' : round.audience.organizationIds.length ? 'ORGANIZATIONS' : 'COUNTRIES',
    organizationIds: round.audience.organizationIds.join(','),
    countries: round.audience.countries.join(','),
    opensAt: localFromInstant(new Date(round.opensAt), zone),
    closesAt: localFromInstant(new Date(round.closesAt), zone),
    ratingsEnabled: round.ratingsEnabled ? 'on' : '',
    indicators: round.indicators.map((i) => i.indicator.id).join(','),
  };
  for (const l of locales) {
    initial[`title-${l}`] = round.titleTranslations[l] ?? '';
    initial[`instructions-${l}`] = round.instructionsTranslations[l] ?? '';
  }
  for (const pinned of round.indicators) initial[`version-${pinned.indicator.id}`] = pinned.indicatorVersion.id;
  return { round, framework, organizations, organizationsFound, initial, timeZone: zone };
};

export const actions: Actions = roundFormActions(
  async (event, input) => {
    const id = event.params.id!;
    const result = await event.locals.api.mutation(UpdateRoundDraftDocument, { id, input }).toPromise();
    return { error: result.error, id: result.data ? id : undefined };
  },
  async (event) => (await draftAndForm(event as RequestEvent)).framework,
);
