import { IsIn, IsOptional, IsUUID, MaxLength } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';
import { RatingValue } from './practice-rating.entity.js';
import { IdempotencyKeyField } from '../idempotency/idempotency-key.input.js';

@InputType({ description: 'A rating of one essential practice in a round; rating again replaces it.' })
export class RatePracticeInput {
  @Field(() => ID, { description: 'The round, open now by the server clock.' })
  @IsUUID()
  roundId!: string;

  @Field(() => ID, { description: 'The essential practice (an indicator pinned in the round).' })
  @IsUUID()
  indicatorId!: string;

  @Field(() => RatingValue, { description: 'The judgement.' })
  @IsIn(Object.values(RatingValue))
  value!: RatingValue;

  @Field(() => String, { nullable: true, description: 'Why, up to 2000 characters.' })
  @IsOptional()
  @MaxLength(2000)
  comment?: string | null;

  @IdempotencyKeyField()
  idempotencyKey?: string | null;
}
