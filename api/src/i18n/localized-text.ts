import { IsOptional, MaxLength } from 'class-validator';
import { Field, InputType, ObjectType } from 'type-graphql';
import { Locale } from '../users/user.entity.js';

/** A text with a value per language, stored as jsonb: `{ "es": "…", "en": "…" }`. */
export type LocalizedText = Partial<Record<Locale, string>>;

export const LOCALES = Object.values(Locale);

@ObjectType({ description: 'A text in the language asked for, or in the source language when not yet translated.' })
export class LocalizedString {
  @Field(() => String)
  value!: string;

  @Field(() => Locale, { description: 'The language `value` is in.' })
  language!: Locale;

  @Field(() => Boolean, { description: 'True when `value` fell back to another language: show a “not yet translated” mark.' })
  fallback!: boolean;
}

/** The text in `locale`, else in `source`, else in any language it has; null when it has none. */
export function localize(text: LocalizedText | null | undefined, locale: Locale, source: Locale): LocalizedString | null {
  if (!text) return null;
  const order = [locale, source, ...LOCALES];
  for (const language of order) {
    const value = text[language];
    if (value !== undefined && value !== '') return { value, language, fallback: language !== locale };
  }
  return null;
}

@ObjectType({ description: 'A text in every language it has, for editors and translators.' })
export class Translations {
  @Field(() => String, { nullable: true }) es?: string | null;
  @Field(() => String, { nullable: true }) en?: string | null;
  @Field(() => String, { nullable: true }) pt?: string | null;
  @Field(() => String, { nullable: true }) fr?: string | null;
}

@InputType({ description: 'A text per language; give at least the source language.' })
export class LocalizedTextInput {
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(20000) es?: string | null;
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(20000) en?: string | null;
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(20000) pt?: string | null;
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(20000) fr?: string | null;
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
