import { Entity, Enum, ManyToOne, PrimaryKey, Property, type Opt, type Ref } from '@mikro-orm/core';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { randomUUID } from 'node:crypto';
import type { LocalizedText } from '../i18n/localized-text.js';
import { Locale } from '../users/user.entity.js';

export enum MeetingKind {
  REGIONAL_FORUM = 'REGIONAL_FORUM',
  ANNUAL_MEETING = 'ANNUAL_MEETING',
  WORKING_GROUP_CALL = 'WORKING_GROUP_CALL',
  WORKSHOP = 'WORKSHOP',
}
registerEnumType(MeetingKind, {
  name: 'MeetingKind',
  description: 'What kind of meeting the working group holds.',
  valuesConfig: {
    REGIONAL_FORUM: { description: 'The regional forum on social performance, open to the industry.' },
    ANNUAL_MEETING: { description: 'The working group’s annual regional meeting.' },
    WORKING_GROUP_CALL: { description: 'A working-group call, where indicators are walked through and decided.' },
    WORKSHOP: { description: 'A workshop with stakeholders.' },
  },
});

export enum MeetingAudience {
  PUBLIC = 'PUBLIC',
  STAKEHOLDERS = 'STAKEHOLDERS',
  WORKING_GROUP = 'WORKING_GROUP',
}
registerEnumType(MeetingAudience, {
  name: 'MeetingAudience',
  description: 'Who may see and join a meeting.',
  valuesConfig: {
    PUBLIC: { description: 'Anyone: shown signed out, and its approved minutes are public.' },
    STAKEHOLDERS: { description: 'Everyone with an account.' },
    WORKING_GROUP: { description: 'Working-group members and facilitators.' },
  },
});

export enum RegistrationStatus {
  CONFIRMED = 'CONFIRMED',
  WAITLISTED = 'WAITLISTED',
  CANCELLED = 'CANCELLED',
}
registerEnumType(RegistrationStatus, {
  name: 'RegistrationStatus',
  description: 'Where a registration stands.',
  valuesConfig: {
    CONFIRMED: { description: 'Has a place.' },
    WAITLISTED: { description: 'On the waiting list: takes the first place a cancellation frees, in the order registered.' },
    CANCELLED: { description: 'Cancelled by the person.' },
  },
});

export enum AgendaLinkKind {
  INDICATOR = 'INDICATOR',
  REVISION = 'REVISION',
  BALLOT = 'BALLOT',
  DISPOSITIONS = 'DISPOSITIONS',
}
registerEnumType(AgendaLinkKind, {
  name: 'AgendaLinkKind',
  description: 'What an agenda item is about.',
  valuesConfig: {
    INDICATOR: { description: 'An indicator as consulted in a round (its version there).' },
    REVISION: { description: 'A revision of an indicator (a proposed version).' },
    BALLOT: { description: 'A ballot.' },
    DISPOSITIONS: { description: 'A round’s disposition of comments.' },
  },
});

/** Which way an agenda item moves: one place up (earlier) or down (later). */
export enum AgendaMove {
  UP = 'UP',
  DOWN = 'DOWN',
}
registerEnumType(AgendaMove, {
  name: 'AgendaMove',
  description: 'Which way an agenda item moves.',
  valuesConfig: {
    UP: { description: 'One place earlier.' },
    DOWN: { description: 'One place later.' },
  },
});

/** A link an agenda item lists as material. */
export interface Material {
  label: string;
  url: string;
}

@ObjectType({ description: 'A meeting of the working group: a regional forum, the annual meeting, a call or a workshop.' })
@Entity({ tableName: 'meeting' })
export class Meeting {
  @Field(() => ID, { description: 'The meeting’s id.' })
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'json' })
  title!: LocalizedText;

  @Field(() => MeetingKind, { description: 'Forum, annual meeting, call or workshop.' })
  @Enum({ items: () => MeetingKind, type: 'string' })
  kind!: MeetingKind;

  @Field(() => Date, { description: 'When it starts (an instant).' })
  @Property({ type: 'datetime' })
  startsAt!: Date;

  @Field(() => Date, { description: 'When it ends (an instant).' })
  @Property({ type: 'datetime' })
  endsAt!: Date;

  @Field(() => String, { description: 'The IANA time zone it is held in (e.g. America/Lima): its times are shown there.' })
  @Property({ type: 'string' })
  timeZone!: string;

  @Field(() => String, { nullable: true, description: 'Where it is held in person; null when only online.' })
  @Property({ type: 'string', length: 300, nullable: true })
  place?: string | null;

  @Field(() => String, { nullable: true, description: 'The link to join online; null when only in person.' })
  @Property({ type: 'string', length: 500, nullable: true })
  onlineUrl?: string | null;

  @Field(() => Locale, { description: 'The language it is held in.' })
  @Enum({ items: () => Locale, type: 'string' })
  language!: Locale;

  @Field(() => MeetingAudience, { description: 'Who may see and join it.' })
  @Enum({ items: () => MeetingAudience, type: 'string' })
  audience!: MeetingAudience;

  @Field(() => Int, { nullable: true, description: 'Places; null for no limit.' })
  @Property({ type: 'integer', nullable: true })
  capacity?: number | null;

  @Field(() => Int, { description: 'Confirmed registrations (maintained with each registration).' })
  @Property({ type: 'integer' })
  confirmedCount: number & Opt = 0;

  @Field(() => Int, { description: 'Registrations on the waiting list.' })
  @Property({ type: 'integer' })
  waitlistedCount: number & Opt = 0;

  @Property({ type: 'uuid', nullable: true })
  currentItemId?: string | null;

  @Field(() => Date, { nullable: true, description: 'When the minutes were approved (immutable and published from then on); null while in draft.' })
  @Property({ type: 'datetime', nullable: true })
  minutesApprovedAt?: Date | null;

  @Property({ type: 'uuid' })
  createdById!: string;

  @Field(() => Date, { description: 'When it was scheduled.' })
  @Property({ type: 'datetime' })
  createdAt: Date & Opt = new Date();
}

/** What every row of a meeting's record holds first: a mapped superclass, each entity keeping its own table. */
export abstract class MeetingRecord {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne({ entity: () => Meeting, ref: true })
  meeting!: Ref<Meeting>;
}

@ObjectType({ description: 'A person’s registration for a meeting.' })
@Entity({ tableName: 'meeting_registration' })
export class Registration extends MeetingRecord {
  @Field(() => ID, { description: 'The registration’s id.' })
  override id!: string;

  @Property({ type: 'uuid' })
  userId!: string;

  @Field(() => RegistrationStatus, { description: 'Confirmed, on the waiting list, or cancelled.' })
  @Enum({ items: () => RegistrationStatus, type: 'string' })
  status!: RegistrationStatus;

  @Field(() => Date, { description: 'When the person registered: the waiting list’s order.' })
  @Property({ type: 'datetime' })
  registeredAt: Date & Opt = new Date();

  @Field(() => Date, { nullable: true, description: 'When a cancellation moved them from the waiting list to a place.' })
  @Property({ type: 'datetime', nullable: true })
  promotedAt?: Date | null;

  @Field(() => Date, { nullable: true, description: 'When they cancelled.' })
  @Property({ type: 'datetime', nullable: true })
  cancelledAt?: Date | null;
}

@ObjectType({ description: 'Someone present at a meeting, with their organization and country as then.' })
@Entity({ tableName: 'meeting_attendance' })
export class Attendance extends MeetingRecord {
  @Field(() => ID, { description: 'The record’s id.' })
  override id!: string;

  @Property({ type: 'uuid', nullable: true })
  userId?: string | null;

  @Field(() => String, { description: 'The person present.' })
  @Property({ type: 'string', length: 200 })
  personName!: string;

  @Property({ type: 'uuid', nullable: true })
  organizationId?: string | null;

  @Field(() => String, { description: 'Their organization, as named then.' })
  @Property({ type: 'string', length: 200 })
  organizationName!: string;

  @Field(() => String, { description: 'Their country (ISO 3166-1 alpha-2).' })
  @Property({ type: 'string', length: 2 })
  country!: string;

  @Property({ type: 'uuid' })
  recordedById!: string;

  @Field(() => Date, { description: 'When it was recorded.' })
  @Property({ type: 'datetime' })
  recordedAt: Date & Opt = new Date();
}

@ObjectType({ description: 'An item of a meeting’s agenda.' })
@Entity({ tableName: 'agenda_item' })
export class AgendaItem extends MeetingRecord {
  @Field(() => ID, { description: 'The item’s id.' })
  override id!: string;

  @Field(() => Int, { description: 'Its place in the agenda, from 1.' })
  @Property({ type: 'integer' })
  position!: number;

  @Property({ type: 'json' })
  title!: LocalizedText;

  @Field(() => Int, { nullable: true, description: 'Minutes given to it.' })
  @Property({ type: 'integer', nullable: true })
  timeBoxMinutes?: number | null;

  @Field(() => String, { nullable: true, description: 'Who presents it.' })
  @Property({ type: 'string', length: 200, nullable: true })
  presenter?: string | null;

  @Property({ type: 'json' })
  materials: Material[] & Opt = [];

  @Field(() => AgendaLinkKind, { nullable: true, description: 'What it is about; null for a plain item.' })
  @Enum({ items: () => AgendaLinkKind, type: 'string', nullable: true })
  linkKind?: AgendaLinkKind | null;

  @Field(() => ID, { nullable: true, description: 'The round (an indicator as consulted there, or its dispositions).' })
  @Property({ type: 'uuid', nullable: true })
  roundId?: string | null;

  @Field(() => ID, { nullable: true, description: 'The indicator version (as consulted, or the revision).' })
  @Property({ type: 'uuid', nullable: true })
  indicatorVersionId?: string | null;

  @Field(() => ID, { nullable: true, description: 'The ballot.' })
  @Property({ type: 'uuid', nullable: true })
  ballotId?: string | null;

  @Field(() => String, { description: 'The minutes of the item (Markdown); empty until drafted.' })
  @Property({ type: 'text' })
  minutes: string & Opt = '';
}

@ObjectType({ description: 'A decision the meeting took, with the ballot or the disposition of comments behind it.' })
@Entity({ tableName: 'meeting_decision' })
export class Decision extends MeetingRecord {
  @Field(() => ID, { description: 'The decision’s id.' })
  override id!: string;

  @Field(() => ID, { nullable: true, description: 'The agenda item it was taken under.' })
  @Property({ type: 'uuid', nullable: true })
  agendaItemId?: string | null;

  @Field(() => String, { description: 'What was decided.' })
  @Property({ type: 'text' })
  text!: string;

  @Field(() => ID, { nullable: true, description: 'The ballot that decided it.' })
  @Property({ type: 'uuid', nullable: true })
  ballotId?: string | null;

  @Field(() => ID, { nullable: true, description: 'The round whose disposition of comments it rests on.' })
  @Property({ type: 'uuid', nullable: true })
  roundId?: string | null;

  @Property({ type: 'uuid' })
  recordedById!: string;

  @Field(() => Date, { description: 'When it was recorded.' })
  @Property({ type: 'datetime' })
  recordedAt: Date & Opt = new Date();
}

@ObjectType({ description: 'Something a meeting asked someone to do, by a date.' })
@Entity({ tableName: 'action_item' })
export class ActionItem extends MeetingRecord {
  @Field(() => ID, { description: 'The action item’s id.' })
  override id!: string;

  @Field(() => ID, { nullable: true, description: 'The agenda item it came from.' })
  @Property({ type: 'uuid', nullable: true })
  agendaItemId?: string | null;

  @Field(() => String, { description: 'What is to be done.' })
  @Property({ type: 'text' })
  description!: string;

  @Property({ type: 'uuid', nullable: true })
  responsibleOrganizationId?: string | null;

  @Field(() => String, { description: 'The person responsible.' })
  @Property({ type: 'string', length: 200 })
  responsiblePerson!: string;

  @Field(() => String, { description: 'When it is due (YYYY-MM-DD).' })
  @Property({ type: 'string', columnType: 'date' })
  dueOn!: string;

  @Field(() => Date, { nullable: true, description: 'When it was marked done.' })
  @Property({ type: 'datetime', nullable: true })
  doneAt?: Date | null;

  @Property({ type: 'datetime' })
  createdAt: Date & Opt = new Date();
}

/** A member present who approved the minutes. */
@Entity({ tableName: 'minutes_sign_off' })
export class MinutesSignOff extends MeetingRecord {
  @Property({ type: 'uuid' })
  userId!: string;

  @Property({ type: 'datetime' })
  signedAt: Date & Opt = new Date();
}

@ObjectType({ description: 'A raised hand in a meeting’s speaking queue.' })
@Entity({ tableName: 'speaking_hand' })
export class SpeakingHand extends MeetingRecord {
  @Field(() => ID, { description: 'The hand’s id.' })
  override id!: string;

  @Property({ type: 'uuid' })
  userId!: string;

  @Field(() => Date, { description: 'When it was raised: the queue’s order.' })
  @Property({ type: 'datetime' })
  raisedAt: Date & Opt = new Date();

  @Field(() => Date, { nullable: true, description: 'When the facilitator gave them the floor.' })
  @Property({ type: 'datetime', nullable: true })
  calledAt?: Date | null;

  @Property({ type: 'datetime', nullable: true })
  loweredAt?: Date | null;
}
