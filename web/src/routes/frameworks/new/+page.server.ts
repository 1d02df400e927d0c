import { redirect } from '@sveltejs/kit';
import { requireRole } from '$lib/auth.server';
import { fieldFailure, formValues } from '$lib/forms.server';
import { CreateFrameworkDocument, type FrameworkKind, type Locale as ApiLocale } from '$lib/graphql/generated';
import { isLocale } from '$lib/i18n/locales';
import { languageFields, localizedInput, structureFailure } from '$lib/structure-forms.server';
import type { Actions, PageServerLoad } from './$types';

const KINDS: FrameworkKind[] = ['CERTIFICATION', 'PRACTICES'];

export const load: PageServerLoad = (event) => {
  requireRole(event, 'FACILITATOR');
  return {};
};

export const actions: Actions = {
  default: async (event) => {
    requireRole(event, 'FACILITATOR');
    const data = await event.request.formData();
    const values = formValues(data, 'slug', 'kind', 'sourceLanguage', ...languageFields('name'), ...languageFields('description'));
    values.slug = values.slug.trim().toLowerCase();
    const wrong: Record<string, string> = {};
    if (!KINDS.includes(values.kind as FrameworkKind)) wrong.kind = 'structure.error.kind';
    if (!isLocale(values.sourceLanguage)) wrong.sourceLanguage = 'structure.error.sourceLanguage';
    if (Object.keys(wrong).length) return fieldFailure('create', values, wrong);
    const result = await event.locals.api
      .mutation(CreateFrameworkDocument, {
        input: {
          slug: values.slug,
          kind: values.kind as FrameworkKind,
          sourceLanguage: values.sourceLanguage.toUpperCase() as ApiLocale,
          name: localizedInput(values, 'name'),
          description: localizedInput(values, 'description'),
        },
      })
      .toPromise();
    if (result.error || !result.data) return structureFailure(result.error, values, 'create');
    redirect(303, `/frameworks/${result.data.createFramework.slug}/structure`);
  },
};
