import { ArrayMaxSize, IsIn, IsOptional, IsUUID, Matches, ValidateNested } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';
import { LocalizedTextInput } from '../i18n/localized-text.js';

@InputType({ description: 'Who may comment: everyone, the working group, or the listed organizations and countries.' })
export class AudienceInput {
  @Field(() => Boolean, { description: 'Every stakeholder; when true, the lists are ignored.' })
  all!: boolean;

  @Field(() => Boolean, { defaultValue: false, description: 'Only the working group (people holding the member role); `all` must be false.' })
  @IsIn([true, false])
  workingGroup?: boolean;

  @Field(() => [ID], { defaultValue: [], description: 'Organizations whose people may comment.' })
  @ArrayMaxSize(1000)
  @IsUUID('all', { each: true })
  organizationIds!: string[];

  @Field(() => [String], { defaultValue: [], description: 'ISO 3166-1 alpha-2 codes.' })
  @ArrayMaxSize(300)
  @Matches(/^[A-Za-z]{2}$/, { each: true, message: 'countries must be two-letter ISO 3166-1 codes' })
  countries!: string[];
}

/** What a round says to its respondents: the same fields when it is created and while it is a draft. */
@InputType()
class RoundTextsInput {
  @Field(() => LocalizedTextInput, { description: 'Its title; needs a text in the framework’s source language.' })
  @ValidateNested()
  title!: LocalizedTextInput;

  @Field(() => LocalizedTextInput, { nullable: true, description: 'What respondents should know before commenting (Markdown); none when omitted.' })
  @IsOptional()
  @ValidateNested()
  instructions?: LocalizedTextInput | null;
}

@InputType({ description: 'A new consultation round on a framework’s indicators.' })
export class CreateRoundInput extends RoundTextsInput {
  @Field(() => ID, { description: 'The framework consulted on.' })
  @IsUUID()
  frameworkId!: string;

  @Field(() => [ID], { nullable: true, description: 'The versions to pin; by default every indicator’s current version.' })
  @IsOptional()
  @ArrayMaxSize(5000)
  @IsUUID('all', { each: true })
  indicatorVersionIds?: string[] | null;

  @Field(() => Date, { description: 'When comments start (an instant; give the offset or Z).' })
  opensAt!: Date;

  @Field(() => Date, { description: 'When comments stop; after `opensAt`.' })
  closesAt!: Date;

  @Field(() => AudienceInput, { nullable: true, description: 'Everyone when omitted.' })
  @IsOptional()
  @ValidateNested()
  audience?: AudienceInput | null;

  @Field(() => Boolean, { defaultValue: false, description: 'Ask respondents to rate each essential practice (PRACTICES frameworks).' })
  @IsIn([true, false])
  ratingsEnabled!: boolean;

  @Field(() => Boolean, {
    defaultValue: false,
    description: 'Save it as a draft (facilitators only see it; `scheduleRound` or `openRoundNow` publishes it). A draft needs at least one indicator and a closing time in the future; every problem is reported in `extensions.fields`, each with its `reason`.',
  })
  @IsIn([true, false])
  draft?: boolean;
}

@InputType({ description: 'Everything a facilitator may change in a round still in draft (its framework stays).' })
export class UpdateRoundDraftInput extends RoundTextsInput {
  @Field(() => [ID], { description: 'The versions to pin, one per indicator; at least one.' })
  @ArrayMaxSize(5000)
  @IsUUID('all', { each: true })
  indicatorVersionIds!: string[];

  @Field(() => Date, { description: 'When comments start (an instant; give the offset or Z).' })
  opensAt!: Date;

  @Field(() => Date, { description: 'When comments stop; after `opensAt` and in the future.' })
  closesAt!: Date;

  @Field(() => AudienceInput, { description: 'Who may comment.' })
  @ValidateNested()
  audience!: AudienceInput;

  @Field(() => Boolean, { defaultValue: false, description: 'Ask respondents to rate each essential practice (PRACTICES frameworks).' })
  @IsIn([true, false])
  ratingsEnabled!: boolean;
}
