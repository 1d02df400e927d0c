import { fail } from '@sveltejs/kit';
import { requireRole } from '$lib/auth.server';
import { confirmAndReturn, takeConfirmation } from '$lib/confirmation.server';
import { formFailure } from '$lib/forms.server';
import { CreateThemeDocument, DeleteThemeDocument, RoundThemesDocument, UpdateThemeDocument } from '$lib/graphql/generated';
import { apiLanguage, loadFailed } from '$lib/graphql/load.server';
import { locales } from '$lib/i18n/locales';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  requireRole(event, 'FACILITATOR');
  const result = await event.locals.api.query(RoundThemesDocument, { roundId: event.params.id, language: apiLanguage(event) }).toPromise();
  if (!result.data) loadFailed(result.error);
  return { round: result.data.round, themes: result.data.roundThemes, confirmation: takeConfirmation(event) };
};

/** The label fields (one per language) as typed, and as the API wants them (blank → none). */
function labelOf(data: FormData) {
  const values = Object.fromEntries(locales.map((l) => [l, String(data.get(l) ?? '').trim()]));
  return { values, label: Object.fromEntries(locales.map((l) => [l, values[l] || null])) };
}

/** An API refusal of a label is about the source language or the length: said next to the fields. */
function labelFailure(err: Parameters<typeof formFailure>[0], values: Record<string, string>, form: string) {
  const failure = formFailure(err, values, { form, otherFields: ['label'] });
  if (failure.data.fields.label) failure.data.fields.label = 'analysis.themes.labelRule';
  return failure;
}

const themeId = (data: FormData) => String(data.get('id') ?? '');

export const actions: Actions = {
  create: async (event) => {
    requireRole(event, 'FACILITATOR');
    const { values, label } = labelOf(await event.request.formData());
    const result = await event.locals.api.mutation(CreateThemeDocument, { input: { roundId: event.params.id, label } }).toPromise();
    if (result.error || !result.data) return labelFailure(result.error, values, 'create');
    confirmAndReturn(event, { form: 'create', created: values }, 'create-heading');
  },

  relabel: async (event) => {
    requireRole(event, 'FACILITATOR');
    const data = await event.request.formData();
    const id = themeId(data);
    const { values, label } = labelOf(data);
    const result = await event.locals.api.mutation(UpdateThemeDocument, { id, input: { label } }).toPromise();
    if (result.error || !result.data) return labelFailure(result.error, values, `relabel-${id}`);
    confirmAndReturn(event, { form: 'relabel', themeId: id }, `theme-${id}`);
  },

  move: async (event) => {
    requireRole(event, 'FACILITATOR');
    const data = await event.request.formData();
    const id = themeId(data);
    const position = Number(data.get('position'));
    if (!Number.isInteger(position) || position < 0) return fail(400, { form: 'list', message: 'errors.BAD_USER_INPUT', fields: {}, values: {} });
    const result = await event.locals.api.mutation(UpdateThemeDocument, { id, input: { position } }).toPromise();
    if (result.error || !result.data) return formFailure(result.error, {}, { form: 'list' });
    confirmAndReturn(event, { form: 'move', themeId: id }, `theme-${id}`);
  },

  delete: async (event) => {
    requireRole(event, 'FACILITATOR');
    const result = await event.locals.api.mutation(DeleteThemeDocument, { id: themeId(await event.request.formData()) }).toPromise();
    if (result.error || !result.data) return formFailure(result.error, {}, { form: 'list' });
    confirmAndReturn(event, { form: 'delete' }, 'list-heading');
  },
};
