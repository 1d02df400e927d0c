import { ArrayMaxSize, ArrayMinSize, IsIn, IsOptional, IsUUID, MaxLength } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';
import { MAX_BODY } from '../comments/comment.inputs.js';
import { DispositionStatus } from './disposition.entity.js';

@InputType({ description: 'One decision for one or many top-level comments of the same round.' })
export class DispositionInput {
  @Field(() => [ID], { description: 'The top-level comments decided, 1 to 1000, all of one round.' })
  @ArrayMinSize(1)
  @ArrayMaxSize(1000)
  @IsUUID('all', { each: true })
  commentIds!: string[];

  @Field(() => DispositionStatus, { description: 'The decision, the same for all of them.' })
  @IsIn(Object.values(DispositionStatus))
  status!: DispositionStatus;

  @Field(() => String, { defaultValue: '', description: 'Markdown.' })
  @MaxLength(MAX_BODY)
  response!: string;

  @Field(() => ID, { nullable: true, description: 'Required for DUPLICATE: the comment they repeat, in the same round.' })
  @IsOptional()
  @IsUUID()
  duplicateOfId?: string | null;
}
