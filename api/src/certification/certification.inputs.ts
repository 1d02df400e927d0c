import { ArrayMaxSize, ArrayMinSize, IsIn, IsInt, IsOptional, IsUUID, Length, Matches, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { Field, Float, ID, InputType, Int, registerEnumType } from 'type-graphql';
import { AssessmentKind, EvidenceKind, Judgment } from './assessment.entity.js';
import { AreaDecisionMode, Comparator, IndicatorWeight } from './scheme.entity.js';
import { IdempotencyKeyField } from '../idempotency/idempotency-key.input.js';
import { BallotDecisionTerms } from '../ballots/ballot.inputs.js';

@InputType({ description: 'How an area of a scheme judges one of the release’s indicators.' })
export class SchemeIndicatorInput {
  @Field(() => String, { description: 'The indicator’s code in the release, e.g. `GEN-01`.' })
  @Length(1, 30)
  code!: string;

  @Field(() => IndicatorWeight, { description: 'Essential or scored.' })
  @IsIn(Object.values(IndicatorWeight))
  weight!: IndicatorWeight;

  @Field(() => Int, { description: 'Points when met: 0 for an essential indicator, 1 to 100 for a scored one.' })
  @IsInt()
  @Min(0)
  @Max(100)
  points!: number;

  @Field(() => Comparator, { nullable: true, description: 'For a quantitative indicator, how its reported value is checked; given with `threshold`.' })
  @IsOptional()
  @IsIn(Object.values(Comparator))
  comparator?: Comparator | null;

  @Field(() => Float, { nullable: true, description: 'For a quantitative indicator, the threshold; given with `comparator`.' })
  @IsOptional()
  threshold?: number | null;
}

@InputType({ description: 'One area of a scheme: a top-level section of the framework, its indicators and its pass mark.' })
export class SchemeAreaInput {
  @Field(() => String, { description: 'The top-level section’s code, e.g. `GEN`.' })
  @Length(1, 20)
  code!: string;

  @Field(() => Int, { description: 'The least share of the applicable scored points, in percent, that earns the seal.' })
  @IsInt()
  @Min(0)
  @Max(100)
  passPercent!: number;

  @Field(() => [SchemeIndicatorInput], { description: 'The indicators judged, each once.' })
  @ArrayMinSize(1)
  @ArrayMaxSize(500)
  @ValidateNested({ each: true })
  indicators!: SchemeIndicatorInput[];

  @Field(() => AreaDecisionMode, { nullable: true, description: 'How the committee decides the seal; DIRECT when omitted.' })
  @IsOptional()
  decidedBy?: AreaDecisionMode | null;
}

@InputType({ description: 'A certification scheme on a final release.' })
export class CreateSchemeInput {
  @Field(() => ID, { description: 'The final release.' })
  @IsUUID()
  releaseId!: string;

  @Field(() => Int, { description: 'How many months a seal is valid, e.g. 48.' })
  @IsInt()
  @Min(1)
  @Max(240)
  validityMonths!: number;

  @Field(() => Int, { description: 'After how many months the surveillance review is due, e.g. 24; less than the validity.' })
  @IsInt()
  @Min(1)
  @Max(239)
  surveillanceMonths!: number;

  @Field(() => [SchemeAreaInput], { description: 'Its areas, each once.' })
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  areas!: SchemeAreaInput[];
}

@InputType({ description: 'A new assessment of the viewer’s own institution.' })
export class OpenAssessmentInput {
  @Field(() => ID, { description: 'The scheme.' })
  @IsUUID()
  schemeId!: string;

  @Field(() => [String], { description: 'The codes of the scheme’s areas to assess, e.g. [`GEN`, `POV`].' })
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @Length(1, 20, { each: true })
  areas!: string[];

  @Field(() => AssessmentKind, { description: 'Self, accompanied or external.' })
  @IsIn(Object.values(AssessmentKind))
  kind!: AssessmentKind;
}

@InputType({ description: 'One line of the control list: what backs an answer.' })
export class EvidenceInput {
  @Field(() => EvidenceKind, { description: 'A document, data or an interview.' })
  @IsIn(Object.values(EvidenceKind))
  kind!: EvidenceKind;

  @Field(() => String, { description: 'What it is, in words (e.g. “Gender policy approved by the board, 2025”), 1 to 500 characters.' })
  @Length(1, 500)
  description!: string;
}

/** What names one indicator of one assessment: the start of an answer, a reviewed judgment, an evidence request. */
@InputType({ description: 'One indicator of one assessment.' })
export class AssessmentIndicatorInput {
  @Field(() => ID, { description: 'The assessment.' })
  @IsUUID()
  assessmentId!: string;

  @Field(() => ID, { description: 'The scheme indicator.' })
  @IsUUID()
  schemeIndicatorId!: string;
}

@InputType({ description: 'An answer on one indicator, saved over the revision the client last read.' })
export class SaveAnswerInput extends AssessmentIndicatorInput {

  @Field(() => Judgment, { nullable: true, description: 'The judgment; for a quantitative indicator omit it (the value decides) or give NOT_APPLICABLE.' })
  @IsOptional()
  @IsIn(Object.values(Judgment))
  judgment?: Judgment | null;

  @Field(() => Float, { nullable: true, description: 'The reported value of a quantitative indicator.' })
  @IsOptional()
  reportedValue?: number | null;

  @Field(() => String, { nullable: true, description: 'Notes, up to 5000 characters.' })
  @IsOptional()
  @MaxLength(5000)
  notes?: string | null;

  @Field(() => [EvidenceInput], { nullable: true, description: 'The control list: every line, replacing the previous list.' })
  @IsOptional()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  evidence?: EvidenceInput[] | null;

  @Field(() => Int, { description: 'The answer’s revision the client last read: 0 for a first answer. A save over a later revision is refused (CONFLICT `STALE_ANSWER`); the same save sent twice is taken once.' })
  @IsInt()
  @Min(0)
  expectedRevision!: number;

  @IdempotencyKeyField()
  idempotencyKey?: string | null;
}

@InputType({ description: 'A reviewer’s judgment on one indicator.' })
export class ReviewJudgmentInput extends AssessmentIndicatorInput {
  @Field(() => Judgment, { description: 'The reviewer’s judgment.' })
  @IsIn(Object.values(Judgment))
  judgment!: Judgment;

  @Field(() => String, { nullable: true, description: 'Why, required when it differs from the institution’s; up to 2000 characters.' })
  @IsOptional()
  @MaxLength(2000)
  reason?: string | null;
}

@InputType({ description: 'The days of a review’s desk review and on-site visit.' })
export class ReviewVisitInput {
  @Field(() => ID, { description: 'The assessment.' })
  @IsUUID()
  assessmentId!: string;

  @Field(() => String, { nullable: true, description: 'The desk review’s day, YYYY-MM-DD; unchanged when omitted.' })
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/)
  deskReviewOn?: string | null;

  @Field(() => String, { nullable: true, description: 'The on-site visit’s day, YYYY-MM-DD; unchanged when omitted.' })
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/)
  siteVisitOn?: string | null;
}

@InputType({ description: 'A request for more evidence on one indicator.' })
export class RequestEvidenceInput extends AssessmentIndicatorInput {
  @Field(() => String, { description: 'What is asked for, 1 to 2000 characters.' })
  @Length(1, 2000)
  message!: string;
}

@InputType({ description: 'The institution’s response to an evidence request.' })
export class ProvideEvidenceInput {
  @Field(() => ID, { description: 'The evidence request.' })
  @IsUUID()
  requestId!: string;

  @Field(() => String, { description: 'The response, 1 to 5000 characters.' })
  @Length(1, 5000)
  response!: string;

  @Field(() => [EvidenceInput], { nullable: true, description: 'Further lines of the control list.' })
  @IsOptional()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  evidence?: EvidenceInput[] | null;
}

@InputType({ description: 'The committee’s decision on one assessed area.' })
export class DecideAreaInput {
  @Field(() => ID, { description: 'The assessed area.' })
  @IsUUID()
  assessmentAreaId!: string;

  @Field(() => Boolean, { description: 'True to award the seal, false to refuse it.' })
  award!: boolean;

  @Field(() => String, { nullable: true, description: 'Why, required when the decision differs from the scheme’s result; up to 2000 characters.' })
  @IsOptional()
  @MaxLength(2000)
  reason?: string | null;
}

export enum SealAction {
  SUSPEND = 'SUSPEND',
  WITHDRAW = 'WITHDRAW',
  REINSTATE = 'REINSTATE',
}
registerEnumType(SealAction, {
  name: 'SealAction',
  description: 'What the committee does to a seal.',
  valuesConfig: {
    SUSPEND: { description: 'Suspend it: not valid until reinstated.' },
    WITHDRAW: { description: 'Withdraw it for good; it stays listed as withdrawn.' },
    REINSTATE: { description: 'Lift a suspension.' },
  },
});

@InputType({ description: 'A committee’s change to a seal’s standing.' })
export class ChangeSealInput {
  @Field(() => ID, { description: 'The seal.' })
  @IsUUID()
  sealId!: string;

  @Field(() => SealAction, { description: 'Suspend, withdraw or reinstate.' })
  @IsIn(Object.values(SealAction))
  action!: SealAction;

  @Field(() => String, { description: 'Why, 1 to 2000 characters; audit-logged.' })
  @Length(1, 2000)
  reason!: string;
}

@InputType({ description: 'A ballot of the committee on one assessed area’s seal: approve awards it, reject refuses it. Voting starts now.' })
export class OpenCommitteeBallotInput extends BallotDecisionTerms {
  @Field(() => ID, { description: 'The assessed area, of a scheme area decided by COMMITTEE_BALLOT.' })
  @IsUUID()
  assessmentAreaId!: string;
}
