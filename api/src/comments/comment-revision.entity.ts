import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property, type Opt, type Ref } from '@mikro-orm/core';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { randomUUID } from 'node:crypto';
import { Comment, CommentType } from './comment.entity.js';

/** What a comment said before an edit: edits keep their history. */
@ObjectType({ description: 'An earlier text of an edited comment.' })
@Entity({ tableName: 'comment_revision' })
@Index({ properties: ['comment', 'number'] })
export class CommentRevision {
  @Field(() => ID, { description: 'The earlier text’s id.' })
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne({ entity: () => Comment, ref: true })
  comment!: Ref<Comment>;

  @Field(() => Int, { description: '1 for the original text, 2 for the text after the first edit, …' })
  @Property({ type: 'integer' })
  number!: number;

  @Field(() => CommentType, { nullable: true, description: 'The type it had then; null for a reply.' })
  @Enum({ items: () => CommentType, type: 'string', nullable: true })
  type?: CommentType | null;

  @Field(() => String, { description: 'Markdown, as written then.' })
  @Property({ type: 'text' })
  body!: string;

  @Field(() => String, { description: 'Safe HTML rendered from `body` on the server.' })
  @Property({ type: 'text' })
  bodyHtml!: string;

  @Field(() => String, { nullable: true, description: 'The proposed change it carried then, if any.' })
  @Property({ type: 'text', nullable: true })
  proposedChange?: string | null;

  @Field(() => Date, { description: 'When this text was written (the comment’s creation or an earlier edit).' })
  @Property({ type: 'datetime' })
  writtenAt!: Date;

  @Field(() => Date, { description: 'When it was replaced.' })
  @Property({ type: 'datetime' })
  replacedAt: Date & Opt = new Date();
}
