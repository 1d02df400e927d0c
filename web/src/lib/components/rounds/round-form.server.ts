import type { RequestEvent } from '@sveltejs/kit';
import type { CombinedError } from '@urql/core';
import { requireRole } from '$lib/auth.server';
import { confirmAndReturn } from '$lib/confirmation.server';
import { fieldFailure, formFailure } from '$lib/forms.server';
import { hasMessage } from '$lib/i18n/catalog.server';
import { locales, validTimeZone } from '$lib/i18n/locales';
import { problemOf } from '$lib/graphql/problems';
import type { AudienceInput, LocalizedTextInput } from '$lib/graphql/generated';
import { instantFromLocal } from '$lib/local-time';
import { setupSections, type SetupFramework } from './setup-sections';

export type AudienceChoice = 'ALL' | 'WORKING_GROUP' | 'ORGANIZATIONS' | 'COUNTRIES';

/**
 * The round form's values as strings, to refill it after a refusal: the texts, the dates, the zone, the
 * audience, and the lists (indicators, organizations, countries) joined by commas; each indicator's
 * chosen version as `version-<indicatorId>`.
 */
export function roundFormValues(data: FormData): Record<string, string> {
  const values: Record<string, string> = {};
  for (const l of locales) {
    values[`title-${l}`] = String(data.get(`title-${l}`) ?? '');
    values[`instructions-${l}`] = String(data.get(`instructions-${l}`) ?? '');
  }
  for (const name of ['opensAt', 'closesAt', 'timeZone', 'audience', 'ratingsEnabled']) values[name] = String(data.get(name) ?? '');
  for (const name of ['indicators', 'organizationIds', 'countries']) values[name] = data.getAll(name).map(String).join(',');
  for (const [key, value] of data) if (key.startsWith('version-')) values[key] = String(value);
  return values;
}

const list = (value: string) => (value ? value.split(',') : []);

/** The zone the form's local times are in: the browser's (sent by the page's script), else the cookie's, else UTC. */
export function formZone(event: Pick<RequestEvent, 'locals'>, values: Record<string, string>) {
  return validTimeZone(values.timeZone) ?? event.locals.timeZone ?? 'UTC';
}

/** What the API needs from the form's values, or the fields that cannot even be sent (a malformed date). */
export function roundInput(event: Pick<RequestEvent, 'locals'>, values: Record<string, string>) {
  const zone = formZone(event, values);
  const opensAt = instantFromLocal(values.opensAt, zone);
  const closesAt = instantFromLocal(values.closesAt, zone);
  const text = (prefix: string): LocalizedTextInput => Object.fromEntries(locales.map((l) => [l, values[`${prefix}-${l}`] || null]));
  const choice = (values.audience || 'ALL') as AudienceChoice;
  const audience: AudienceInput = {
    all: choice === 'ALL',
    workingGroup: choice === 'WORKING_GROUP',
    organizationIds: choice === 'ORGANIZATIONS' ? list(values.organizationIds) : [],
    countries: choice === 'COUNTRIES' ? list(values.countries) : [],
  };
  const indicatorVersionIds = list(values.indicators)
    .map((indicatorId) => values[`version-${indicatorId}`])
    .filter(Boolean);
  const unsendable: Record<string, string> = {};
  if (!opensAt) unsendable.opensAt = 'rounds.error.invalidDate';
  if (!closesAt) unsendable.closesAt = 'rounds.error.invalidDate';
  const input = {
    title: text('title'),
    instructions: text('instructions'),
    indicatorVersionIds,
    opensAt: opensAt ?? '',
    closesAt: closesAt ?? '',
    audience,
    ratingsEnabled: values.ratingsEnabled === 'on',
  };
  return { input, unsendable };
}

/** Where each API field is shown on the form. */
const FORM_FIELD: Record<string, string> = {
  title: 'title',
  instructions: 'instructions',
  opensAt: 'opensAt',
  closesAt: 'closesAt',
  indicatorVersionIds: 'indicators',
  audience: 'audience',
  'audience.organizationIds': 'audience',
  'audience.countries': 'audience',
  ratingsEnabled: 'ratingsEnabled',
};

/**
 * The refusal for the round form: each field the API named, worded from its own reason
 * (`rounds.error.<REASON>`), and the notice above the form. Anything else is `formFailure`'s.
 */
export function roundFailure(err: CombinedError | undefined, values: Record<string, string>, form = 'round') {
  const problem = problemOf(err);
  const fields: Record<string, string> = {};
  for (const f of (problem?.fields ?? []) as { field: string; message: string; reason?: string }[]) {
    const name = FORM_FIELD[f.field] ?? FORM_FIELD[f.field.split('.')[0]];
    if (!name || fields[name]) continue;
    const reason = f.reason ?? problem?.reason;
    fields[name] = reason && hasMessage(`rounds.error.${reason}`) ? `rounds.error.${reason}` : 'errors.field.invalid';
  }
  if (problem?.code === 'BAD_USER_INPUT' && Object.keys(fields).length) return fieldFailure(form, values, fields);
  const failure = formFailure(err, values, { form });
  if (problem?.reason && hasMessage(`consultation.error.${problem.reason}`)) failure.data.message = `consultation.error.${problem.reason}`;
  return failure;
}

/**
 * "Select all" / "clear" for one section without scripts: the form comes back with that section's
 * indicators ticked or not, everything else as typed. Nothing is saved.
 */
export function toggleSection(values: Record<string, string>, data: FormData, sectionIndicators: (sectionId: string) => string[]) {
  const [sectionId, how] = String(data.get('toggle') ?? '').split(':');
  const chosen = new Set(list(values.indicators));
  for (const id of sectionIndicators(sectionId)) {
    if (how === 'all') chosen.add(id);
    else chosen.delete(id);
  }
  return { form: 'round', selection: true, values: { ...values, indicators: [...chosen].join(',') }, anchor: `section-${sectionId}` };
}

/** What the API needs to save a round, as `roundInput` makes it from the form. */
export type RoundInput = ReturnType<typeof roundInput>['input'];

/**
 * The round form's actions, the same for a new round and a draft: `save` sends the form (`send` saves it
 * and answers the round's id) and goes to the round's page, where it is scheduled or opened; `select` is
 * "select all" or "clear" for a section without scripts, in the framework `frameworkOf` reads.
 */
export function roundFormActions(
  send: (event: RequestEvent, input: RoundInput, data: FormData) => Promise<{ error?: CombinedError; id?: string }>,
  frameworkOf: (event: RequestEvent) => Promise<SetupFramework>,
) {
  return {
    save: async (event: RequestEvent) => {
      requireRole(event, 'FACILITATOR');
      const data = await event.request.formData();
      const values = roundFormValues(data);
      const { input, unsendable } = roundInput(event, values);
      if (Object.keys(unsendable).length) return fieldFailure('round', values, unsendable);
      const { error, id } = await send(event, input, data);
      if (error || !id) return roundFailure(error, values);
      confirmAndReturn({ url: new URL(`/rounds/${id}`, event.url), cookies: event.cookies }, { form: 'draftSaved' }, 'lifecycle-heading');
    },

    select: async (event: RequestEvent) => {
      requireRole(event, 'FACILITATOR');
      const data = await event.request.formData();
      const sections = setupSections(await frameworkOf(event));
      return toggleSection(roundFormValues(data), data, (id) => sections.find((s) => s.id === id)?.all ?? []);
    },
  };
}
