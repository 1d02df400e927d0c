import { Entity, Index, ManyToOne, PrimaryKey, Property, Unique, type Opt, type Ref } from '@mikro-orm/core';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { randomUUID } from 'node:crypto';
import { Comment } from '../comments/comment.entity.js';
import type { LocalizedText } from '../i18n/localized-text.js';
import { ConsultationRound } from '../rounds/round.entity.js';

/** A facilitator's label for what comments are about, defined per round, translatable. */
@ObjectType({ description: 'A facilitator’s label for what comments of a round are about.' })
@Entity({ tableName: 'theme' })
@Index({ properties: ['round', 'position'] })
export class Theme {
  @Field(() => ID, { description: 'The theme’s id.' })
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne({ entity: () => ConsultationRound, ref: true })
  round!: Ref<ConsultationRound>;

  @Property({ type: 'json' })
  label!: LocalizedText;

  @Field(() => Int, { description: 'Its place in the round’s list of themes, from 0.' })
  @Property({ type: 'integer' })
  position!: number;

  @Field(() => Date, { description: 'When it was created.' })
  @Property({ type: 'datetime' })
  createdAt: Date & Opt = new Date();
}

/** One theme on one top-level comment. */
@Entity({ tableName: 'comment_theme' })
@Unique({ properties: ['comment', 'theme'] })
@Index({ properties: ['theme'] })
export class CommentTheme {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne({ entity: () => Comment, ref: true, deleteRule: 'cascade' })
  comment!: Ref<Comment>;

  @ManyToOne({ entity: () => Theme, ref: true, deleteRule: 'cascade' })
  theme!: Ref<Theme>;

  @Property({ type: 'uuid' })
  taggedById!: string;

  @Property({ type: 'datetime' })
  taggedAt: Date & Opt = new Date();
}

/** What the `Theme` type resolves from: the entity, or the same columns read as a plain row (a page of comments shows dozens). */
export type ThemeRecord = Pick<Theme, 'id' | 'label' | 'position' | 'createdAt'> & { round: { id: string } };
