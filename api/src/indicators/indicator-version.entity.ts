import { Entity, Enum, ManyToOne, PrimaryKey, Property, Unique, type Opt, type Ref } from '@mikro-orm/core';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { randomUUID } from 'node:crypto';
import { User } from '../users/user.entity.js';
import { Indicator } from './indicator.entity.js';
import { IndicatorField, type IndicatorTexts } from './indicator-field.js';

export enum IndicatorVersionStatus {
  PUBLISHED = 'PUBLISHED',
  PROPOSED = 'PROPOSED',
  REJECTED = 'REJECTED',
}
registerEnumType(IndicatorVersionStatus, {
  name: 'IndicatorVersionStatus',
  description: 'Whether a version is adopted text or a revision still to be, or not, adopted.',
  valuesConfig: {
    PUBLISHED: { description: 'Frozen from a draft, or an adopted revision.' },
    PROPOSED: { description: 'A revision put to a ballot.' },
    REJECTED: { description: 'A revision the ballot did not adopt.' },
  },
});

/** The text-search configuration for each language; created by the Frameworks migration. */
export const SEARCH_CONFIG = { es: 'consulta_es', en: 'consulta_en', pt: 'consulta_pt', fr: 'consulta_fr' } as const;

/**
 * One immutable text of an indicator. Comments and votes point at a version, so nothing
 * ever updates `texts`: a change is a new version.
 */
@ObjectType({ description: 'An immutable text of an indicator; every change is a new version.' })
@Entity({ tableName: 'indicator_version' })
@Unique({ properties: ['indicator', 'number'] })
export class IndicatorVersion {
  @Field(() => ID, { description: 'The version’s id; comments, votes and releases point at it.' })
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne({ entity: () => Indicator, ref: true, deleteRule: 'cascade' })
  indicator!: Ref<Indicator>;

  @Field(() => Int, { description: '1, 2, 3… per indicator.' })
  @Property({ type: 'integer' })
  number!: number;

  @ManyToOne({ entity: () => IndicatorVersion, ref: true, nullable: true })
  parent?: Ref<IndicatorVersion> | null;

  @Property({ type: 'json' })
  texts!: IndicatorTexts;

  @Field(() => IndicatorVersionStatus, { description: 'Adopted, proposed or rejected.' })
  @Enum({ items: () => IndicatorVersionStatus, type: 'string' })
  status!: IndicatorVersionStatus;

  @ManyToOne({ entity: () => User, ref: true })
  author!: Ref<User>;

  @Field(() => String, { nullable: true, description: 'What changed from the version before, in its author’s words; null when not given.' })
  @Property({ type: 'text', nullable: true })
  changeSummary?: string | null;

  @Field(() => Date, { description: 'When it was published or proposed.' })
  @Property({ type: 'datetime' })
  createdAt: Date & Opt = new Date();
}
