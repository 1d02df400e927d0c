import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { IsBoolean, IsEnum } from 'class-validator';
import { CommentType } from '../comments/comment.entity.js';
import { DispositionStatus } from '../dispositions/disposition.entity.js';
import { RoundDispositionSummary } from '../exports/export.types.js';
import { IndicatorField } from '../indicators/indicator-field.js';
import { LocalizedString } from '../i18n/localized-text.js';
import { PageInfo } from '../comments/comment-list.js';
import { PublicAuthors, RoundStatus } from '../rounds/round.entity.js';

/*
 * What the public (signed out) reads: types of their own, flat and made for it, so that no field
 * written for signed-in readers (a viewer's progress, an author's id) can reach a public page.
 */

@ObjectType({ description: 'A release as the public reads it.' })
export class PublicReleaseListing {
  @Field(() => ID, { description: 'The release’s id (the downloads at `/exports/releases/:id.pdf|xlsx|json` take it).' }) id!: string;
  @Field(() => String, { description: 'Its number, e.g. `2026.1`.' }) number!: string;
  @Field(() => Boolean, { description: 'Whether it is final: the standard institutions are certified against.' }) final!: boolean;
  @Field(() => Date, { nullable: true, description: 'When it was marked final.' }) finalAt!: Date | null;
  @Field(() => Date, { description: 'When it was released.' }) createdAt!: Date;
}

@ObjectType({ description: 'A framework with at least one release, as the public reads it.' })
export class PublicFramework {
  @Field(() => String, { description: 'Its slug.' }) slug!: string;
  @Field(() => LocalizedString, { description: 'Its name.' }) name!: LocalizedString;
  @Field(() => LocalizedString, { nullable: true, description: 'What it is.' }) description!: LocalizedString | null;
  @Field(() => [PublicReleaseListing], { description: 'Its releases, newest first.' }) releases!: PublicReleaseListing[];
}

@ObjectType({ description: 'One field of an indicator’s text.' })
export class PublicIndicatorField {
  @Field(() => IndicatorField, { description: 'Which field.' }) field!: IndicatorField;
  @Field(() => String, { description: 'Its text.' }) text!: string;
  @Field(() => String, { description: 'The language of `text` (a fallback when not the one asked for).' }) language!: string;
}

@ObjectType({ description: 'An indicator at one version: its code, area and text.' })
export class PublicIndicator {
  @Field(() => String, { description: 'The indicator’s code.' }) code!: string;
  @Field(() => String, { nullable: true, description: 'Its area: code and title.' }) area!: string | null;
  @Field(() => Int, { description: 'The version’s number.' }) versionNumber!: number;
  @Field(() => [PublicIndicatorField], { description: 'The fields it has, in the usual order.' }) fields!: PublicIndicatorField[];
}

@ObjectType({ description: 'A released standard, as the public reads it.' })
export class PublicRelease {
  @Field(() => ID, { description: 'The release’s id.' }) id!: string;
  @Field(() => String, { description: 'Its number.' }) number!: string;
  @Field(() => String, { description: 'The framework’s slug.' }) frameworkSlug!: string;
  @Field(() => String, { description: 'The framework’s name.' }) frameworkName!: string;
  @Field(() => Boolean, { description: 'Whether it is final.' }) final!: boolean;
  @Field(() => Date, { nullable: true, description: 'When it was marked final.' }) finalAt!: Date | null;
  @Field(() => Date, { description: 'When it was released.' }) createdAt!: Date;
  @Field(() => String, { nullable: true, description: 'A later final release that replaces it.' }) supersededBy!: string | null;
  @Field(() => String, { nullable: true, description: 'The release notes.' }) notes!: string | null;
  @Field(() => [PublicIndicator], { description: 'Its indicators in order.' }) indicators!: PublicIndicator[];
}

@ObjectType({ description: 'A consultation round as the public reads it.' })
export class PublicRound {
  @Field(() => ID, { description: 'The round’s id.' }) id!: string;
  @Field(() => LocalizedString, { description: 'Its title.' }) title!: LocalizedString;
  @Field(() => String, { description: 'Its framework’s slug.' }) frameworkSlug!: string;
  @Field(() => LocalizedString, { description: 'Its framework’s name.' }) frameworkName!: LocalizedString;
  @Field(() => RoundStatus, { description: 'Where it stands by the server clock.' }) status!: RoundStatus;
  @Field(() => Date, { description: 'When comments start to be taken.' }) opensAt!: Date;
  @Field(() => Date, { description: 'When comments stop being taken.' }) closesAt!: Date;
  @Field(() => Date, { nullable: true, description: 'When it was resolved.' }) resolvedAt!: Date | null;
  @Field(() => Date, { nullable: true, description: 'When its disposition summary was published; null before.' }) summaryPublishedAt!: Date | null;
  @Field(() => Boolean, { description: 'Whether its comments are readable here once it closes.' }) commentsPublic!: boolean;
  @Field(() => PublicAuthors, { description: 'How the authors of its comments appear here.' }) publicAuthors!: PublicAuthors;
  @Field(() => Int, { description: 'Top-level comments, not withdrawn.' }) commentCount!: number;
}

@ObjectType({ description: 'Who wrote a public comment, as far as the round’s setting shows.' })
export class PublicAuthor {
  @Field(() => String, { nullable: true, description: 'The person’s name; null unless the round shows names.' }) name!: string | null;
  @Field(() => String, { nullable: true, description: 'Their organization; null when the round hides authors.' }) organization!: string | null;
  @Field(() => String, { nullable: true, description: 'Their organization’s country; null when the round hides authors.' }) country!: string | null;
}

@ObjectType({ description: 'A reply in a public comment’s thread.' })
export class PublicReply {
  @Field(() => ID, { description: 'The reply’s id.' }) id!: string;
  @Field(() => String, { description: 'Safe HTML.' }) bodyHtml!: string;
  @Field(() => PublicAuthor, { description: 'Its author, as the round shows them.' }) author!: PublicAuthor;
  @Field(() => Boolean, { description: 'The working group’s official response.' }) official!: boolean;
  @Field(() => Date, { description: 'When it was written.' }) createdAt!: Date;
}

@ObjectType({ description: 'A comment of a closed round whose comments are public, with its disposition.' })
export class PublicComment {
  @Field(() => ID, { description: 'The comment’s id.' }) id!: string;
  @Field(() => String, { nullable: true, description: 'The indicator’s code; null for a comment on a section or the framework.' }) indicatorCode!: string | null;
  @Field(() => CommentType, { nullable: true, description: 'General, technical or editorial.' }) type!: CommentType | null;
  @Field(() => String, { description: 'Markdown, as written.' }) body!: string;
  @Field(() => String, { description: 'Safe HTML.' }) bodyHtml!: string;
  @Field(() => String, { nullable: true, description: 'The change proposed.' }) proposedChange!: string | null;
  @Field(() => PublicAuthor, { description: 'Its author, as the round shows them.' }) author!: PublicAuthor;
  @Field(() => Date, { description: 'When it was written.' }) createdAt!: Date;
  @Field(() => DispositionStatus, { nullable: true, description: 'The working group’s decision; null while none.' }) disposition!: DispositionStatus | null;
  @Field(() => String, { nullable: true, description: 'The response, Markdown; null while none.' }) response!: string | null;
  @Field(() => String, { nullable: true, description: 'The response, safe HTML; null while none.' }) responseHtml!: string | null;
  @Field(() => [PublicReply], { description: 'Replies, oldest first, withdrawn ones left out.' }) replies!: PublicReply[];
}

@ObjectType({ description: 'A page of a round’s public comments, in the order of the round’s indicators, then oldest first.' })
export class PublicCommentPage {
  @Field(() => [PublicComment], { description: 'The comments.' }) nodes!: PublicComment[];
  @Field(() => PageInfo, { description: 'Pass `endCursor` as `after` for the next page.' }) pageInfo!: PageInfo;
}

@ObjectType({ description: 'What the public reads of one round: what exists at its stage and what its settings allow.' })
export class PublicRoundPage {
  @Field(() => PublicRound, { description: 'The round.' }) round!: PublicRound;
  @Field(() => [PublicIndicator], { description: 'The indicator texts under consultation; empty before the round opens.' }) indicators!: PublicIndicator[];
  @Field(() => RoundDispositionSummary, { nullable: true, description: 'The disposition summary; null until a facilitator publishes it.' }) summary!: RoundDispositionSummary | null;
}

@InputType({ description: 'What a round shows the public.' })
export class RoundPublicationInput {
  @Field(() => Boolean, { description: 'Whether its comments (with their dispositions) are readable signed out once it closes.' })
  @IsBoolean()
  commentsPublic!: boolean;

  @Field(() => PublicAuthors, { description: 'How the authors of its comments appear to the public.' })
  @IsEnum(PublicAuthors)
  publicAuthors!: PublicAuthors;
}
