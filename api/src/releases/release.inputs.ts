import { IsOptional, IsUUID, MaxLength, ValidateNested } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';
import { LocalizedTextInput } from '../i18n/localized-text.js';

@InputType({ description: 'A new release of a framework: every indicator in force at its current version.' })
export class ReleaseFrameworkInput {
  @Field(() => ID, { description: 'The framework to release.' })
  @IsUUID()
  frameworkId!: string;

  @Field(() => String, { description: 'The year, a dot and a number, e.g. `2026.1`; unique within the framework.' })
  @MaxLength(20)
  number!: string;

  @Field(() => LocalizedTextInput, { nullable: true, description: 'What this release is, for readers; any languages.' })
  @IsOptional()
  @ValidateNested()
  notes?: LocalizedTextInput | null;

  @Field(() => Boolean, { nullable: true, description: 'Mark it final at once: the standard certification uses, until a later final release supersedes it.' })
  @IsOptional()
  final?: boolean | null;
}
