import { ArrayMaxSize, ArrayMinSize, IsIn, IsOptional, IsUUID, MaxLength } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';
import { MAX_BODY } from '../comments/comment.inputs.js';
import { DispositionStatus } from '../dispositions/disposition.entity.js';

@InputType({ description: 'One disposition for every comment of a near-duplicate group.' })
export class DisposeGroupInput {
  @Field(() => ID, { description: 'The group; CONFLICT `GROUP_EMPTY` when no member stands.' })
  @IsUUID()
  groupId!: string;

  @Field(() => DispositionStatus, { description: 'The decision for every standing member.' })
  @IsIn(Object.values(DispositionStatus))
  status!: DispositionStatus;

  @Field(() => String, { defaultValue: '', description: 'Markdown.' })
  @MaxLength(MAX_BODY)
  response!: string;

  @Field(() => ID, { nullable: true, description: 'For DUPLICATE: the comment the others repeat (often the group’s representative, which then keeps its own disposition).' })
  @IsOptional()
  @IsUUID()
  duplicateOfId?: string | null;
}

@InputType({ description: 'Comments to take out of a near-duplicate group.' })
export class RemoveFromGroupInput {
  @Field(() => ID, { description: 'The group.' })
  @IsUUID()
  groupId!: string;

  @Field(() => [ID], { description: 'Members to take out; they are never put back by regrouping.' })
  @ArrayMinSize(1)
  @ArrayMaxSize(1000)
  @IsUUID('all', { each: true })
  commentIds!: string[];
}
