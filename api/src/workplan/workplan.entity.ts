import { Entity, Enum, ManyToOne, PrimaryKey, PrimaryKeyProp, Property, type Opt, type Ref } from '@mikro-orm/core';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { randomUUID } from 'node:crypto';
import type { LocalizedText } from '../i18n/localized-text.js';

export enum ActivityStatus {
  PLANNED = 'PLANNED',
  IN_PROGRESS = 'IN_PROGRESS',
  DONE = 'DONE',
  CANCELLED = 'CANCELLED',
}
registerEnumType(ActivityStatus, {
  name: 'ActivityStatus',
  description: 'Where an activity of the work plan stands. Overdue is not a status: it is read from the clock (`WorkActivity.overdue`).',
  valuesConfig: {
    PLANNED: { description: 'Not started.' },
    IN_PROGRESS: { description: 'Under way.' },
    DONE: { description: 'Finished (its progress is 100).' },
    CANCELLED: { description: 'Dropped, kept in the plan as a record.' },
  },
});

export enum ActivityLinkKind {
  MEETING = 'MEETING',
  ROUND = 'ROUND',
  BALLOT = 'BALLOT',
  ACTION_ITEM = 'ACTION_ITEM',
}
registerEnumType(ActivityLinkKind, {
  name: 'ActivityLinkKind',
  description: 'What an activity of the work plan links to.',
  valuesConfig: {
    MEETING: { description: 'A meeting (a forum, the annual meeting, a call, a workshop).' },
    ROUND: { description: 'A consultation round.' },
    BALLOT: { description: 'A ballot.' },
    ACTION_ITEM: { description: 'An action item a meeting gave someone.' },
  },
});

@ObjectType({ description: 'The working group’s work plan for one year: objectives and their activities.' })
@Entity({ tableName: 'work_plan' })
export class WorkPlan {
  @Field(() => ID, { description: 'The plan’s id.' })
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Field(() => Int, { description: 'The year it plans.' })
  @Property({ type: 'integer' })
  year!: number;

  @Property({ type: 'json' })
  title!: LocalizedText;

  @Property({ type: 'uuid' })
  createdById!: string;

  @Field(() => Date, { description: 'When it was made.' })
  @Property({ type: 'datetime' })
  createdAt: Date & Opt = new Date();
}

@ObjectType({ description: 'An objective of a work plan.' })
@Entity({ tableName: 'work_objective' })
export class WorkObjective {
  @Field(() => ID, { description: 'The objective’s id.' })
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne({ entity: () => WorkPlan, ref: true })
  plan!: Ref<WorkPlan>;

  @Field(() => Int, { description: 'Its place in the plan, from 1.' })
  @Property({ type: 'integer' })
  position!: number;

  @Property({ type: 'json' })
  title!: LocalizedText;
}

@ObjectType({ description: 'An activity of the work plan: who is responsible, when, and how far it has come.' })
@Entity({ tableName: 'work_activity' })
export class WorkActivity {
  @Field(() => ID, { description: 'The activity’s id.' })
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne({ entity: () => WorkObjective, ref: true })
  objective!: Ref<WorkObjective>;

  @Field(() => Int, { description: 'Its place under its objective, from 1.' })
  @Property({ type: 'integer' })
  position!: number;

  @Property({ type: 'json' })
  title!: LocalizedText;

  @Field(() => String, { nullable: true, description: 'The person responsible; null when the partners answer for it together.' })
  @Property({ type: 'string', length: 200, nullable: true })
  responsiblePerson?: string | null;

  @Field(() => String, { description: 'When it starts (YYYY-MM-DD).' })
  @Property({ type: 'string', columnType: 'date' })
  startsOn!: string;

  @Field(() => String, { description: 'When it ends (YYYY-MM-DD), on or after the start.' })
  @Property({ type: 'string', columnType: 'date' })
  endsOn!: string;

  @Field(() => ActivityStatus, { description: 'Planned, in progress, done or cancelled.' })
  @Enum({ items: () => ActivityStatus, type: 'string' })
  status!: ActivityStatus;

  @Field(() => Int, { description: 'How far it has come, 0 to 100 (100 when done).' })
  @Property({ type: 'integer' })
  progress: number & Opt = 0;

  @Field(() => Date, { description: 'When it was last changed.' })
  @Property({ type: 'datetime' })
  updatedAt: Date & Opt = new Date();
}

/** An organization responsible for an activity. */
@Entity({ tableName: 'work_activity_partner' })
export class WorkActivityPartner {
  @ManyToOne({ entity: () => WorkActivity, primary: true, ref: true })
  activity!: Ref<WorkActivity>;

  @PrimaryKey({ type: 'uuid' })
  organizationId!: string;

  [PrimaryKeyProp]?: ['activity', 'organizationId'];
}

@ObjectType({ description: 'A meeting, round, ballot or action item an activity of the work plan links to.' })
@Entity({ tableName: 'work_activity_link' })
export class WorkActivityLink {
  @Field(() => ID, { description: 'The link’s id.' })
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne({ entity: () => WorkActivity, ref: true })
  activity!: Ref<WorkActivity>;

  @Field(() => ActivityLinkKind, { description: 'What it links to.' })
  @Enum({ items: () => ActivityLinkKind, type: 'string' })
  kind!: ActivityLinkKind;

  @Property({ type: 'uuid', nullable: true })
  meetingId?: string | null;

  @Property({ type: 'uuid', nullable: true })
  roundId?: string | null;

  @Property({ type: 'uuid', nullable: true })
  ballotId?: string | null;

  @Property({ type: 'uuid', nullable: true })
  actionItemId?: string | null;

  @Property({ type: 'datetime' })
  createdAt: Date & Opt = new Date();
}
