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
  /** Says the same as `duplicateOf`, another comment in the same round. */
  DUPLICATE = 'DUPLICATE',
}
registerEnumType(DispositionStatus, { name: 'DispositionStatus', description: 'What the working group decided about a comment.' });

/** A facilitator's decision on a top-level comment, with the response; one per comment, changeable. */
@ObjectType({ description: 'The facilitator’s decision on a comment, with the response.' })
@Entity({ tableName: 'disposition' })
@Index({ properties: ['round', 'status'] })
export class Disposition {
  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @OneToOne({ entity: () => Comment, ref: true, owner: true, unique: true })
  comment!: Ref<Comment>;

  @ManyToOne({ entity: () => ConsultationRound, ref: true })
  round!: Ref<ConsultationRound>;

  @Field(() => DispositionStatus)
  @Enum({ items: () => DispositionStatus, type: 'string' })
  status!: DispositionStatus;

  @Field(() => ID, { nullable: true })
  @Property({ type: 'uuid', nullable: true })
  duplicateOfId?: string | null;

  @Field(() => String)
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

  @Field(() => Date)
  @Property({ type: 'datetime' })
  decidedAt: Date & Opt = new Date();
}

/** What the `Disposition` type resolves from: the entity, or the same columns read as a plain row (a page of comments shows dozens). */
export type DispositionRecord = Omit<Disposition, 'comment' | 'round'> & { comment: { id: string }; round: { id: string } };
