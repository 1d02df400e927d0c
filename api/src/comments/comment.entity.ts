import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property, type Opt, type Ref } from '@mikro-orm/core';
import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { randomUUID } from 'node:crypto';
import { Section } from '../frameworks/section.entity.js';
import { Indicator, IndicatorVersion } from '../indicators/indicator.entity.js';
import { IndicatorField } from '../indicators/indicator-field.js';
import { OrganizationKind } from '../organizations/organization.entity.js';
import { ConsultationRound } from '../rounds/round.entity.js';
import { Locale } from '../users/user.entity.js';

export enum CommentType {
  GENERAL = 'GENERAL',
  TECHNICAL = 'TECHNICAL',
  EDITORIAL = 'EDITORIAL',
}
registerEnumType(CommentType, {
  name: 'CommentType',
  description: 'As in the ISO comment template.',
  valuesConfig: {
    GENERAL: { description: 'About the indicator or the text as a whole: its purpose, its place, whether it is needed.' },
    TECHNICAL: { description: 'About substance: what is measured, how, the threshold, the evidence.' },
    EDITORIAL: { description: 'About wording, spelling, grammar or translation; the meaning stays.' },
  },
});

export enum CommentTargetKind {
  INDICATOR_VERSION = 'INDICATOR_VERSION',
  SECTION = 'SECTION',
  FRAMEWORK = 'FRAMEWORK',
}
registerEnumType(CommentTargetKind, {
  name: 'CommentTargetKind',
  description: 'What a comment is about: one indicator version, a section (area), or the whole framework.',
  valuesConfig: {
    INDICATOR_VERSION: { description: 'One version of an indicator under consultation in the round; may point at a passage.' },
    SECTION: { description: 'A section of the round’s framework (an area, a dimension, a standard).' },
    FRAMEWORK: { description: 'The round’s framework as a whole.' },
  },
});

/**
 * Where in a version's text a comment points: a W3C Web Annotation TextQuoteSelector (exact,
 * prefix, suffix) plus a TextPositionSelector (start, end: offsets in UTF-16 code units, as
 * JavaScript counts them) in one field and language. Versions are immutable, so it never drifts.
 * Without `exact`, the comment points at the whole field.
 */
@ObjectType({ description: 'Where in a version’s text a comment points (W3C Web Annotation text-quote and text-position selectors); versions never change, so it never drifts.' })
export class CommentAnchor {
  @Field(() => IndicatorField, { description: 'The text field pointed at.' }) field!: IndicatorField;
  @Field(() => Locale, { description: 'The language of the text pointed at.' }) language!: Locale;
  @Field(() => String, { nullable: true, description: 'The exact passage quoted; null when the comment is on the whole field.' }) exact?: string | null;
  @Field(() => String, { nullable: true, description: 'Up to 32 characters of text just before the passage.' }) prefix?: string | null;
  @Field(() => String, { nullable: true, description: 'Up to 32 characters of text just after the passage.' }) suffix?: string | null;
  @Field(() => Number, { nullable: true, description: 'Where the passage starts in the field’s text, in UTF-16 code units (as JavaScript counts) from 0.' }) start?: number | null;
  @Field(() => Number, { nullable: true, description: 'Where the passage ends (exclusive), in UTF-16 code units.' }) end?: number | null;
}

/** The author as they were when they wrote: names and organizations change, the record does not. */
@ObjectType({ description: 'The author as they were when they wrote: later changes of name or organization do not alter the record.' })
export class CommentAuthor {
  @Field(() => ID, { description: 'The author’s account.' }) userId!: string;
  @Field(() => String, { description: 'Their name when they wrote.' }) name!: string;
  @Field(() => ID, { nullable: true, description: 'Their organization then; null when they had none.' }) organizationId?: string | null;
  @Field(() => String, { nullable: true, description: 'That organization’s name then.' }) organizationName?: string | null;
  @Field(() => OrganizationKind, { nullable: true, description: 'That organization’s kind then.' }) organizationKind?: OrganizationKind | null;
  @Field(() => String, { nullable: true, description: 'ISO 3166-1 alpha-2, from the organization.' }) country?: string | null;
}

/**
 * A top-level comment (no parent) or a reply in its thread. Every row of a thread carries the
 * thread's root id, so a whole tree loads with one query.
 */
@ObjectType({ description: 'A comment on an indicator version, a section or a framework in a round; or a reply in its thread.' })
@Entity({ tableName: 'comment' })
@Index({ properties: ['round', 'createdAt', 'id'] })
@Index({ properties: ['round', 'indicatorVersion'] })
@Index({
  name: 'comment_round_indicator_top_level_index',
  expression:
    'create index "comment_round_indicator_top_level_index" on "comment" ("round_id", "indicator_id", "created_at", "id") include ("type", "disposition_status", "section_id", "target_kind", "author_organization_id", "author_organization_name", "author_country", "author_id", "withdrawn_at") where "parent_id" is null',
})
@Index({
  name: 'comment_round_facets_index',
  expression:
    'create index "comment_round_facets_index" on "comment" ("round_id", "type") include ("id", "section_id", "indicator_id", "target_kind", "author_organization_id", "author_organization_name", "author_country", "author_id", "withdrawn_at", "created_at", "disposition_status") where "parent_id" is null',
})
@Index({
  name: 'comment_round_indicator_withdrawn_index',
  expression: 'create index "comment_round_indicator_withdrawn_index" on "comment" ("round_id", "indicator_id") where "parent_id" is null and "withdrawn_at" is not null',
})
@Index({ properties: ['round', 'authorId'] })
@Index({ properties: ['threadId', 'createdAt'] })
export class Comment {
  @Field(() => ID, { description: 'The comment’s id.' })
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne({ entity: () => ConsultationRound, ref: true })
  round!: Ref<ConsultationRound>;

  @Field(() => ID, { nullable: true, description: 'The comment this one replies to; null for a top-level comment.' })
  @Property({ type: 'uuid', nullable: true })
  parentId?: string | null;

  @Field(() => ID, { description: 'The top-level comment of the thread (its own id when top-level).' })
  @Property({ type: 'uuid' })
  threadId!: string;

  @Field(() => CommentTargetKind, { description: 'What it is about; a reply has its thread’s.' })
  @Enum({ items: () => CommentTargetKind, type: 'string' })
  targetKind!: CommentTargetKind;

  @ManyToOne({ entity: () => IndicatorVersion, ref: true, nullable: true })
  indicatorVersion?: Ref<IndicatorVersion> | null;

  @ManyToOne({ entity: () => Indicator, ref: true, nullable: true })
  indicator?: Ref<Indicator> | null;

  /** The section commented on, or the indicator's section: filtering by area needs no join. */
  @ManyToOne({ entity: () => Section, ref: true, nullable: true })
  section?: Ref<Section> | null;

  @Field(() => CommentType, { nullable: true, description: 'General, technical or editorial; null on replies.' })
  @Enum({ items: () => CommentType, type: 'string', nullable: true })
  type?: CommentType | null;

  @Field(() => String, { description: 'Markdown, as written.' })
  @Property({ type: 'text' })
  body!: string;

  /** Rendered and sanitized when written (see markdown.ts). */
  @Field(() => String, { description: 'Safe HTML rendered from `body` on the server.' })
  @Property({ type: 'text' })
  bodyHtml!: string;

  @Field(() => String, { nullable: true, description: 'The text the commenter wants instead.' })
  @Property({ type: 'text', nullable: true })
  proposedChange?: string | null;

  @Field(() => CommentAnchor, { nullable: true, description: 'The passage pointed at; null when the comment is on the whole target.' })
  @Property({ type: 'json', nullable: true })
  anchor?: CommentAnchor | null;

  @Property({ type: 'uuid' })
  authorId!: string;

  @Property({ type: 'string', length: 200 })
  authorName!: string;

  @Property({ type: 'uuid', nullable: true })
  authorOrganizationId?: string | null;

  @Property({ type: 'string', length: 200, nullable: true })
  authorOrganizationName?: string | null;

  @Enum({ items: () => OrganizationKind, type: 'string', nullable: true })
  authorOrganizationKind?: OrganizationKind | null;

  @Property({ type: 'string', length: 2, nullable: true })
  authorCountry?: string | null;

  @Field(() => Boolean, { description: 'A facilitator’s reply marked as the official response.' })
  @Property({ type: 'boolean' })
  official: boolean & Opt = false;

  @Field(() => Date, { nullable: true, description: 'When its author withdrew it; it stays in the record, marked. Null while it stands.' })
  @Property({ type: 'datetime', nullable: true })
  withdrawnAt?: Date | null;

  @Field(() => Date, { nullable: true, description: 'When it was last edited; null when never (earlier texts are in `revisions`).' })
  @Property({ type: 'datetime', nullable: true })
  editedAt?: Date | null;

  /** Its disposition's status, NONE until a facilitator decides: the list filters and counts by it. Only a database trigger writes it. */
  @Property({ type: 'text', default: 'NONE' })
  dispositionStatus: string & Opt = 'NONE';

  @Field(() => Date, { description: 'When it was written (entered, for feedback given on someone’s behalf).' })
  @Property({ type: 'datetime' })
  createdAt: Date & Opt = new Date();
}

