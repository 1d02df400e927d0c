import { Entity, Index, ManyToOne, PrimaryKey, Property, type Opt, type Ref } from '@mikro-orm/core';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { randomUUID } from 'node:crypto';
import { Framework } from '../frameworks/framework.entity.js';
import type { LocalizedText } from '../i18n/localized-text.js';

export enum RoundStatus {
  /** Still being prepared by a facilitator: only facilitators see it, nobody may comment; scheduling or opening publishes it. */
  DRAFT = 'DRAFT',
  /** Before `opensAt`: visible, nobody may comment yet. */
  SCHEDULED = 'SCHEDULED',
  /** Between `opensAt` and `closesAt`: comments, replies and ratings are taken. */
  OPEN = 'OPEN',
  /** After `closesAt`: read-only for stakeholders; facilitators give dispositions. */
  CLOSED = 'CLOSED',
  /** Every comment has a disposition and a facilitator marked the round resolved. */
  RESOLVED = 'RESOLVED',
}
registerEnumType(RoundStatus, { name: 'RoundStatus' });

/**
 * A window in which pinned indicator versions are open for comment by an audience.
 * SCHEDULED / OPEN / CLOSED follow the server clock (see `roundStatus`); only DRAFT and RESOLVED are stored.
 */
@ObjectType({ description: 'A consultation round: chosen indicator versions open for comment between two times.' })
@Entity({ tableName: 'consultation_round' })
@Index({ properties: ['framework', 'opensAt'] })
export class ConsultationRound {
  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne({ entity: () => Framework, ref: true })
  framework!: Ref<Framework>;

  @Property({ type: 'json' })
  title!: LocalizedText;

  @Property({ type: 'json' })
  instructions: LocalizedText & Opt = {};

  @Field(() => Date)
  @Property({ type: 'datetime' })
  opensAt!: Date;

  @Field(() => Date)
  @Property({ type: 'datetime' })
  closesAt!: Date;

  /** Being prepared: seen by facilitators only, editable, not open for comment (see `roundStatus`). */
  @Property({ type: 'boolean' })
  draft: boolean & Opt = false;

  /** True: every stakeholder; false: only the listed organizations and countries (or the working group). */
  @Property({ type: 'boolean' })
  audienceAll: boolean & Opt = true;

  @Property({ type: 'uuid[]' })
  audienceOrganizationIds: string[] & Opt = [];

  /** Only the working group: people holding the member role (and facilitators, who run every round). */
  @Property({ type: 'boolean' })
  audienceWorkingGroup: boolean & Opt = false;

  /** ISO 3166-1 alpha-2 codes. */
  @Property({ type: 'text[]' })
  audienceCountries: string[] & Opt = [];

  @Field(() => Boolean, { description: 'Whether respondents rate each essential practice (USSPM rounds).' })
  @Property({ type: 'boolean' })
  ratingsEnabled: boolean & Opt = false;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'datetime', nullable: true })
  resolvedAt?: Date | null;

  @Field(() => Date, { nullable: true, description: 'When the disposition summary was published to stakeholders.' })
  @Property({ type: 'datetime', nullable: true })
  publishedSummaryAt?: Date | null;

  /** Maintained counters (see round-counters.ts): top-level comments not withdrawn, and those without a disposition. */
  @Field(() => Int)
  @Property({ type: 'integer' })
  commentCount: number & Opt = 0;

  @Field(() => Int, { description: 'Top-level comments (not withdrawn) still without a disposition.' })
  @Property({ type: 'integer' })
  undisposedCount: number & Opt = 0;

  @Field(() => Int)
  @Property({ type: 'integer' })
  replyCount: number & Opt = 0;

  @Property({ type: 'uuid' })
  createdById!: string;

  @Field(() => Date)
  @Property({ type: 'datetime' })
  createdAt: Date & Opt = new Date();
}

/** The status at `now`, from the server clock: never a timer. */
export function roundStatus(round: ConsultationRound, now = new Date()): RoundStatus {
  if (round.draft) return RoundStatus.DRAFT;
  if (round.resolvedAt) return RoundStatus.RESOLVED;
  if (now < round.opensAt) return RoundStatus.SCHEDULED;
  if (now < round.closesAt) return RoundStatus.OPEN;
  return RoundStatus.CLOSED;
}
