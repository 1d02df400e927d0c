import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property, type Opt, type Ref } from '@mikro-orm/core';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { randomUUID } from 'node:crypto';
import { Framework } from '../frameworks/framework.entity.js';
import type { LocalizedText } from '../i18n/localized-text.js';

export enum RoundStatus {
  DRAFT = 'DRAFT',
  SCHEDULED = 'SCHEDULED',
  OPEN = 'OPEN',
  CLOSED = 'CLOSED',
  RESOLVED = 'RESOLVED',
}
registerEnumType(RoundStatus, {
  name: 'RoundStatus',
  description: 'Where a round stands; SCHEDULED, OPEN and CLOSED follow the server clock at the time of the request.',
  valuesConfig: {
    DRAFT: { description: 'Still being prepared by a facilitator: only facilitators see it, nobody may comment; scheduling or opening publishes it.' },
    SCHEDULED: { description: 'Before `opensAt`: visible, nobody may comment yet.' },
    OPEN: { description: 'Between `opensAt` and `closesAt`: comments, replies and ratings are taken.' },
    CLOSED: { description: 'After `closesAt`: read-only for stakeholders; facilitators give dispositions.' },
    RESOLVED: { description: 'Every comment has a disposition and a facilitator marked the round resolved.' },
  },
});

export enum PublicAuthors {
  NAME = 'NAME',
  ORGANIZATION = 'ORGANIZATION',
  HIDDEN = 'HIDDEN',
}
registerEnumType(PublicAuthors, {
  name: 'PublicAuthors',
  description: 'How the authors of a round’s comments appear to the public (signed out, and in public exports).',
  valuesConfig: {
    NAME: { description: 'The person’s name with their organization.' },
    ORGANIZATION: { description: 'Only their organization (and its country).' },
    HIDDEN: { description: 'Neither: the comment stands without an author.' },
  },
});

/**
 * A window in which pinned indicator versions are open for comment by an audience.
 * SCHEDULED / OPEN / CLOSED follow the server clock (see `roundStatus`); only DRAFT and RESOLVED are stored.
 */
@ObjectType({ description: 'A consultation round: chosen indicator versions open for comment between two times.' })
@Entity({ tableName: 'consultation_round' })
@Index({ properties: ['framework', 'opensAt'] })
export class ConsultationRound {
  @Field(() => ID, { description: 'The round’s id.' })
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne({ entity: () => Framework, ref: true })
  framework!: Ref<Framework>;

  @Property({ type: 'json' })
  title!: LocalizedText;

  @Property({ type: 'json' })
  instructions: LocalizedText & Opt = {};

  @Field(() => Date, { description: 'When comments start to be taken (an instant, UTC), by the server clock.' })
  @Property({ type: 'datetime' })
  opensAt!: Date;

  @Field(() => Date, { description: 'When comments stop being taken (an instant, UTC), by the server clock.' })
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

  @Field(() => Date, { nullable: true, description: 'When a facilitator marked it resolved; null until then.' })
  @Property({ type: 'datetime', nullable: true })
  resolvedAt?: Date | null;

  @Field(() => Date, { nullable: true, description: 'When the disposition summary was published to stakeholders.' })
  @Property({ type: 'datetime', nullable: true })
  publishedSummaryAt?: Date | null;

  @Field(() => Boolean, { description: 'Whether its comments (with their dispositions) are readable signed out once it closes.' })
  @Property({ type: 'boolean' })
  commentsPublic: boolean & Opt = false;

  @Field(() => PublicAuthors, { description: 'How the authors of its comments appear to the public.' })
  @Enum({ items: () => PublicAuthors, type: 'text' })
  publicAuthors: PublicAuthors & Opt = PublicAuthors.ORGANIZATION;

  /** Maintained counters (see round-counters.ts): top-level comments not withdrawn, and those without a disposition. */
  @Field(() => Int, { description: 'Top-level comments, not withdrawn.' })
  @Property({ type: 'integer' })
  commentCount: number & Opt = 0;

  @Field(() => Int, { description: 'Top-level comments (not withdrawn) still without a disposition.' })
  @Property({ type: 'integer' })
  undisposedCount: number & Opt = 0;

  @Field(() => Int, { description: 'Replies in the round’s threads, not withdrawn.' })
  @Property({ type: 'integer' })
  replyCount: number & Opt = 0;

  @Property({ type: 'uuid' })
  createdById!: string;

  @Field(() => Date, { description: 'When a facilitator created it.' })
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
