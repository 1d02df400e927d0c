import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property, Unique, type Opt, type Ref } from '@mikro-orm/core';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { randomUUID } from 'node:crypto';
import { Framework } from '../frameworks/framework.entity.js';
import { Section, type SectionRecord } from '../frameworks/section.entity.js';
import type { LocalizedText } from '../i18n/localized-text.js';
import { User, type Locale } from '../users/user.entity.js';
import type { IndicatorTexts } from './indicator-field.js';

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
