import { IsIn, IsInt, IsOptional, IsUUID, Length, MaxLength, Min, ValidateNested } from 'class-validator';
import { Field, ID, InputType, Int, registerEnumType } from 'type-graphql';
import { IndicatorField } from '../indicators/indicator-field.js';
import { Locale } from '../users/user.entity.js';
import { CommentTargetKind, CommentType } from './comment.entity.js';

export const MAX_BODY = 10_000;

@InputType({ description: 'A passage of one field: the quote, and its offsets when known (the server checks them and adds prefix and suffix).' })
export class AnchorInput {
  @Field(() => IndicatorField)
  @IsIn(Object.values(IndicatorField))
  field!: IndicatorField;

  @Field(() => Locale)
  @IsIn(Object.values(Locale))
  language!: Locale;

  @Field(() => String, { nullable: true, description: 'The exact passage; omit to comment on the whole field.' })
  @IsOptional()
  @MaxLength(5000)
  exact?: string | null;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @IsInt()
  @Min(0)
  start?: number | null;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @IsInt()
  @Min(0)
  end?: number | null;
}

@InputType()
export class AddCommentInput {
  @Field(() => ID)
  @IsUUID()
  roundId!: string;

  @Field(() => CommentTargetKind)
  @IsIn(Object.values(CommentTargetKind))
  targetKind!: CommentTargetKind;

  @Field(() => ID, { nullable: true, description: 'The indicator version (INDICATOR_VERSION) or section (SECTION); none for FRAMEWORK.' })
  @IsOptional()
  @IsUUID()
  targetId?: string | null;

  @Field(() => CommentType)
  @IsIn(Object.values(CommentType))
  type!: CommentType;

  @Field(() => String, { description: 'Markdown.' })
  @Length(1, MAX_BODY)
  body!: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(MAX_BODY)
  proposedChange?: string | null;

  @Field(() => AnchorInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  anchor?: AnchorInput | null;
}

@InputType()
export class ReplyInput {
  @Field(() => ID)
  @IsUUID()
  parentId!: string;

  @Field(() => String)
  @Length(1, MAX_BODY)
  body!: string;

  @Field(() => Boolean, { defaultValue: false, description: 'Mark as the official response (facilitators only).' })
  official!: boolean;
}

@InputType()
export class EditCommentInput {
  @Field(() => String)
  @Length(1, MAX_BODY)
  body!: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(MAX_BODY)
  proposedChange?: string | null;

  @Field(() => CommentType, { nullable: true, description: 'Top-level comments only; unchanged when omitted.' })
  @IsOptional()
  @IsIn(Object.values(CommentType))
  type?: CommentType | null;
}

/** A disposition status, or NONE: what the comment list filters and counts by. */
export enum DispositionFacet {
  NONE = 'NONE',
  ACCEPTED = 'ACCEPTED',
  PARTIALLY_ACCEPTED = 'PARTIALLY_ACCEPTED',
  REJECTED = 'REJECTED',
  NOTED = 'NOTED',
  DUPLICATE = 'DUPLICATE',
}
registerEnumType(DispositionFacet, { name: 'DispositionFacet', description: 'A disposition status, or NONE for a comment without one.' });

@InputType({ description: 'Every given criterion must hold; lists mean any of.' })
export class CommentFilter {
  @Field(() => [ID], { nullable: true, description: 'Sections (areas), each with its sub-sections.' })
  @IsOptional()
  @IsUUID('all', { each: true })
  sectionIds?: string[] | null;

  @Field(() => [ID], { nullable: true })
  @IsOptional()
  @IsUUID('all', { each: true })
  indicatorIds?: string[] | null;

  @Field(() => [CommentTargetKind], { nullable: true })
  @IsOptional()
  targetKinds?: CommentTargetKind[] | null;

  @Field(() => [CommentType], { nullable: true })
  @IsOptional()
  types?: CommentType[] | null;

  @Field(() => [DispositionFacet], { nullable: true })
  @IsOptional()
  dispositions?: DispositionFacet[] | null;

  @Field(() => [ID], { nullable: true })
  @IsOptional()
  @IsUUID('all', { each: true })
  organizationIds?: string[] | null;

  @Field(() => [String], { nullable: true, description: 'ISO 3166-1 alpha-2 codes.' })
  @IsOptional()
  @Length(2, 2, { each: true, message: 'each country must be a two-letter ISO 3166-1 code' })
  countries?: string[] | null;

  @Field(() => [ID], { nullable: true })
  @IsOptional()
  @IsUUID('all', { each: true })
  authorIds?: string[] | null;

  @Field(() => Boolean, { nullable: true, description: 'Omitted: both; true: only withdrawn; false: only standing.' })
  @IsOptional()
  withdrawn?: boolean | null;

  @Field(() => [ID], { nullable: true, description: 'Tagged with any of these themes.' })
  @IsOptional()
  @IsUUID('all', { each: true })
  themeIds?: string[] | null;

  @Field(() => [ID], { nullable: true, description: 'In any of these near-duplicate groups.' })
  @IsOptional()
  @IsUUID('all', { each: true })
  nearDuplicateGroupIds?: string[] | null;

  @Field(() => Boolean, { nullable: true, description: 'Omitted: both; true: only feedback entered on someone’s behalf; false: only written in Consulta.' })
  @IsOptional()
  onBehalf?: boolean | null;
}
