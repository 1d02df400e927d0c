import { Entity, Enum, ManyToOne, PrimaryKey, Property, Unique, type Opt, type Ref } from '@mikro-orm/core';
import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { randomUUID } from 'node:crypto';
import { Indicator } from '../indicators/indicator.entity.js';
import { ConsultationRound } from '../rounds/round.entity.js';

export enum RatingValue {
  ESSENTIAL = 'ESSENTIAL',
  USEFUL = 'USEFUL',
  NOT_RELEVANT = 'NOT_RELEVANT',
  NO_OPINION = 'NO_OPINION',
}
registerEnumType(RatingValue, { name: 'RatingValue', description: 'Essential / useful but not essential / not relevant / no opinion.' });

/** One person's judgement of one essential practice in one round: unique in the database. */
@ObjectType({ description: 'A respondent’s rating of an essential practice.' })
@Entity({ tableName: 'practice_rating' })
@Unique({ properties: ['round', 'indicator', 'userId'] })
export class PracticeRating {
  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne({ entity: () => ConsultationRound, ref: true })
  round!: Ref<ConsultationRound>;

  @ManyToOne({ entity: () => Indicator, ref: true })
  indicator!: Ref<Indicator>;

  @Field(() => ID)
  @Property({ type: 'uuid' })
  userId!: string;

  @Field(() => RatingValue)
  @Enum({ items: () => RatingValue, type: 'string' })
  value!: RatingValue;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  comment?: string | null;

  @Field(() => Date)
  @Property({ type: 'datetime' })
  updatedAt: Date & Opt = new Date();
}
