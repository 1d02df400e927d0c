import { IsOptional, MaxLength } from 'class-validator';
import { Field, InputType, ObjectType } from 'type-graphql';
import { Locale } from '../users/user.entity.js';

/** A text with a value per language, stored as jsonb: `{ "es": "…", "en": "…" }`. */
export type LocalizedText = Partial<Record<Locale, string>>;

export const LOCALES = Object.values(Locale);

@ObjectType({ description: 'A text in the language asked for; when not yet translated, in the reader’s next language that it has (their browser’s, their account’s), else in its source language.' })
export class LocalizedString {
  @Field(() => String, { description: 'The text.' })
  value!: string;

  @Field(() => Locale, { description: 'The language `value` is in.' })
  language!: Locale;

  @Field(() => Boolean, { description: 'True when `value` fell back to another language: show a “not yet translated” mark.' })
  fallback!: boolean;
}

/**
 * The text in `reading` (one language, or the reader's languages best first: frameworks/reading-language.ts),
 * else in `source`, else in any language it has; null when it has none. Any language but the first is a fallback.
 */
export function localize(text: LocalizedText | null | undefined, reading: Locale | readonly Locale[], source: Locale): LocalizedString | null {
  if (!text) return null;
  const order = typeof reading === 'string' ? [reading, source, ...LOCALES] : [...reading, source, ...LOCALES];
  for (const language of order) {
    const value = text[language];
    if (value !== undefined && value !== '') return { value, language, fallback: language !== order[0] };
  }
  return null;
}

@ObjectType({ description: 'A text in every language it has, for editors and translators.' })
export class Translations {
  @Field(() => String, { nullable: true, description: 'Spanish; null when not written.' }) es?: string | null;
  @Field(() => String, { nullable: true, description: 'English; null when not written.' }) en?: string | null;
  @Field(() => String, { nullable: true, description: 'Portuguese (Brazil); null when not written.' }) pt?: string | null;
  @Field(() => String, { nullable: true, description: 'French; null when not written.' }) fr?: string | null;
}

@InputType({ description: 'A text per language; give at least the source language.' })
export class LocalizedTextInput {
  @Field(() => String, { nullable: true, description: 'Spanish; blank or omitted for none. 20,000 characters at most.' }) @IsOptional() @MaxLength(20000) es?: string | null;
  @Field(() => String, { nullable: true, description: 'English; blank or omitted for none.' }) @IsOptional() @MaxLength(20000) en?: string | null;
  @Field(() => String, { nullable: true, description: 'Portuguese (Brazil); blank or omitted for none.' }) @IsOptional() @MaxLength(20000) pt?: string | null;
  @Field(() => String, { nullable: true, description: 'French; blank or omitted for none.' }) @IsOptional() @MaxLength(20000) fr?: string | null;
}

/** Drops empty languages and trims; what is stored. */
export function toLocalizedText(input: LocalizedTextInput | null | undefined): LocalizedText {
  const out: LocalizedText = {};
  for (const l of LOCALES) {
    const v = input?.[l]?.trim();
    if (v) out[l] = v;
  }
  return out;
}
