import { Entity, Enum, ManyToOne, PrimaryKey, Property, Unique, type Opt, type Ref } from '@mikro-orm/core';
import { Field, Float, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { randomUUID } from 'node:crypto';
import { Section } from '../frameworks/section.entity.js';
import { Release, ReleaseIndicator } from '../releases/release.entity.js';

export enum IndicatorWeight {
  ESSENTIAL = 'ESSENTIAL',
  SCORED = 'SCORED',
}
registerEnumType(IndicatorWeight, {
  name: 'IndicatorWeight',
  description: 'How an indicator counts towards an area’s seal.',
  valuesConfig: {
    ESSENTIAL: { description: 'Must be met (or not apply) for the seal, whatever the points.' },
    SCORED: { description: 'Earns its points when met, half when partially met.' },
  },
});

export enum Comparator {
  GTE = 'GTE',
  GT = 'GT',
  LTE = 'LTE',
  LT = 'LT',
}
registerEnumType(Comparator, {
  name: 'Comparator',
  description: 'How a quantitative indicator’s reported value is checked against its threshold.',
  valuesConfig: {
    GTE: { description: 'Met when the value is at least the threshold.' },
    GT: { description: 'Met when the value is above the threshold.' },
    LTE: { description: 'Met when the value is at most the threshold.' },
    LT: { description: 'Met when the value is below the threshold.' },
  },
});

export enum AreaDecisionMode {
  DIRECT = 'DIRECT',
  COMMITTEE_BALLOT = 'COMMITTEE_BALLOT',
}
registerEnumType(AreaDecisionMode, {
  name: 'AreaDecisionMode',
  description: 'How the committee decides an area’s seal, as the scheme says.',
  valuesConfig: {
    DIRECT: { description: 'A member of the committee records the decision.' },
    COMMITTEE_BALLOT: { description: 'A facilitator opens a ballot of the committee (without the assessed institution’s people and its reviewers); its outcome is the decision.' },
  },
});

/**
 * The rules that award seals on one final release: per area (a top-level section of the framework)
 * which indicators are essential, which scored and with how many points, and the share of points an
 * area needs. Immutable (trigger), like the release it rests on: a new release needs a new scheme.
 */
@ObjectType({ description: 'The rules that award certification seals on one final release, per area.' })
@Entity({ tableName: 'certification_scheme' })
export class Scheme {
  @Field(() => ID, { description: 'The scheme’s id.' })
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne({ entity: () => Release, ref: true, unique: true })
  release!: Ref<Release>;

  @Field(() => Int, { description: 'How many months a seal is valid from its issue date.' })
  @Property({ type: 'integer' })
  validityMonths!: number;

  @Field(() => Int, { description: 'How many months after its issue date a seal is due for its surveillance review.' })
  @Property({ type: 'integer' })
  surveillanceMonths!: number;

  @Property({ type: 'uuid' })
  createdById!: string;

  @Field(() => Date, { description: 'When it was made.' })
  @Property({ type: 'datetime' })
  createdAt: Date & Opt = new Date();
}

/** One area of a scheme: a top-level section of the framework, with the share of scored points it needs. */
@ObjectType({ description: 'One area of a scheme (gender, poverty, rural development…): the seal it can award and its rule.' })
@Entity({ tableName: 'certification_scheme_area' })
@Unique({ properties: ['scheme', 'section'] })
export class SchemeArea {
  @Field(() => ID, { description: 'The area’s id within the scheme.' })
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne({ entity: () => Scheme, ref: true })
  scheme!: Ref<Scheme>;

  @ManyToOne({ entity: () => Section, ref: true })
  section!: Ref<Section>;

  @Field(() => String, { description: 'The section’s code, e.g. `GEN`.' })
  @Property({ type: 'string', length: 20 })
  code!: string;

  @Field(() => Int, { description: 'The least share of the applicable scored points, in percent, that earns the seal (with every essential indicator met).' })
  @Property({ type: 'integer' })
  passPercent!: number;

  @Field(() => Int, { description: 'Order within the scheme, from 0.' })
  @Property({ type: 'integer' })
  position!: number;

  @Field(() => AreaDecisionMode, { description: 'Whether the seal is decided directly or by a ballot of the committee.' })
  @Enum({ items: () => AreaDecisionMode, type: 'string' })
  decidedBy: AreaDecisionMode & Opt = AreaDecisionMode.DIRECT;
}

/** One release indicator as an area judges it. */
@ObjectType({ description: 'One indicator of the release as an area of the scheme judges it.' })
@Entity({ tableName: 'certification_scheme_indicator' })
@Unique({ properties: ['area', 'releaseIndicator'] })
export class SchemeIndicator {
  @Field(() => ID, { description: 'The scheme indicator’s id: what answers name.' })
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne({ entity: () => SchemeArea, ref: true })
  area!: Ref<SchemeArea>;

  @ManyToOne({ entity: () => ReleaseIndicator, ref: true })
  releaseIndicator!: Ref<ReleaseIndicator>;

  @Field(() => String, { description: 'The indicator’s code, e.g. `GEN-01`.' })
  @Property({ type: 'string', length: 30 })
  code!: string;

  @Field(() => IndicatorWeight, { description: 'Essential or scored.' })
  @Enum({ items: () => IndicatorWeight, type: 'string' })
  weight!: IndicatorWeight;

  @Field(() => Int, { description: 'Points when met (half when partially met); 0 for an essential indicator.' })
  @Property({ type: 'integer' })
  points!: number;

  @Field(() => Comparator, { nullable: true, description: 'For a quantitative indicator, how its reported value is checked; null for one judged by the assessor.' })
  @Enum({ items: () => Comparator, type: 'string', nullable: true })
  comparator?: Comparator | null;

  @Field(() => Float, { nullable: true, description: 'For a quantitative indicator, the threshold its reported value is checked against (e.g. 45 for “at least 45% women borrowers”).' })
  @Property({ type: 'double', nullable: true })
  threshold?: number | null;

  @Field(() => Int, { description: 'Order within the area: the release’s order.' })
  @Property({ type: 'integer' })
  position!: number;
}
