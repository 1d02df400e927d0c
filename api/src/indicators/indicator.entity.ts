import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property, Unique, type Opt, type Ref } from '@mikro-orm/core';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { randomUUID } from 'node:crypto';
import { Framework } from '../frameworks/framework.entity.js';
import { Section, type SectionRecord } from '../frameworks/section.entity.js';
import { IndicatorVersion } from './indicator-version.entity.js';
import type { LocalizedText } from '../i18n/localized-text.js';
import type { Locale } from '../users/user.entity.js';

export enum IndicatorStatus {
  DRAFT = 'DRAFT',
  ACTIVE = 'ACTIVE',
  RETIRED = 'RETIRED',
}
registerEnumType(IndicatorStatus, {
  name: 'IndicatorStatus',
  description: 'Where an indicator is in its life.',
  valuesConfig: {
    DRAFT: { description: 'Under development: no version published yet.' },
    ACTIVE: { description: 'In force: its first version is published (publishIndicatorDraft).' },
    RETIRED: { description: 'No longer used (retireIndicator); kept with its history, left out of new rounds.' },
  },
});

/** An indicator's current title for pages that show many, read without its version (indicator.loaders.ts). */
export interface CurrentTitle {
  /** The title in every language the current version has; null before the first published version. */
  title: LocalizedText | null;
  sourceLanguage: Locale;
}

@ObjectType({ description: 'A leaf of a framework (an indicator or an essential practice) with a stable code.' })
@Entity({ tableName: 'indicator' })
@Unique({ properties: ['framework', 'code'] })
@Index({ properties: ['section', 'position'] })
@Index({ name: 'indicator_code_trgm_index', expression: 'create index "indicator_code_trgm_index" on "indicator" using gin (lower("code") gin_trgm_ops)' })
export class Indicator {
  @Field(() => ID, { description: 'The indicator’s id; it stays through every version.' })
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne({ entity: () => Framework, ref: true, deleteRule: 'cascade' })
  framework!: Ref<Framework>;

  @ManyToOne({ entity: () => Section, ref: true })
  section!: Ref<Section>;

  @Field(() => String, { description: 'Stable and unique within the framework: `GEN-03`, `POV-01`, `1A.1`.' })
  @Property({ type: 'string', length: 30 })
  code!: string;

  @Field(() => Int, { description: 'Order within its section, from 0.' })
  @Property({ type: 'integer' })
  position!: number;

  @Field(() => IndicatorStatus, { description: 'Draft, in force or retired.' })
  @Enum({ items: () => IndicatorStatus, type: 'string' })
  status: IndicatorStatus & Opt = IndicatorStatus.DRAFT;

  /** The latest published version; null until the first draft is published. */
  @ManyToOne({ entity: () => IndicatorVersion, ref: true, nullable: true, deleteRule: 'set null' })
  currentVersion?: Ref<IndicatorVersion> | null;

  @Field(() => Date, { description: 'When it was created.' })
  @Property({ type: 'datetime' })
  createdAt: Date & Opt = new Date();
}

/**
 * What the `Indicator` type resolves from: the entity, or the same columns read as a plain row
 * (lists of hundreds, such as a round page, skip the entity's hydration and change tracking).
 */
export type IndicatorRecord = Pick<Indicator, 'id' | 'code' | 'position' | 'status' | 'createdAt'> & {
  framework: { id: string };
  /** A reference, or the section itself when the row was read with it. */
  section: { id: string } | SectionRecord;
  currentVersion?: { id: string } | null;
  /** Present when the row was read with its current title. */
  currentTitle?: CurrentTitle | null;
};
