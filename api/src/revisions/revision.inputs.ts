import { ArrayMaxSize, IsOptional, IsUUID, MaxLength, MinLength, ValidateNested } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';
import { IndicatorTextsInput } from '../indicators/indicator.inputs.js';

@InputType({ description: 'A new version of an indicator proposed in answer to comments; a ballot decides whether it is adopted.' })
export class ProposeRevisionInput {
  @Field(() => ID, { description: 'The indicator revised.' })
  @IsUUID()
  indicatorId!: string;

  @Field(() => ID, { description: 'The published version that was consulted; the revision is built on it.' })
  @IsUUID()
  basedOnVersionId!: string;

  @Field(() => IndicatorTextsInput, { description: 'What changes from the consulted version: fields and languages left out (or null) keep its text; an empty string clears one.' })
  @ValidateNested()
  texts!: IndicatorTextsInput;

  @Field(() => String, { description: 'What changed and why, for the voters.' })
  @MinLength(1)
  @MaxLength(5000)
  changeSummary!: string;

  @Field(() => [ID], { nullable: true, description: 'Top-level comments on this indicator that the revision takes up.' })
  @IsOptional()
  @ArrayMaxSize(500)
  @IsUUID('all', { each: true })
  answersCommentIds?: string[] | null;
}

@InputType({ description: 'A revision as it stands in the workbench, compared word by word with the consulted version; nothing is stored.' })
export class RevisionPreviewInput {
  @Field(() => ID, { description: 'The published version that was consulted.' })
  @IsUUID()
  basedOnVersionId!: string;

  @Field(() => IndicatorTextsInput, { description: 'As for proposeRevision: fields and languages left out (or null) keep the consulted text; an empty string clears one.' })
  @ValidateNested()
  texts!: IndicatorTextsInput;
}
