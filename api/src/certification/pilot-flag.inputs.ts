import { IsIn, Length } from 'class-validator';
import { Field, InputType } from 'type-graphql';
import { AssessmentIndicatorInput } from './certification.inputs.js';
import { PilotFlagKind } from './pilot-flag.entity.js';

@InputType({ description: 'A pilot flag on one indicator of one assessment.' })
export class FlagIndicatorInput extends AssessmentIndicatorInput {
  @Field(() => PilotFlagKind, { description: 'Unclear, unmeasurable or too costly to evidence.' })
  @IsIn(Object.values(PilotFlagKind))
  kind!: PilotFlagKind;

  @Field(() => String, { description: 'What was found, 1 to 2000 characters; it is quoted in the consultation without naming the institution.' })
  @Length(1, 2000)
  note!: string;
}
