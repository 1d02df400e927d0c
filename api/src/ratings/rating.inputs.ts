import { IsIn, IsOptional, IsUUID, MaxLength } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';
import { RatingValue } from './practice-rating.entity.js';

@InputType()
export class RatePracticeInput {
  @Field(() => ID)
  @IsUUID()
  roundId!: string;

  @Field(() => ID, { description: 'The essential practice (an indicator pinned in the round).' })
  @IsUUID()
  indicatorId!: string;

  @Field(() => RatingValue)
  @IsIn(Object.values(RatingValue))
  value!: RatingValue;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(2000)
  comment?: string | null;
}
