import { Entity, Index, ManyToOne, PrimaryKey, Property, Unique, type Opt, type Ref } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import { Comment } from '../comments/comment.entity.js';
import { IndicatorVersion } from '../indicators/indicator.entity.js';

/**
 * A revision answers a comment: read one way it lists the comments a revision takes up, the
 * other way it shows a stakeholder which revision took up their comment.
 */
@Entity({ tableName: 'revision_comment' })
@Unique({ properties: ['revision', 'comment'] })
@Index({ properties: ['comment'] })
export class RevisionComment {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne({ entity: () => IndicatorVersion, ref: true, deleteRule: 'cascade' })
  revision!: Ref<IndicatorVersion>;

  @ManyToOne({ entity: () => Comment, ref: true, deleteRule: 'cascade' })
  comment!: Ref<Comment>;

  @Property({ type: 'datetime' })
  createdAt: Date & Opt = new Date();
}
