import { Entity, Enum, OneToOne, PrimaryKey, Property, type Opt, type Ref } from '@mikro-orm/core';
import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { randomUUID } from 'node:crypto';
import { Comment } from '../comments/comment.entity.js';

export enum FeedbackSourceKind {
  WORKSHOP = 'WORKSHOP',
  MEETING = 'MEETING',
  EMAIL = 'EMAIL',
  PAPER = 'PAPER',
  OTHER = 'OTHER',
}
registerEnumType(FeedbackSourceKind, {
  name: 'FeedbackSourceKind',
  description: 'Where feedback entered on someone’s behalf was given.',
  valuesConfig: {
    WORKSHOP: { description: 'At a workshop.' },
    MEETING: { description: 'At a meeting (a forum, the annual meeting, a working-group call).' },
    EMAIL: { description: 'By e-mail.' },
    PAPER: { description: 'On paper (a form, a letter).' },
    OTHER: { description: 'Any other way; `eventName` says which.' },
  },
});

/** Marks a comment a facilitator entered on behalf of a person or organization, with where it was given. */
@ObjectType({ description: 'Feedback given outside Consulta (a workshop, a meeting, e-mail, paper) and entered by a facilitator.' })
@Entity({ tableName: 'on_behalf_source' })
export class OnBehalfSource {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @OneToOne({ entity: () => Comment, ref: true, owner: true, unique: true, deleteRule: 'cascade' })
  comment!: Ref<Comment>;

  @Field(() => FeedbackSourceKind, { description: 'How it was given.' })
  @Enum({ items: () => FeedbackSourceKind, type: 'string' })
  kind!: FeedbackSourceKind;

  @Field(() => String, { nullable: true, description: 'The workshop or meeting, or the e-mail’s subject.' })
  @Property({ type: 'string', length: 300, nullable: true })
  eventName?: string | null;

  @Field(() => String, { nullable: true, description: 'When it was given (ISO date).' })
  @Property({ type: 'date', nullable: true })
  givenOn?: string | null;

  @Field(() => String, { nullable: true, description: 'Where it was given (a city, a venue); null when not recorded.' })
  @Property({ type: 'string', length: 300, nullable: true })
  place?: string | null;

  @Field(() => String, { nullable: true, description: 'The person who gave it; null when only an organization was recorded.' })
  @Property({ type: 'string', length: 200, nullable: true })
  personName?: string | null;

  @Field(() => String, { nullable: true, description: 'The organization it came from, as named then; null when only a person was recorded.' })
  @Property({ type: 'string', length: 200, nullable: true })
  organizationName?: string | null;

  @Property({ type: 'uuid' })
  enteredById!: string;

  @Field(() => String, { description: 'The facilitator who entered it, as named then.' })
  @Property({ type: 'string', length: 200 })
  enteredByName!: string;

  /** Set when the point was raised in a meeting's room and recorded there (meetings/live-meeting.service.ts). */
  @Field(() => ID, { nullable: true, description: 'The meeting it was raised at, when recorded from the meeting’s room.' })
  @Property({ type: 'uuid', nullable: true })
  meetingId?: string | null;

  @Field(() => Date, { description: 'When the facilitator entered it in Consulta.' })
  @Property({ type: 'datetime' })
  enteredAt: Date & Opt = new Date();
}

/** What the `OnBehalfSource` type resolves from: the entity, or the same columns read as a plain row. */
export type OnBehalfRecord = Omit<OnBehalfSource, 'comment' | 'kind'> & { comment: { id: string }; kind: FeedbackSourceKind };
