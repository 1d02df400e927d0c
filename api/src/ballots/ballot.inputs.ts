import { ArrayMaxSize, ArrayMinSize, IsOptional, IsUUID, MaxLength, ValidateNested } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';
import { LocalizedTextInput } from '../i18n/localized-text.js';
import { BallotEligibility, BallotSecrecy, ShareInput } from './ballot.entity.js';
import { PassingRule } from './ballot-rules.js';
import { VoteChoice } from './ballot-vote.entity.js';
import { IdempotencyKeyField } from '../idempotency/idempotency-key.input.js';

/** How a ballot is decided: what a working-group ballot and a committee ballot (certification) both state; its fields go into each input that extends it. */
@InputType({ description: 'How a ballot is decided: when it closes, the quorum, the rule and the secrecy.' })
export class BallotDecisionTerms {
  @Field(() => Date, { description: 'When voting ends and the questions are decided (an instant; after the opening).' })
  closesAt!: Date;

  @Field(() => ShareInput, { description: 'The share of eligible voters who must take part (abstentions count).' })
  @ValidateNested()
  quorum!: ShareInput;

  @Field(() => PassingRule, { description: 'How each question passes once the quorum is reached.' })
  rule!: PassingRule;

  @Field(() => ShareInput, { nullable: true, description: 'For QUALIFIED_MAJORITY: the share of non-abstaining votes needed (default 2/3).' })
  @IsOptional()
  @ValidateNested()
  share?: ShareInput | null;

  @Field(() => BallotSecrecy, { description: 'Who sees the tally and the votes before the close.' })
  secrecy!: BallotSecrecy;
}

@InputType({ description: 'A ballot in draft: its terms are fixed when a facilitator opens it.' })
export class CreateBallotInput extends BallotDecisionTerms {
  @Field(() => LocalizedTextInput, { description: 'What is being decided, per language.' })
  @ValidateNested()
  title!: LocalizedTextInput;

  @Field(() => [ID], { description: 'The revisions to decide, one question each, in this order; one per indicator.' })
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @IsUUID('all', { each: true })
  revisionIds!: string[];

  @Field(() => BallotEligibility, { description: 'Who votes: each member, or the organizations in `organizationIds`.' })
  eligibility!: BallotEligibility;

  @Field(() => [ID], { nullable: true, description: 'The organizations that vote, when `eligibility` is ORGANIZATIONS.' })
  @IsOptional()
  @ArrayMaxSize(500)
  @IsUUID('all', { each: true })
  organizationIds?: string[] | null;

  @Field(() => Date, { description: 'When voting starts (an instant; give the offset or Z).' })
  opensAt!: Date;
}

@InputType({ description: 'A vote on one question; casting again replaces the standing vote.' })
export class CastVoteInput {
  @Field(() => ID, { description: 'The ballot question voted on.' })
  @IsUUID()
  questionId!: string;

  @Field(() => VoteChoice, { description: 'The position taken.' })
  choice!: VoteChoice;

  @Field(() => String, { nullable: true, description: 'Required for REJECT: what would have to change.' })
  @IsOptional()
  @MaxLength(5000)
  reason?: string | null;

  @IdempotencyKeyField()
  idempotencyKey?: string | null;
}
