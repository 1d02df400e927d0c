import { Entity, Index, ManyToOne, PrimaryKey, Property, Unique, type Opt, type Ref } from '@mikro-orm/core';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { randomUUID } from 'node:crypto';
import { Framework } from '../frameworks/framework.entity.js';
import type { LocalizedText } from '../i18n/localized-text.js';
import { IndicatorVersion, Indicator } from '../indicators/indicator.entity.js';

/** `2026.1`: the year, a dot, and the release's number within that year. */
export const RELEASE_NUMBER = /^(19|20|21)\d{2}\.[1-9]\d{0,2}$/;

/**
 * A numbered, immutable snapshot of a framework: each indicator at one version (ReleaseIndicator).
 * A database trigger refuses every change to a release but one, marking it final (`finalAt` from
 * null to a time), and refuses deleting it; the final release is what institutions are certified
 * against until a later final release supersedes it.
 */
@ObjectType({ description: 'A numbered, immutable snapshot of a framework’s indicators, each at one version.' })
@Entity({ tableName: 'framework_release' })
@Unique({ properties: ['framework', 'number'] })
@Unique({ properties: ['framework', 'sequence'] })
export class Release {
  @Field(() => ID, { description: 'The release’s id.' })
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne({ entity: () => Framework, ref: true })
  framework!: Ref<Framework>;

  @Field(() => String, { description: 'As the working group names it, e.g. `2026.1`; unique within the framework.' })
  @Property({ type: 'string', length: 20 })
  number!: string;

  @Field(() => Int, { description: '1, 2, 3… per framework, in the order the releases were made.' })
  @Property({ type: 'integer' })
  sequence!: number;

  @Property({ type: 'json' })
  notes: LocalizedText & Opt = {};

  @Property({ type: 'uuid' })
  createdById!: string;

  @Field(() => Date, { description: 'When it was released.' })
  @Property({ type: 'datetime' })
  createdAt: Date & Opt = new Date();

  @Field(() => Date, { nullable: true, description: 'When it was marked final; null for a working release.' })
  @Property({ type: 'datetime', nullable: true })
  finalAt?: Date | null;

  @Property({ type: 'uuid', nullable: true })
  finalById?: string | null;
}

/** One indicator of a release at the version it was released with; never changes (trigger). */
@Entity({ tableName: 'release_indicator' })
@Unique({ properties: ['release', 'indicator'] })
@Index({ properties: ['indicator'] })
export class ReleaseIndicator {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne({ entity: () => Release, ref: true })
  release!: Ref<Release>;

  @ManyToOne({ entity: () => Indicator, ref: true })
  indicator!: Ref<Indicator>;

  @ManyToOne({ entity: () => IndicatorVersion, ref: true })
  version!: Ref<IndicatorVersion>;

  /** The indicator's code when released (codes are stable; kept so a release reads without joins). */
  @Property({ type: 'string', length: 30 })
  code!: string;

  /** Order in the release: the framework's tree order at the time. */
  @Property({ type: 'integer' })
  position!: number;
}
