import { error, fail, redirect } from '@sveltejs/kit';
import { requireRole } from '$lib/auth.server';
import { confirmAndReturn, takeConfirmation } from '$lib/confirmation.server';
import { flatKey, flatten, indicatorFields, toInput, type FlatTexts } from '$lib/components/frameworks/fields';
import { formFailure } from '$lib/forms.server';
import { IndicatorDraftDocument, PublishIndicatorDraftDocument, SaveIndicatorDraftDocument } from '$lib/graphql/generated';
import { problemOf } from '$lib/graphql/problems';
import { hasMessage } from '$lib/i18n/catalog.server';
import { locales } from '$lib/i18n/locales';
import type { Actions, PageServerLoad } from './$types';
import { apiLanguage, loadFailed } from '$lib/graphql/load.server';

export const load: PageServerLoad = async (event) => {
  requireRole(event, 'FACILITATOR');
  const result = await event.locals.api
    .query(IndicatorDraftDocument, { slug: event.params.slug, code: event.params.code, language: apiLanguage(event) })
    .toPromise();
  if (!result.data) loadFailed(result.error);
  const indicator = result.data.indicatorByCode;
  if (!indicator?.draft) error(404, 'NOT_FOUND');
  const texts = flatten(Object.fromEntries(indicator.draft.fields.map((f) => [f.field, f.translations])));
  return { indicator, texts, confirmation: takeConfirmation(event) };
};

/** The texts as submitted: where a conflict was shown, each differing text is mine or theirs as chosen. */
function submittedTexts(data: FormData): FlatTexts {
  const flat: FlatTexts = {};
  for (const { field } of indicatorFields) {
    for (const language of locales) {
      const key = flatKey(field, language);
      const theirs = data.get(`theirs:${key}`);
      flat[key] = String((data.get(`choose:${key}`) === 'theirs' && theirs !== null ? theirs : data.get(`text:${key}`)) ?? '');
    }
  }
  return flat;
}

interface StaleDraft {
  revision: number;
  texts: Parameters<typeof flatten>[0];
  updatedAt: string;
  updatedBy: { name: string };
}

export const actions: Actions = {
  save: async (event) => {
    requireRole(event, 'FACILITATOR');
    const data = await event.request.formData();
    const indicatorId = String(data.get('indicatorId') ?? '');
    const revision = Number(data.get('revision'));
    const mine = submittedTexts(data);
    const result = await event.locals.api
      .mutation(SaveIndicatorDraftDocument, { indicatorId, expectedRevision: revision, texts: toInput(mine) })
      .toPromise();
    const problem = problemOf(result.error);
    if (problem?.reason === 'STALE_DRAFT') {
      // Someone saved first: show both texts; nothing of either is lost.
      const current = result.error!.graphQLErrors[0].extensions.current as StaleDraft;
      return fail(409, {
        form: 'save',
        message: 'frameworks.draft.conflict',
        conflict: { revision: current.revision, updatedAt: current.updatedAt, updatedBy: current.updatedBy.name, theirs: flatten(current.texts) },
        mine,
        fields: {},
        values: {},
      });
    }
    if (problem?.fields.some((f) => f.field.startsWith('texts.title'))) {
      const message = 'frameworks.error.TITLE_REQUIRED';
      return fail(400, { form: 'save', message, mine, fields: { title: message }, values: {} });
    }
    if (result.error || !result.data) {
      const failure = formFailure(result.error, {}, { form: 'save' });
      return fail(failure.status, { ...failure.data, mine });
    }
    confirmAndReturn(event, { form: 'save', saved: result.data.saveIndicatorDraft.revision });
  },

  publish: async (event) => {
    requireRole(event, 'FACILITATOR');
    const data = await event.request.formData();
    const indicatorId = String(data.get('indicatorId') ?? '');
    const changeSummary = String(data.get('changeSummary') ?? '').trim() || null;
    const result = await event.locals.api
      .mutation(PublishIndicatorDraftDocument, { indicatorId, changeSummary, expectedRevision: Number(data.get('revision')) })
      .toPromise();
    if (result.error || !result.data) {
      const failure = formFailure(result.error, { changeSummary: changeSummary ?? '' }, { form: 'publish' });
      const reason = problemOf(result.error)?.reason;
      if (reason && hasMessage(`frameworks.error.${reason}`)) failure.data.message = `frameworks.error.${reason}`;
      return failure;
    }
    const { number } = result.data.publishIndicatorDraft;
    const base = `/frameworks/${event.params.slug}/${encodeURIComponent(event.params.code)}`;
    redirect(303, number > 1 ? `${base}?from=${number - 1}&to=${number}#comparison` : base);
  },
};
