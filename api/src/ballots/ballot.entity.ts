import { Entity, Enum, Index, PrimaryKey, Property, type Opt } from '@mikro-orm/core';
import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { IsInt, Min } from 'class-validator';
import { randomUUID } from 'node:crypto';
import type { LocalizedText } from '../i18n/localized-text.js';
import { PassingRule, type Share } from './ballot-rules.js';

export enum BallotEligibility {
  MEMBERS = 'MEMBERS',
  ORGANIZATIONS = 'ORGANIZATIONS',
  COMMITTEE = 'COMMITTEE',
}
registerEnumType(BallotEligibility, {
  name: 'BallotEligibility',
  description: 'Who votes in a ballot; the voters are frozen when it opens.',
  valuesConfig: {
    MEMBERS: { description: 'Every working-group member when the ballot opens, one vote each.' },
    ORGANIZATIONS: { description: 'The chosen organizations, one vote each; any member of one casts or replaces its vote.' },
    COMMITTEE: { description: 'The certification committee on an assessed area, one vote each, without the assessed institution’s people and its reviewers; seen only by the committee and facilitators.' },
  },
});

export enum BallotSecrecy {
  SECRET_UNTIL_CLOSE = 'SECRET_UNTIL_CLOSE',
  OPEN = 'OPEN',
}
registerEnumType(BallotSecrecy, {
  name: 'BallotSecrecy',
  description: 'Who sees the tally and the votes while a ballot is open; after the close everyone who may see the ballot sees them.',
  valuesConfig: {
    SECRET_UNTIL_CLOSE: { description: 'Members see only their own vote until the close; facilitators see the tally.' },
    OPEN: { description: 'Everyone sees the tally and each vote while the ballot is open.' },
  },
});

export enum BallotStatus {
  DRAFT = 'DRAFT',
  SCHEDULED = 'SCHEDULED',
  OPEN = 'OPEN',
  CLOSED = 'CLOSED',
}
registerEnumType(BallotStatus, {
  name: 'BallotStatus',
  description: 'Where a ballot stands, by the server clock at the time of the request.',
  valuesConfig: {
    DRAFT: { description: 'Created, terms still editable; only facilitators see it.' },
    SCHEDULED: { description: 'Opened by a facilitator (terms frozen), before `opensAt`.' },
    OPEN: { description: 'Between `opensAt` and `closesAt`: eligible voters may cast and change votes.' },
    CLOSED: { description: 'Decided (at `closesAt` or earlier by a facilitator); nothing changes any more.' },
  },
});

@ObjectType('Share', { description: 'An exact fraction, e.g. 2/3.' })
export class ShareValue implements Share {
  @Field(() => Int, { description: 'The top of the fraction (2 in 2/3).' }) numerator!: number;
  @Field(() => Int, { description: 'The bottom of the fraction (3 in 2/3); always positive.' }) denominator!: number;
}

@InputType({ description: 'An exact fraction between 0 and 1, e.g. { numerator: 2, denominator: 3 }.' })
export class ShareInput implements Share {
  @Field(() => Int, { description: 'The top of the fraction, 0 to `denominator`.' }) @IsInt() @Min(0) numerator!: number;
  @Field(() => Int, { description: 'The bottom of the fraction, at least 1.' }) @IsInt() @Min(1) denominator!: number;
}

/**
 * A vote of the working group on one or more revisions (one question each). The quorum, the
 * rule and the eligible voters are frozen when a facilitator opens it (`frozenAt`); voting runs
 * from `opensAt` to `closesAt` by the server clock; `closedAt` is set when it is decided.
 */
@ObjectType({ description: 'A vote of the working group on one or more revisions, one question each.' })
@Entity({ tableName: 'ballot' })
@Index({ properties: ['closedAt', 'closesAt'] })
export class Ballot {
  @Field(() => ID, { description: 'The ballot’s stable id (a UUID).' })
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'json' })
  title!: LocalizedText;

  @Field(() => BallotEligibility, { description: 'Who votes: each member, or each chosen organization.' })
  @Enum({ items: () => BallotEligibility, type: 'string' })
  eligibility!: BallotEligibility;

  /** The chosen organizations when `eligibility` is ORGANIZATIONS. */
  @Property({ type: 'uuid[]' })
  organizationIds: string[] & Opt = [];

  @Field(() => Date, { description: 'When voting starts (an instant, UTC), by the server clock.' })
  @Property({ type: 'datetime' })
  opensAt!: Date;

  @Field(() => Date, { description: 'When voting ends and the questions are decided (an instant, UTC), by the server clock.' })
  @Property({ type: 'datetime' })
  closesAt!: Date;

  @Property({ type: 'integer' })
  quorumNumerator!: number;

  @Property({ type: 'integer' })
  quorumDenominator!: number;

  @Field(() => PassingRule, { description: 'How each question passes, once the quorum is reached.' })
  @Enum({ items: () => PassingRule, type: 'string' })
  rule!: PassingRule;

  /** The share QUALIFIED_MAJORITY asks for; unused by the other rules. */
  @Property({ type: 'integer' })
  shareNumerator: number & Opt = 2;

  @Property({ type: 'integer' })
  shareDenominator: number & Opt = 3;

  @Field(() => BallotSecrecy, { description: 'Who sees the tally and the votes before the close.' })
  @Enum({ items: () => BallotSecrecy, type: 'string' })
  secrecy!: BallotSecrecy;

  @Field(() => Date, { nullable: true, description: 'When a facilitator opened it: from then on its terms and voters are fixed.' })
  @Property({ type: 'datetime', nullable: true })
  frozenAt?: Date | null;

  @Field(() => Int, { nullable: true, description: 'Eligible voters, counted when the ballot was opened.' })
  @Property({ type: 'integer', nullable: true })
  eligibleCount?: number | null;

  @Field(() => Date, { nullable: true, description: 'When it was decided (at `closesAt`, or earlier by a facilitator).' })
  @Property({ type: 'datetime', nullable: true })
  closedAt?: Date | null;

  /** Null when the clock closed it. */
  @Property({ type: 'uuid', nullable: true })
  closedById?: string | null;

  @Property({ type: 'uuid' })
  createdById!: string;

  @Field(() => Date, { description: 'When the draft was created.' })
  @Property({ type: 'datetime' })
  createdAt: Date & Opt = new Date();

  get quorum(): Share & Opt {
    return { numerator: this.quorumNumerator, denominator: this.quorumDenominator };
  }

  get share(): Share & Opt {
    return { numerator: this.shareNumerator, denominator: this.shareDenominator };
  }
}

/**
 * `ballotStatus(ballot, now) === OPEN` as SQL, for a statement that decides in the database
 * (castVote): `b` is the alias holding the ballot's columns, `now` the SQL of the instant (used
 * twice). Beside `ballotStatus` so the two change together; ballot-status-sql.test.ts checks they
 * agree at every boundary.
 */
export const ballotOpenSql = (b: string, now: string) => `${b}.closed_at is null and ${b}.frozen_at is not null and ${b}.opens_at <= ${now} and ${now} < ${b}.closes_at`;

/** The status at `now` by the server clock. A ballot past `closesAt` is CLOSED even before it is decided (lazily, on access). */
export function ballotStatus(ballot: Pick<Ballot, 'closedAt' | 'frozenAt' | 'opensAt' | 'closesAt'>, now = new Date()): BallotStatus {
  if (ballot.closedAt) return BallotStatus.CLOSED;
  if (!ballot.frozenAt) return BallotStatus.DRAFT;
  if (now < ballot.opensAt) return BallotStatus.SCHEDULED;
  if (now < ballot.closesAt) return BallotStatus.OPEN;
  return BallotStatus.CLOSED;
}
