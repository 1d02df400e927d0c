import { ArrayMaxSize, IsIn, IsInt, IsOptional, IsUUID, Matches, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { Field, ID, InputType, Int } from 'type-graphql';
import { LocalizedTextInput } from '../i18n/localized-text.js';
import { ActivityLinkKind, ActivityStatus } from './workplan.entity.js';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

@InputType({ description: 'A year’s work plan to start.' })
export class CreateWorkPlanInput {
  @Field(() => Int, { description: 'The year it plans (2000 to 2100); one plan per year.' })
  @IsInt()
  @Min(2000)
  @Max(2100)
  year!: number;

  @Field(() => LocalizedTextInput, { description: 'Its title per language; at least one.' })
  @ValidateNested()
  title!: LocalizedTextInput;
}

@InputType({ description: 'An objective to add at the end of a plan.' })
export class AddWorkObjectiveInput {
  @Field(() => ID, { description: 'The plan.' })
  @IsUUID()
  planId!: string;

  @Field(() => LocalizedTextInput, { description: 'Its title per language; at least one.' })
  @ValidateNested()
  title!: LocalizedTextInput;
}

@InputType({ description: 'An objective’s new title.' })
export class UpdateWorkObjectiveInput {
  @Field(() => ID, { description: 'The objective.' })
  @IsUUID()
  id!: string;

  @Field(() => LocalizedTextInput, { description: 'Its title per language; the languages given replace those stored, a blank one removes its language.' })
  @ValidateNested()
  title!: LocalizedTextInput;
}

@InputType({ description: 'What an activity is: who is responsible, when, and how far it has come.' })
export class WorkActivityFields {
  @Field(() => LocalizedTextInput, { description: 'Its title per language; at least one. On an update the languages given replace those stored, a blank one removes its language, and omitted ones stay.' })
  @ValidateNested()
  title!: LocalizedTextInput;

  @Field(() => [ID], { description: 'The organizations responsible (the partners), at most 20.' })
  @ArrayMaxSize(20)
  @IsUUID('all', { each: true })
  partnerIds!: string[];

  @Field(() => String, { nullable: true, description: 'The person responsible.' })
  @IsOptional()
  @MaxLength(200)
  responsiblePerson?: string | null;

  @Field(() => String, { description: 'When it starts (YYYY-MM-DD).' })
  @Matches(DAY)
  startsOn!: string;

  @Field(() => String, { description: 'When it ends (YYYY-MM-DD), on or after the start.' })
  @Matches(DAY)
  endsOn!: string;

  @Field(() => ActivityStatus, { description: 'Planned, in progress, done or cancelled.' })
  @IsIn(Object.values(ActivityStatus))
  status!: ActivityStatus;

  @Field(() => Int, { nullable: true, description: 'How far it has come, 0 to 100; omitted: 100 when done, else 0 for a new activity and unchanged for an existing one.' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100)
  progress?: number | null;
}

@InputType({ description: 'An activity to add at the end of an objective.' })
export class AddWorkActivityInput extends WorkActivityFields {
  @Field(() => ID, { description: 'The objective.' })
  @IsUUID()
  objectiveId!: string;
}

@InputType({ description: 'An activity’s new state: every field is replaced.' })
export class UpdateWorkActivityInput extends WorkActivityFields {
  @Field(() => ID, { description: 'The activity.' })
  @IsUUID()
  id!: string;
}

@InputType({ description: 'A meeting, round, ballot or action item to link an activity to.' })
export class LinkWorkActivityInput {
  @Field(() => ID, { description: 'The activity.' })
  @IsUUID()
  activityId!: string;

  @Field(() => ActivityLinkKind, { description: 'What `targetId` names.' })
  @IsIn(Object.values(ActivityLinkKind))
  kind!: ActivityLinkKind;

  @Field(() => ID, { description: 'The meeting, round, ballot or action item.' })
  @IsUUID()
  targetId!: string;
}
