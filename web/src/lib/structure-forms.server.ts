import type { CombinedError } from '@urql/core';
import { fieldFailure, formFailure } from './forms.server.js';
import { httpStatus, problemOf } from './graphql/problems.js';
import { locales } from './i18n/locales.js';

/** The framework-structure forms' texts per language: `name.es`, `title.fr` … */
export const languageFields = (prefix: string) => locales.map((l) => `${prefix}.${l}`);

/** A text per language as typed (`prefix.es` …), as the API takes it: blank languages left out. */
export function localizedInput(values: Record<string, string>, prefix: string): Record<string, string | null> {
  return Object.fromEntries(locales.map((l) => [l, values[`${prefix}.${l}`]?.trim() || null]));
}

/** The same text with blank languages sent as '' (the API removes them): for a text being replaced. */
export function replacingInput(values: Record<string, string>, prefix: string): Record<string, string> {
  return Object.fromEntries(locales.map((l) => [l, values[`${prefix}.${l}`]?.trim() ?? '']));
}

/**
 * An API refusal of a structure form, said next to its field in the page's language: a code already
 * used (`code` of a section or an indicator), a slug already taken, a title or name missing in the
 * framework's source language. Anything else is the notice above the form.
 */
export function structureFailure(error: CombinedError | undefined, values: Record<string, string>, form: string, codeOf: 'section' | 'indicator' = 'section') {
  const problem = problemOf(error);
  const fields: Record<string, string> = {};
  for (const { field: path } of problem?.fields ?? []) {
    const field = path.replace(/^input\./, '');
    if (field === 'slug') fields.slug = problem!.reason === 'DUPLICATE_SLUG' ? 'structure.error.DUPLICATE_SLUG' : 'structure.error.slug';
    else if (field === 'code') fields.code = problem!.reason === 'DUPLICATE_CODE' ? `structure.error.DUPLICATE_CODE.${codeOf}` : `structure.error.code.${codeOf}`;
    else if (/^name(\.|$)/.test(field)) fields.name = 'structure.error.nameSource';
    else if (/^(texts\.)?title(\.|$)/.test(field)) fields.title = 'structure.error.titleSource';
  }
  if (!Object.keys(fields).length) return formFailure(error, values, { form });
  return fieldFailure(form, values, fields, httpStatus(problem?.code));
}

