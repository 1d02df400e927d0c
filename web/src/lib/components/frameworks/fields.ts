import type { IndicatorField, IndicatorTextsInput } from '$lib/graphql/generated';
import { locales, type Locale } from '$lib/i18n/locales';

/** The fields of an indicator's text, in reading order, with the API input's name for each. */
export const indicatorFields: { field: IndicatorField; input: keyof IndicatorTextsInput }[] = [
  { field: 'TITLE', input: 'title' },
  { field: 'STATEMENT', input: 'statement' },
  { field: 'RATIONALE', input: 'rationale' },
  { field: 'MEASUREMENT', input: 'measurement' },
  { field: 'VERIFICATION', input: 'verification' },
  { field: 'DATA_SOURCE', input: 'dataSource' },
  { field: 'LEVELS', input: 'levels' },
];

/** An indicator's text flattened to `FIELD.lang` → text, the names the draft form uses. */
export type FlatTexts = Record<string, string>;

export const flatKey = (field: IndicatorField, language: Locale) => `${field}.${language}`;

/** From the API's `{ TITLE: { es: '…' } }` (a conflict's `current.texts`) or the draft's field list. */
export function flatten(texts: Partial<Record<IndicatorField, Partial<Record<Locale, string | null>>>>): FlatTexts {
  const flat: FlatTexts = {};
  for (const { field } of indicatorFields) {
    for (const language of locales) flat[flatKey(field, language)] = texts[field]?.[language] ?? '';
  }
  return flat;
}

/**
 * The form's texts as the API's input: every field and language the form holds, an emptied one as
 * `''` (the API clears it; null or a missing key would keep the saved words).
 */
export function toInput(flat: FlatTexts): IndicatorTextsInput {
  const input: IndicatorTextsInput = {};
  for (const { field, input: name } of indicatorFields) {
    input[name] = Object.fromEntries(locales.map((l) => [l, flat[flatKey(field, l)] ?? '']));
  }
  return input;
}
