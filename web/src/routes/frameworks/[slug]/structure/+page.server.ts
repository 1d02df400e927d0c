import { error } from '@sveltejs/kit';
import { requireRole } from '$lib/auth.server';
import { flatKey, indicatorFields, toInput } from '$lib/components/frameworks/fields';
import { confirmAndReturn, takeConfirmation } from '$lib/confirmation.server';
import { fieldFailure, formFailure, formValues } from '$lib/forms.server';
import {
  CreateIndicatorDocument,
  CreateSectionDocument,
  FrameworkStructureDocument,
  MoveIndicatorDocument,
  PublishIndicatorDraftDocument,
  RetireIndicatorDocument,
  UpdateFrameworkDocument,
  UpdateSectionDocument,
  type FrameworkStructureQuery,
} from '$lib/graphql/generated';
import { apiLanguage, loadFailed } from '$lib/graphql/load.server';
import { locales } from '$lib/i18n/locales';
import { languageFields, localizedInput, replacingInput, structureFailure } from '$lib/structure-forms.server';
import type { Actions, PageServerLoad } from './$types';

type Framework = NonNullable<FrameworkStructureQuery['framework']>;
type FlatSection = Framework['allSections'][number];
export type StructureSection = Omit<FlatSection, 'parent'> & { depth: number; children: StructureSection[] };

/** The flat sections as a tree, siblings in order, and the same sections in reading order for the pickers. */
function treeOf(sections: FlatSection[]) {
  const byParent = new Map<string | null, FlatSection[]>();
  for (const s of sections) byParent.set(s.parent?.id ?? null, [...(byParent.get(s.parent?.id ?? null) ?? []), s]);
  const ordered: StructureSection[] = [];
  const build = (parent: string | null, depth: number): StructureSection[] =>
    (byParent.get(parent) ?? [])
      .sort((a, b) => a.position - b.position)
      .map(({ parent: _parent, ...s }) => {
        const node: StructureSection = { ...s, indicators: [...s.indicators].sort((a, b) => a.position - b.position), depth, children: [] };
        ordered.push(node);
        node.children = build(s.id, depth + 1);
        return node;
      });
  return { tree: build(null, 0), ordered };
}

export const load: PageServerLoad = async (event) => {
  requireRole(event, 'FACILITATOR');
  const result = await event.locals.api.query(FrameworkStructureDocument, { slug: event.params.slug, language: apiLanguage(event) }).toPromise();
  if (!result.data) loadFailed(result.error);
  const framework = result.data.framework;
  if (!framework) error(404, 'NOT_FOUND');
  const { allSections, ...rest } = framework;
  const { tree, ordered } = treeOf(allSections);
  return {
    framework: rest,
    tree,
    sections: ordered.map((s) => ({ id: s.id, code: s.code, title: s.title.value, depth: s.depth })),
    confirmation: takeConfirmation(event),
  };
};

const id = (data: FormData, name = 'id') => String(data.get(name) ?? '');

/** A position sent by a move button: a whole number from 0, else nothing is asked of the API. */
function positionOf(data: FormData): number | null {
  const position = Number(data.get('position'));
  return Number.isInteger(position) && position >= 0 ? position : null;
}

const titleFields = languageFields('title');
const indicatorTextFields = indicatorFields.flatMap(({ field }) => locales.map((l) => flatKey(field, l)));

export const actions: Actions = {
  updateFramework: async (event) => {
    requireRole(event, 'FACILITATOR');
    const data = await event.request.formData();
    const values = formValues(data, ...languageFields('name'), ...languageFields('description'));
    const result = await event.locals.api
      .mutation(UpdateFrameworkDocument, { id: id(data), input: { name: replacingInput(values, 'name'), description: replacingInput(values, 'description') } })
      .toPromise();
    if (result.error || !result.data) return structureFailure(result.error, values, 'framework');
    confirmAndReturn(event, { form: 'framework' }, 'structure-heading');
  },

  createSection: async (event) => {
    requireRole(event, 'FACILITATOR');
    const data = await event.request.formData();
    const values = formValues(data, 'frameworkId', 'parentId', 'code', ...titleFields);
    const input = { frameworkId: values.frameworkId, parentId: values.parentId || null, code: values.code.trim(), title: localizedInput(values, 'title') };
    const result = await event.locals.api.mutation(CreateSectionDocument, { input }).toPromise();
    if (result.error || !result.data) return structureFailure(result.error, values, 'createSection', 'section');
    const section = result.data.createSection;
    confirmAndReturn(event, { form: 'createSection', code: section.code }, `section-${section.id}`);
  },

  updateSection: async (event) => {
    requireRole(event, 'FACILITATOR');
    const data = await event.request.formData();
    const sectionId = id(data);
    const values = formValues(data, 'code', ...titleFields);
    const result = await event.locals.api
      .mutation(UpdateSectionDocument, { id: sectionId, input: { code: values.code.trim(), title: replacingInput(values, 'title') } })
      .toPromise();
    if (result.error || !result.data) return structureFailure(result.error, values, `section-${sectionId}`, 'section');
    confirmAndReturn(event, { form: 'updateSection', code: result.data.updateSection.code }, `section-${sectionId}`);
  },

  moveSection: async (event) => {
    requireRole(event, 'FACILITATOR');
    const data = await event.request.formData();
    const sectionId = id(data);
    const position = positionOf(data);
    if (position === null) return fieldFailure('tree', {}, {});
    const result = await event.locals.api.mutation(UpdateSectionDocument, { id: sectionId, input: { position } }).toPromise();
    if (result.error || !result.data) return formFailure(result.error, {}, { form: 'tree' });
    const { code } = result.data.updateSection;
    confirmAndReturn(event, { form: 'move', code, position: position + 1 }, `section-${sectionId}`);
  },

  createIndicator: async (event) => {
    requireRole(event, 'FACILITATOR');
    const data = await event.request.formData();
    const values = formValues(data, 'sectionId', 'code', 'publish', ...indicatorTextFields);
    const input = { sectionId: values.sectionId, code: values.code.trim(), texts: toInput(values) };
    const result = await event.locals.api.mutation(CreateIndicatorDocument, { input }).toPromise();
    if (result.error || !result.data) return structureFailure(result.error, values, 'createIndicator', 'indicator');
    const created = result.data.createIndicator;
    let published = false;
    if (values.publish) {
      const publish = await event.locals.api.mutation(PublishIndicatorDraftDocument, { indicatorId: created.id, changeSummary: null }).toPromise();
      if (publish.error || !publish.data) return formFailure(publish.error, {}, { form: 'tree' });
      published = true;
    }
    confirmAndReturn(event, { form: 'createIndicator', code: created.code, published }, `indicator-${created.id}`);
  },

  moveIndicator: async (event) => {
    requireRole(event, 'FACILITATOR');
    const data = await event.request.formData();
    const indicatorId = id(data);
    const position = positionOf(data);
    if (position === null) return fieldFailure('tree', {}, {});
    const result = await event.locals.api.mutation(MoveIndicatorDocument, { indicatorId, sectionId: id(data, 'sectionId'), position }).toPromise();
    if (result.error || !result.data) return formFailure(result.error, {}, { form: 'tree' });
    confirmAndReturn(event, { form: 'move', code: String(data.get('code') ?? ''), position: position + 1 }, `indicator-${indicatorId}`);
  },

  retireIndicator: async (event) => {
    requireRole(event, 'FACILITATOR');
    const data = await event.request.formData();
    const indicatorId = id(data);
    const result = await event.locals.api.mutation(RetireIndicatorDocument, { indicatorId }).toPromise();
    if (result.error || !result.data) return formFailure(result.error, {}, { form: 'tree' });
    confirmAndReturn(event, { form: 'retire', code: result.data.retireIndicator.code }, `indicator-${indicatorId}`);
  },
};
