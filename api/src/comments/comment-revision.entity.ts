import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property, type Opt, type Ref } from '@mikro-orm/core';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { randomUUID } from 'node:crypto';
import { Comment, CommentType } from './comment.entity.js';

/** What a comment said before an edit: edits keep their history. */
@ObjectType({ description: 'An earlier text of an edited comment.' })
@Entity({ tableName: 'comment_revision' })
@Index({ properties: ['comment', 'number'] })
export class CommentRevision {
  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne({ entity: () => Comment, ref: true })
  comment!: Ref<Comment>;

  /** 1 for the original text, 2 for the text after the first edit, … */
  @Field(() => Int)
  @Property({ type: 'integer' })
  number!: number;

  @Field(() => CommentType, { nullable: true })
  @Enum({ items: () => CommentType, type: 'string', nullable: true })
  type?: CommentType | null;

  @Field(() => String)
  @Property({ type: 'text' })
  body!: string;

  @Field(() => String)
  @Property({ type: 'text' })
  bodyHtml!: string;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  proposedChange?: string | null;

  @Field(() => Date, { description: 'When this text was written (the comment’s creation or an earlier edit).' })
  @Property({ type: 'datetime' })
  writtenAt!: Date;

  @Field(() => Date, { description: 'When it was replaced.' })
  @Property({ type: 'datetime' })
  replacedAt: Date & Opt = new Date();
}
