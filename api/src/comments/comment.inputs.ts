import { IsIn, IsInt, IsOptional, IsUUID, Length, MaxLength, Min, ValidateNested } from 'class-validator';
import { Field, ID, InputType, Int, registerEnumType } from 'type-graphql';
import { IndicatorField } from '../indicators/indicator-field.js';
import { Locale } from '../users/user.entity.js';
import { CommentTargetKind, CommentType } from './comment.entity.js';
import { IdempotencyKeyField } from '../idempotency/idempotency-key.input.js';

export const MAX_BODY = 10_000;

@InputType({ description: 'A passage of one field: the quote, and its offsets when known (the server checks them and adds prefix and suffix).' })
export class AnchorInput {
  @Field(() => IndicatorField, { description: 'The text field pointed at.' })
  @IsIn(Object.values(IndicatorField))
  field!: IndicatorField;

  @Field(() => Locale, { description: 'The language of the text pointed at.' })
  @IsIn(Object.values(Locale))
  language!: Locale;

  @Field(() => String, { nullable: true, description: 'The exact passage; omit to comment on the whole field.' })
  @IsOptional()
  @MaxLength(5000)
  exact?: string | null;

  @Field(() => Int, { nullable: true, description: 'Where `exact` starts, in UTF-16 code units from 0; BAD_USER_INPUT `ANCHOR_MISMATCH` when the passage is not there.' })
  @IsOptional()
  @IsInt()
  @Min(0)
  start?: number | null;

  @Field(() => Int, { nullable: true, description: 'Where `exact` ends (exclusive), in UTF-16 code units.' })
  @IsOptional()
  @IsInt()
  @Min(0)
  end?: number | null;
}

@InputType({ description: 'A new top-level comment in an open round.' })
export class AddCommentInput {
  @Field(() => ID, { description: 'The round, open now by the server clock.' })
  @IsUUID()
  roundId!: string;

  @Field(() => CommentTargetKind, { description: 'What the comment is about.' })
  @IsIn(Object.values(CommentTargetKind))
  targetKind!: CommentTargetKind;

  @Field(() => ID, { nullable: true, description: 'The indicator version (INDICATOR_VERSION) or section (SECTION); none for FRAMEWORK.' })
  @IsOptional()
  @IsUUID()
  targetId?: string | null;

  @Field(() => CommentType, { description: 'General, technical or editorial.' })
  @IsIn(Object.values(CommentType))
  type!: CommentType;

  @Field(() => String, { description: 'Markdown.' })
  @Length(1, MAX_BODY)
  body!: string;

  @Field(() => String, { nullable: true, description: 'The text the commenter wants instead, up to 10,000 characters.' })
  @IsOptional()
  @MaxLength(MAX_BODY)
  proposedChange?: string | null;

  @Field(() => AnchorInput, { nullable: true, description: 'The passage pointed at; only for INDICATOR_VERSION.' })
  @IsOptional()
  @ValidateNested()
  anchor?: AnchorInput | null;

  @IdempotencyKeyField()
  idempotencyKey?: string | null;
}

@InputType({ description: 'A reply in a comment’s thread.' })
export class ReplyInput {
  @Field(() => ID, { description: 'The comment or reply answered; CONFLICT `COMMENT_WITHDRAWN` when it was withdrawn.' })
  @IsUUID()
  parentId!: string;

  @Field(() => String, { description: 'Markdown, 1 to 10,000 characters.' })
  @Length(1, MAX_BODY)
  body!: string;

  @Field(() => Boolean, { defaultValue: false, description: 'Mark as the official response (facilitators only).' })
  official!: boolean;

  @IdempotencyKeyField()
  idempotencyKey?: string | null;
}

@InputType({ description: 'The new text of a comment; the earlier one is kept.' })
export class EditCommentInput {
  @Field(() => String, { description: 'Markdown, 1 to 10,000 characters.' })
  @Length(1, MAX_BODY)
  body!: string;

  @Field(() => String, { nullable: true, description: 'The proposed change; null removes it. Top-level comments only.' })
  @IsOptional()
  @MaxLength(MAX_BODY)
  proposedChange?: string | null;

  @Field(() => CommentType, { nullable: true, description: 'Top-level comments only; unchanged when omitted.' })
  @IsOptional()
  @IsIn(Object.values(CommentType))
  type?: CommentType | null;
}

export enum DispositionFacet {
  NONE = 'NONE',
  ACCEPTED = 'ACCEPTED',
  PARTIALLY_ACCEPTED = 'PARTIALLY_ACCEPTED',
  REJECTED = 'REJECTED',
  NOTED = 'NOTED',
  DUPLICATE = 'DUPLICATE',
}
registerEnumType(DispositionFacet, {
  name: 'DispositionFacet',
  description: 'A disposition status, or NONE for a comment without one.',
  valuesConfig: {
    NONE: { description: 'No disposition yet.' },
    ACCEPTED: { description: 'Disposed ACCEPTED.' },
    PARTIALLY_ACCEPTED: { description: 'Disposed PARTIALLY_ACCEPTED.' },
    REJECTED: { description: 'Disposed REJECTED.' },
    NOTED: { description: 'Disposed NOTED.' },
    DUPLICATE: { description: 'Disposed DUPLICATE.' },
  },
});

@InputType({ description: 'Every given criterion must hold; lists mean any of.' })
export class CommentFilter {
  @Field(() => [ID], { nullable: true, description: 'Sections (areas), each with its sub-sections.' })
  @IsOptional()
  @IsUUID('all', { each: true })
  sectionIds?: string[] | null;

  @Field(() => [ID], { nullable: true, description: 'On any of these indicators (any version).' })
  @IsOptional()
  @IsUUID('all', { each: true })
  indicatorIds?: string[] | null;

  @Field(() => [CommentTargetKind], { nullable: true, description: 'About any of these kinds of target.' })
  @IsOptional()
  targetKinds?: CommentTargetKind[] | null;

  @Field(() => [CommentType], { nullable: true, description: 'Of any of these types.' })
  @IsOptional()
  types?: CommentType[] | null;

  @Field(() => [DispositionFacet], { nullable: true, description: 'With any of these dispositions; NONE for those without one.' })
  @IsOptional()
  dispositions?: DispositionFacet[] | null;

  @Field(() => [ID], { nullable: true, description: 'By authors of any of these organizations (as recorded when they wrote).' })
  @IsOptional()
  @IsUUID('all', { each: true })
  organizationIds?: string[] | null;

  @Field(() => [String], { nullable: true, description: 'ISO 3166-1 alpha-2 codes.' })
  @IsOptional()
  @Length(2, 2, { each: true, message: 'each country must be a two-letter ISO 3166-1 code' })
  countries?: string[] | null;

  @Field(() => [ID], { nullable: true, description: 'By any of these people.' })
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
