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
registerEnumType(RatingValue, {
  name: 'RatingValue',
  description: 'Essential / useful but not essential / not relevant / no opinion.',
  valuesConfig: {
    ESSENTIAL: { description: 'The practice is essential.' },
    USEFUL: { description: 'Useful but not essential.' },
    NOT_RELEVANT: { description: 'Not relevant.' },
    NO_OPINION: { description: 'No opinion.' },
  },
});

/** One person's judgement of one essential practice in one round: unique in the database. */
@ObjectType({ description: 'A respondent’s rating of an essential practice.' })
@Entity({ tableName: 'practice_rating' })
@Unique({ properties: ['round', 'indicator', 'userId'] })
export class PracticeRating {
  @Field(() => ID, { description: 'The rating’s id; it stays when the rating changes.' })
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne({ entity: () => ConsultationRound, ref: true })
  round!: Ref<ConsultationRound>;

  @ManyToOne({ entity: () => Indicator, ref: true })
  indicator!: Ref<Indicator>;

  @Field(() => ID, { description: 'The person who rated.' })
  @Property({ type: 'uuid' })
  userId!: string;

  @Field(() => RatingValue, { description: 'The judgement.' })
  @Enum({ items: () => RatingValue, type: 'string' })
  value!: RatingValue;

  @Field(() => String, { nullable: true, description: 'Why, in the rater’s words; null when none.' })
  @Property({ type: 'text', nullable: true })
  comment?: string | null;

  @Field(() => Date, { description: 'When it was given or last changed.' })
  @Property({ type: 'datetime' })
  updatedAt: Date & Opt = new Date();
}
