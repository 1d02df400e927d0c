import { ArrayMaxSize, IsIn, IsInt, IsOptional, IsUrl, IsUUID, Length, Matches, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { Field, ID, InputType, Int } from 'type-graphql';
import { LocalizedTextInput } from '../i18n/localized-text.js';
import { Locale } from '../users/user.entity.js';
import { AgendaLinkKind, MeetingAudience, MeetingKind } from './meeting.entity.js';

@InputType({ description: 'A meeting to schedule.' })
export class ScheduleMeetingInput {
  @Field(() => LocalizedTextInput, { description: 'Its title per language; at least the meeting’s own language.' })
  @ValidateNested()
  title!: LocalizedTextInput;

  @Field(() => MeetingKind, { description: 'Forum, annual meeting, call or workshop.' })
  @IsIn(Object.values(MeetingKind))
  kind!: MeetingKind;

  @Field(() => Date, { description: 'When it starts (an instant; give the offset or Z).' })
  startsAt!: Date;

  @Field(() => Date, { description: 'When it ends; after `startsAt`.' })
  endsAt!: Date;

  @Field(() => String, { description: 'The IANA time zone it is held in, e.g. America/Lima.' })
  @Length(1, 60)
  timeZone!: string;

  @Field(() => String, { nullable: true, description: 'Where it is held in person; give this, `onlineUrl`, or both.' })
  @IsOptional()
  @MaxLength(300)
  place?: string | null;

  @Field(() => String, { nullable: true, description: 'The https link to join online.' })
  @IsOptional()
  @MaxLength(500)
  @IsUrl({ protocols: ['https', 'http'], require_protocol: true })
  onlineUrl?: string | null;

  @Field(() => Locale, { description: 'The language it is held in.' })
  @IsIn(Object.values(Locale))
  language!: Locale;

  @Field(() => MeetingAudience, { description: 'Who may see and join it.' })
  @IsIn(Object.values(MeetingAudience))
  audience!: MeetingAudience;

  @Field(() => Int, { nullable: true, description: 'Places; omitted for no limit.' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100000)
  capacity?: number | null;
}

@InputType({ description: 'Someone present at a meeting: a person with an account, or a name with an organization and a country.' })
export class RecordAttendanceInput {
  @Field(() => ID, { description: 'The meeting.' })
  @IsUUID()
  meetingId!: string;

  @Field(() => ID, { nullable: true, description: 'A person with an account: their name, organization and country are taken from it.' })
  @IsOptional()
  @IsUUID()
  userId?: string | null;

  @Field(() => String, { nullable: true, description: 'The name of someone without an account.' })
  @IsOptional()
  @MaxLength(200)
  personName?: string | null;

  @Field(() => String, { nullable: true, description: 'Their organization.' })
  @IsOptional()
  @MaxLength(200)
  organizationName?: string | null;

  @Field(() => String, { nullable: true, description: 'Their country (ISO 3166-1 alpha-2).' })
  @IsOptional()
  @Matches(/^[A-Za-z]{2}$/)
  country?: string | null;
}

@InputType({ description: 'A link an agenda item lists as material.' })
export class MaterialInput {
  @Field(() => String, { description: 'What it is.' })
  @Length(1, 200)
  label!: string;

  @Field(() => String, { description: 'Where it is (http or https).' })
  @MaxLength(1000)
  @IsUrl({ protocols: ['https', 'http'], require_protocol: true })
  url!: string;
}

@InputType({ description: 'An agenda item to add at the end of the agenda.' })
export class AddAgendaItemInput {
  @Field(() => ID, { description: 'The meeting.' })
  @IsUUID()
  meetingId!: string;

  @Field(() => LocalizedTextInput, { description: 'Its title per language.' })
  @ValidateNested()
  title!: LocalizedTextInput;

  @Field(() => Int, { nullable: true, description: 'Minutes given to it (1 to 600).' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(600)
  timeBoxMinutes?: number | null;

  @Field(() => String, { nullable: true, description: 'Who presents it.' })
  @IsOptional()
  @MaxLength(200)
  presenter?: string | null;

  @Field(() => [MaterialInput], { nullable: true, description: 'Links to its materials.' })
  @IsOptional()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  materials?: MaterialInput[] | null;

  @Field(() => AgendaLinkKind, { nullable: true, description: 'What it is about; omitted for a plain item.' })
  @IsOptional()
  @IsIn(Object.values(AgendaLinkKind))
  linkKind?: AgendaLinkKind | null;

  @Field(() => ID, { nullable: true, description: 'For INDICATOR and DISPOSITIONS: the round.' })
  @IsOptional()
  @IsUUID()
  roundId?: string | null;

  @Field(() => ID, { nullable: true, description: 'For INDICATOR: the indicator version consulted in the round; for REVISION: the revision.' })
  @IsOptional()
  @IsUUID()
  indicatorVersionId?: string | null;

  @Field(() => ID, { nullable: true, description: 'For BALLOT: the ballot.' })
  @IsOptional()
  @IsUUID()
  ballotId?: string | null;
}

@InputType({ description: 'A decision taken under an agenda item.' })
export class RecordDecisionInput {
  @Field(() => ID, { description: 'The agenda item.' })
  @IsUUID()
  agendaItemId!: string;

  @Field(() => String, { description: 'What was decided.' })
  @Length(1, 5000)
  text!: string;

  @Field(() => ID, { nullable: true, description: 'The ballot that decided it.' })
  @IsOptional()
  @IsUUID()
  ballotId?: string | null;

  @Field(() => ID, { nullable: true, description: 'The round whose disposition of comments it rests on.' })
  @IsOptional()
  @IsUUID()
  roundId?: string | null;
}

@InputType({ description: 'An action item a meeting gives someone.' })
export class AddActionItemInput {
  @Field(() => ID, { description: 'The agenda item it comes from.' })
  @IsUUID()
  agendaItemId!: string;

  @Field(() => String, { description: 'What is to be done.' })
  @Length(1, 2000)
  description!: string;

  @Field(() => ID, { nullable: true, description: 'The organization responsible.' })
  @IsOptional()
  @IsUUID()
  responsibleOrganizationId?: string | null;

  @Field(() => String, { description: 'The person responsible.' })
  @Length(1, 200)
  responsiblePerson!: string;

  @Field(() => String, { description: 'When it is due (YYYY-MM-DD).' })
  @Matches(/^\d{4}-\d{2}-\d{2}$/)
  dueOn!: string;
}
