import { Entity, Enum, Index, ManyToOne, OneToOne, PrimaryKey, Property, type Opt, type Ref } from '@mikro-orm/core';
import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { randomUUID } from 'node:crypto';
import { Comment } from '../comments/comment.entity.js';
import { ConsultationRound } from '../rounds/round.entity.js';

export enum DispositionStatus {
  ACCEPTED = 'ACCEPTED',
  PARTIALLY_ACCEPTED = 'PARTIALLY_ACCEPTED',
  REJECTED = 'REJECTED',
  NOTED = 'NOTED',
  DUPLICATE = 'DUPLICATE',
}
registerEnumType(DispositionStatus, {
  name: 'DispositionStatus',
  description: 'What the working group decided about a comment.',
  valuesConfig: {
    ACCEPTED: { description: 'The text will change as the comment asks.' },
    PARTIALLY_ACCEPTED: { description: 'The text will change in part; the response says which part.' },
    REJECTED: { description: 'The text stays; the response says why.' },
    NOTED: { description: 'Taken into account without a change to the text (a question, a remark, a matter for later).' },
    DUPLICATE: { description: 'Says the same as `duplicateOfId`, another comment in the same round, and shares its decision.' },
  },
});

/** A facilitator's decision on a top-level comment, with the response; one per comment, changeable. */
@ObjectType({ description: 'The facilitator’s decision on a comment, with the response.' })
@Entity({ tableName: 'disposition' })
@Index({ properties: ['round', 'status'] })
export class Disposition {
  @Field(() => ID, { description: 'The disposition’s id; one per comment, kept when it changes.' })
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @OneToOne({ entity: () => Comment, ref: true, owner: true, unique: true })
  comment!: Ref<Comment>;

  @ManyToOne({ entity: () => ConsultationRound, ref: true })
  round!: Ref<ConsultationRound>;

  @Field(() => DispositionStatus, { description: 'The decision.' })
  @Enum({ items: () => DispositionStatus, type: 'string' })
  status!: DispositionStatus;

  @Field(() => ID, { nullable: true, description: 'For DUPLICATE, the comment this one repeats (same round); null otherwise.' })
  @Property({ type: 'uuid', nullable: true })
  duplicateOfId?: string | null;

  @Field(() => String, { description: 'The working group’s response to the commenter, Markdown; empty when none was written.' })
  @Property({ type: 'text' })
  response: string & Opt = '';

  @Field(() => String, { description: 'The response rendered to safe HTML.' })
  @Property({ type: 'text' })
  responseHtml: string & Opt = '';

  @Property({ type: 'uuid' })
  decidedById!: string;

  @Field(() => String, { description: 'The facilitator who decided, as named then.' })
  @Property({ type: 'string', length: 200 })
  decidedByName!: string;

  @Field(() => Date, { description: 'When it was last set or changed.' })
  @Property({ type: 'datetime' })
  decidedAt: Date & Opt = new Date();
}

/** What the `Disposition` type resolves from: the entity, or the same columns read as a plain row (a page of comments shows dozens). */
export type DispositionRecord = Omit<Disposition, 'comment' | 'round'> & { comment: { id: string }; round: { id: string } };
