import { Entity, Index, ManyToOne, PrimaryKey, Property, Unique, type Ref } from '@mikro-orm/core';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { randomUUID } from 'node:crypto';
import { Framework } from './framework.entity.js';
import type { LocalizedText } from '../i18n/localized-text.js';

@ObjectType({ description: 'A node of a framework’s tree: an area, a dimension, a standard, nested to any depth.' })
@Entity({ tableName: 'section' })
@Unique({ properties: ['framework', 'code'] })
@Index({ properties: ['parent'] })
export class Section {
  @Field(() => ID, { description: 'The section’s id.' })
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne({ entity: () => Framework, ref: true, deleteRule: 'cascade' })
  framework!: Ref<Framework>;

  @ManyToOne({ entity: () => Section, ref: true, nullable: true, deleteRule: 'cascade' })
  parent?: Ref<Section> | null;

  @Field(() => String, { description: 'Unique within the framework, e.g. `GEN`, `1`, `1A`.' })
  @Property({ type: 'string', length: 20 })
  code!: string;

  @Property({ type: 'json' })
  title!: LocalizedText;

  @Field(() => Int, { description: 'Order among its siblings, from 0.' })
  @Property({ type: 'integer' })
  position!: number;
}

/** What the `Section` type resolves from: the entity, or the same columns read as a plain row (a round's tree keeps them). */
export type SectionRecord = Pick<Section, 'id' | 'code' | 'title' | 'position'> & {
  framework: { id: string };
  parent?: { id: string } | null;
};
