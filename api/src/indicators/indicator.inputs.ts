import { IsOptional, Matches, Min, ValidateNested } from 'class-validator';
import { Field, ID, InputType, Int } from 'type-graphql';
import { LOCALES, LocalizedTextInput, type LocalizedText } from '../i18n/localized-text.js';
import { IndicatorField, type IndicatorTexts } from './indicator-field.js';

@InputType({
  description:
    'An indicator’s text, each field per language, applied to the text it revises (the draft for saveIndicatorDraft, the consulted version for proposeRevision, nothing for createIndicator): a field or language left out, or null, keeps that text; an empty string (or only spaces) clears it.',
})
export class IndicatorTextsInput {
  @Field(() => LocalizedTextInput, { nullable: true, description: 'TITLE: a short name for the indicator.' }) @IsOptional() @ValidateNested() title?: LocalizedTextInput | null;
  @Field(() => LocalizedTextInput, { nullable: true, description: 'STATEMENT: what the institution must do or show.' }) @IsOptional() @ValidateNested() statement?: LocalizedTextInput | null;
  @Field(() => LocalizedTextInput, { nullable: true, description: 'RATIONALE: why it matters.' }) @IsOptional() @ValidateNested() rationale?: LocalizedTextInput | null;
  @Field(() => LocalizedTextInput, { nullable: true, description: 'MEASUREMENT: formula or method, and unit.' }) @IsOptional() @ValidateNested() measurement?: LocalizedTextInput | null;
  @Field(() => LocalizedTextInput, { nullable: true, description: 'VERIFICATION: the evidence an auditor checks.' }) @IsOptional() @ValidateNested() verification?: LocalizedTextInput | null;
  @Field(() => LocalizedTextInput, { nullable: true, description: 'DATA_SOURCE: where the data come from.' }) @IsOptional() @ValidateNested() dataSource?: LocalizedTextInput | null;
  @Field(() => LocalizedTextInput, { nullable: true, description: 'LEVELS: the levels or threshold that count as meeting it.' }) @IsOptional() @ValidateNested() levels?: LocalizedTextInput | null;
}

const INPUT_FIELD: Record<IndicatorField, keyof IndicatorTextsInput> = {
  [IndicatorField.TITLE]: 'title',
  [IndicatorField.STATEMENT]: 'statement',
  [IndicatorField.RATIONALE]: 'rationale',
  [IndicatorField.MEASUREMENT]: 'measurement',
  [IndicatorField.VERIFICATION]: 'verification',
  [IndicatorField.DATA_SOURCE]: 'dataSource',
  [IndicatorField.LEVELS]: 'levels',
};

/** The input's name for a field (`dataSource`), for error messages the client can place. */
export const inputFieldName = (field: IndicatorField) => INPUT_FIELD[field];

/**
 * The text `input` makes of `base`: a field or language the input leaves out (or sends as null)
 * keeps `base`'s words, so a client changing one field need not resend the rest; an empty string
 * clears. What is stored is trimmed, without empty languages or empty fields.
 */
export function revisedTexts(base: IndicatorTexts, input: IndicatorTextsInput | null | undefined): IndicatorTexts {
  const texts: IndicatorTexts = {};
  for (const field of Object.values(IndicatorField)) {
    const given = input?.[INPUT_FIELD[field]];
    const text: LocalizedText = { ...base[field] };
    for (const language of LOCALES) {
      const value = given?.[language];
      if (value === undefined || value === null) continue;
      if (value.trim()) text[language] = value.trim();
      else delete text[language];
    }
    if (Object.keys(text).length) texts[field] = text;
  }
  return texts;
}

/** A first text, built on nothing. */
export const toIndicatorTexts = (input: IndicatorTextsInput | null | undefined): IndicatorTexts => revisedTexts({}, input);

@InputType({ description: 'A new indicator (or essential practice) in a section, with its first draft.' })
export class CreateIndicatorInput {
  @Field(() => ID, { description: 'The section it goes in; its framework is the section’s.' })
  sectionId!: string;

  @Field(() => String, { description: 'Stable and unique within the framework, e.g. `GEN-09` or `1A.4`.' })
  @Matches(/^[A-Za-z0-9][A-Za-z0-9.-]{0,29}$/, { message: 'code must be letters, digits, dots or hyphens (at most 30)' })
  code!: string;

  @Field(() => Int, { nullable: true, description: 'Where in the section, from 0; the end when omitted.' })
  @IsOptional()
  @Min(0)
  position?: number | null;

  @Field(() => IndicatorTextsInput, { description: 'The first draft; needs at least a title in the source language.' })
  @ValidateNested()
  texts!: IndicatorTextsInput;
}
