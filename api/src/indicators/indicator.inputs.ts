import { IsOptional, Matches, Min, ValidateNested } from 'class-validator';
import { Field, ID, InputType, Int } from 'type-graphql';
import { LocalizedTextInput, toLocalizedText } from '../i18n/localized-text.js';
import { IndicatorField, type IndicatorTexts } from './indicator-field.js';

@InputType({ description: 'An indicator’s whole text, each field per language. A field left out is empty.' })
export class IndicatorTextsInput {
  @Field(() => LocalizedTextInput, { nullable: true }) @IsOptional() @ValidateNested() title?: LocalizedTextInput | null;
  @Field(() => LocalizedTextInput, { nullable: true }) @IsOptional() @ValidateNested() statement?: LocalizedTextInput | null;
  @Field(() => LocalizedTextInput, { nullable: true }) @IsOptional() @ValidateNested() rationale?: LocalizedTextInput | null;
  @Field(() => LocalizedTextInput, { nullable: true }) @IsOptional() @ValidateNested() measurement?: LocalizedTextInput | null;
  @Field(() => LocalizedTextInput, { nullable: true }) @IsOptional() @ValidateNested() verification?: LocalizedTextInput | null;
  @Field(() => LocalizedTextInput, { nullable: true }) @IsOptional() @ValidateNested() dataSource?: LocalizedTextInput | null;
  @Field(() => LocalizedTextInput, { nullable: true }) @IsOptional() @ValidateNested() levels?: LocalizedTextInput | null;
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

/** What is stored: trimmed, without empty languages or empty fields. */
export function toIndicatorTexts(input: IndicatorTextsInput | null | undefined): IndicatorTexts {
  const texts: IndicatorTexts = {};
  for (const field of Object.values(IndicatorField)) {
    const text = toLocalizedText(input?.[INPUT_FIELD[field]]);
    if (Object.keys(text).length) texts[field] = text;
  }
  return texts;
}

@InputType()
export class CreateIndicatorInput {
  @Field(() => ID)
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
