import { IsIn, IsOptional, Length, Matches, Min, ValidateNested } from 'class-validator';
import { Field, ID, InputType, Int } from 'type-graphql';
import { LocalizedTextInput } from '../i18n/localized-text.js';
import { Locale } from '../users/user.entity.js';
import { FrameworkKind } from './framework.entity.js';

const SECTION_CODE = /^[A-Za-z0-9][A-Za-z0-9.-]{0,19}$/;

@InputType({ description: 'A new framework, empty until sections and indicators are added.' })
export class CreateFrameworkInput {
  @Field(() => String, { description: 'Lower-case words joined by hyphens, e.g. `spwg-lac-certification`.' })
  @Length(2, 80)
  @Matches(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, { message: 'slug must be lower-case words joined by hyphens' })
  slug!: string;

  @Field(() => LocalizedTextInput, { description: 'Its name; needs a text in the source language.' })
  @ValidateNested()
  name!: LocalizedTextInput;

  @Field(() => LocalizedTextInput, { nullable: true, description: 'What it is for; none when omitted.' })
  @IsOptional()
  @ValidateNested()
  description?: LocalizedTextInput | null;

  @Field(() => Locale, { defaultValue: Locale.ES, description: 'The language its texts are written in first; it cannot change later.' })
  @IsIn(Object.values(Locale))
  sourceLanguage: Locale = Locale.ES;

  @Field(() => FrameworkKind, { description: 'Certification indicators or USSPM practices; it cannot change later.' })
  @IsIn(Object.values(FrameworkKind))
  kind!: FrameworkKind;
}

@InputType({ description: 'What to change of a framework; a field left out (or null) stays as it is.' })
export class UpdateFrameworkInput {
  @Field(() => LocalizedTextInput, { nullable: true, description: 'Needs a text in the source language; a language sent empty is removed.' })
  @IsOptional()
  @ValidateNested()
  name?: LocalizedTextInput | null;

  @Field(() => LocalizedTextInput, { nullable: true, description: 'Replaces the description; a language sent empty is removed.' })
  @IsOptional()
  @ValidateNested()
  description?: LocalizedTextInput | null;
}

@InputType({ description: 'A new section (an area, a dimension, a standard) in a framework’s tree.' })
export class CreateSectionInput {
  @Field(() => ID, { description: 'The framework it belongs to.' })
  frameworkId!: string;

  @Field(() => ID, { nullable: true, description: 'The section it belongs to; none for a top-level area or dimension.' })
  @IsOptional()
  parentId?: string | null;

  @Field(() => String, { description: 'Unique within the framework, e.g. `GEN`, `1`, `1A`.' })
  @Matches(SECTION_CODE, { message: 'code must be letters, digits, dots or hyphens (at most 20)' })
  code!: string;

  @Field(() => LocalizedTextInput, { description: 'Its title; needs a text in the framework’s source language.' })
  @ValidateNested()
  title!: LocalizedTextInput;

  @Field(() => Int, { nullable: true, description: 'Where among its siblings, from 0; the end when omitted.' })
  @IsOptional()
  @Min(0)
  position?: number | null;
}

@InputType({ description: 'What to change of a section; a field left out (or null) stays as it is.' })
export class UpdateSectionInput {
  @Field(() => String, { nullable: true, description: 'A new code, unique within the framework (CONFLICT `DUPLICATE_CODE` otherwise).' })
  @IsOptional()
  @Matches(SECTION_CODE, { message: 'code must be letters, digits, dots or hyphens (at most 20)' })
  code?: string | null;

  @Field(() => LocalizedTextInput, { nullable: true, description: 'A new title; needs a text in the source language, a language sent empty is removed.' })
  @IsOptional()
  @ValidateNested()
  title?: LocalizedTextInput | null;

  @Field(() => Int, { nullable: true, description: 'A new place among its siblings, from 0.' })
  @IsOptional()
  @Min(0)
  position?: number | null;
}
