import { IsIn, IsISO8601, IsOptional, IsUUID, Length, Matches, MaxLength, ValidateNested } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';
import { AddCommentInput } from '../comments/comment.inputs.js';
import { OrganizationKind } from '../organizations/organization.entity.js';
import { FeedbackSourceKind } from './on-behalf-source.entity.js';

@InputType({ description: 'Where and from whom feedback given outside Consulta came.' })
export class OnBehalfSourceInput {
  @Field(() => FeedbackSourceKind, { description: 'How it was given.' })
  @IsIn(Object.values(FeedbackSourceKind))
  kind!: FeedbackSourceKind;

  @Field(() => String, { nullable: true, description: 'The workshop or meeting, or the e-mail’s subject; 300 characters at most.' })
  @IsOptional()
  @MaxLength(300)
  eventName?: string | null;

  @Field(() => String, { nullable: true, description: 'ISO date (YYYY-MM-DD).' })
  @IsOptional()
  @IsISO8601({ strict: true })
  @Matches(/^\d{4}-\d{2}-\d{2}$/)
  givenOn?: string | null;

  @Field(() => String, { nullable: true, description: 'Where it was given; 300 characters at most.' })
  @IsOptional()
  @MaxLength(300)
  place?: string | null;

  @Field(() => String, { nullable: true, description: 'The person who gave it; give this, an organization, or both.' })
  @IsOptional()
  @MaxLength(200)
  personName?: string | null;

  @Field(() => ID, { nullable: true, description: 'An organization known to Consulta; its name, kind and country are recorded.' })
  @IsOptional()
  @IsUUID()
  organizationId?: string | null;

  @Field(() => String, { nullable: true, description: 'An organization not known to Consulta.' })
  @IsOptional()
  @MaxLength(200)
  organizationName?: string | null;

  @Field(() => OrganizationKind, { nullable: true, description: 'With `organizationName`.' })
  @IsOptional()
  @IsIn(Object.values(OrganizationKind))
  organizationKind?: OrganizationKind | null;

  @Field(() => String, { nullable: true, description: 'ISO 3166-1 alpha-2; taken from the organization when it is known.' })
  @IsOptional()
  @Length(2, 2)
  country?: string | null;
}

@InputType({ description: 'A comment given at a workshop, a meeting, by e-mail or on paper, entered by a facilitator.' })
export class OnBehalfCommentInput {
  @Field(() => AddCommentInput, { description: 'The comment, as its giver would have written it.' })
  @ValidateNested()
  comment!: AddCommentInput;

  @Field(() => OnBehalfSourceInput, { description: 'Who gave it, where and when.' })
  @ValidateNested()
  source!: OnBehalfSourceInput;
}
