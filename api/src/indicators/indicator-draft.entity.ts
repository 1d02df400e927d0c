import { Entity, ManyToOne, OneToOne, PrimaryKey, Property, type Opt, type Ref } from '@mikro-orm/core';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { randomUUID } from 'node:crypto';
import { User } from '../users/user.entity.js';
import { Indicator, IndicatorVersion } from './indicator.entity.js';
import type { IndicatorTexts } from './indicator-field.js';

/** The one working text of an indicator that facilitators edit; publishing freezes it as a version. */
@ObjectType({ description: 'The working text facilitators edit; publishing freezes it as the next version.' })
@Entity({ tableName: 'indicator_draft' })
export class IndicatorDraft {
  @Field(() => ID, { description: 'The draft’s id; one per indicator.' })
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @OneToOne({ entity: () => Indicator, ref: true, owner: true, unique: true, deleteRule: 'cascade' })
  indicator!: Ref<Indicator>;

  @Property({ type: 'json' })
  texts!: IndicatorTexts;

  /** The version this draft started from; null before the first publication. */
  @ManyToOne({ entity: () => IndicatorVersion, ref: true, nullable: true, deleteRule: 'set null' })
  baseVersion?: Ref<IndicatorVersion> | null;

  @ManyToOne({ entity: () => User, ref: true })
  updatedBy!: Ref<User>;

  @Field(() => Date, { description: 'When it was last saved.' })
  @Property({ type: 'datetime' })
  updatedAt: Date & Opt = new Date();

  /** Optimistic lock: a save names the revision it edited; a stale one is a CONFLICT. */
  @Field(() => Int, { description: 'Send it back with the next save; a stale one is refused with CONFLICT.' })
  @Property({ type: 'integer', version: true })
  revision: number & Opt = 1;
}
