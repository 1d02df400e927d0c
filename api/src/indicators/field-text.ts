import { Field, ObjectType } from 'type-graphql';
import { LocalizedString, Translations, localize } from '../i18n/localized-text.js';
import type { Locale } from '../users/user.entity.js';
import { IndicatorField, INDICATOR_FIELDS, type IndicatorTexts } from './indicator-field.js';

@ObjectType({ description: 'One field of an indicator’s text: in the language asked for, and in every language.' })
export class IndicatorFieldText {
  @Field(() => IndicatorField, { description: 'Which part of the text.' })
  field!: IndicatorField;

  @Field(() => LocalizedString, { nullable: true, description: 'Null when the field is empty in every language.' })
  text!: LocalizedString | null;

  @Field(() => Translations, { description: 'The field in every language, for editors and translators.' })
  translations!: Translations;
}

/** Every field in the canonical order, read in the reader's languages (best first) with fallback to `source`. */
export function fieldTexts(texts: IndicatorTexts, reading: readonly Locale[], source: Locale): IndicatorFieldText[] {
  return INDICATOR_FIELDS.map((field) => ({ field, text: localize(texts[field], reading, source), translations: texts[field] ?? {} }));
}

/** Same fields, same languages, same words. */
export function sameTexts(a: IndicatorTexts, b: IndicatorTexts): boolean {
  return INDICATOR_FIELDS.every((field) => {
    const x = a[field] ?? {};
    const y = b[field] ?? {};
    const languages = new Set([...Object.keys(x), ...Object.keys(y)]) as Set<Locale>;
    return [...languages].every((l) => (x[l] ?? '') === (y[l] ?? ''));
  });
}
