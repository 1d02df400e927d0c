import { Entity, Enum, Index, PrimaryKey, Property, type Opt } from '@mikro-orm/core';
import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { IsInt, Min } from 'class-validator';
import { randomUUID } from 'node:crypto';
import type { LocalizedText } from '../i18n/localized-text.js';
import { PassingRule, type Share } from './ballot-rules.js';

export enum BallotEligibility {
  /** Every person with the MEMBER role when the ballot opens, one vote each. */
  MEMBERS = 'MEMBERS',
  /** The chosen organizations, one vote each, cast by any of their members (the latest stands). */
  ORGANIZATIONS = 'ORGANIZATIONS',
}
registerEnumType(BallotEligibility, {
  name: 'BallotEligibility',
  valuesConfig: {
    MEMBERS: { description: 'Every working-group member when the ballot opens, one vote each.' },
    ORGANIZATIONS: { description: 'The chosen organizations, one vote each; any member of one casts or replaces its vote.' },
  },
});

export enum BallotSecrecy {
  /** Members see only their own vote until the close; facilitators see the tally. */
  SECRET_UNTIL_CLOSE = 'SECRET_UNTIL_CLOSE',
  /** Everyone sees the tally and each vote while the ballot is open. */
  OPEN = 'OPEN',
}
registerEnumType(BallotSecrecy, { name: 'BallotSecrecy' });

export enum BallotStatus {
  /** Created, terms still editable; members do not see it. */
  DRAFT = 'DRAFT',
  /** Opened by a facilitator (terms frozen) before `opensAt`. */
  SCHEDULED = 'SCHEDULED',
  OPEN = 'OPEN',
  /** Decided; nothing changes any more. */
  CLOSED = 'CLOSED',
}
registerEnumType(BallotStatus, { name: 'BallotStatus' });

@ObjectType('Share', { description: 'An exact fraction, e.g. 2/3.' })
export class ShareValue implements Share {
  @Field(() => Int) numerator!: number;
  @Field(() => Int) denominator!: number;
}

@InputType({ description: 'An exact fraction between 0 and 1, e.g. { numerator: 2, denominator: 3 }.' })
export class ShareInput implements Share {
  @Field(() => Int) @IsInt() @Min(0) numerator!: number;
  @Field(() => Int) @IsInt() @Min(1) denominator!: number;
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
  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'json' })
  title!: LocalizedText;

  @Field(() => BallotEligibility)
  @Enum({ items: () => BallotEligibility, type: 'string' })
  eligibility!: BallotEligibility;

  /** The chosen organizations when `eligibility` is ORGANIZATIONS. */
  @Property({ type: 'uuid[]' })
  organizationIds: string[] & Opt = [];

  @Field(() => Date)
  @Property({ type: 'datetime' })
  opensAt!: Date;

  @Field(() => Date)
  @Property({ type: 'datetime' })
  closesAt!: Date;

  @Property({ type: 'integer' })
  quorumNumerator!: number;

  @Property({ type: 'integer' })
  quorumDenominator!: number;

  @Field(() => PassingRule)
  @Enum({ items: () => PassingRule, type: 'string' })
  rule!: PassingRule;

  /** The share QUALIFIED_MAJORITY asks for; unused by the other rules. */
  @Property({ type: 'integer' })
  shareNumerator: number & Opt = 2;

  @Property({ type: 'integer' })
  shareDenominator: number & Opt = 3;

  @Field(() => BallotSecrecy)
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

  @Field(() => Date)
  @Property({ type: 'datetime' })
  createdAt: Date & Opt = new Date();

  get quorum(): Share & Opt {
    return { numerator: this.quorumNumerator, denominator: this.quorumDenominator };
  }

  get share(): Share & Opt {
    return { numerator: this.shareNumerator, denominator: this.shareDenominator };
  }
}

/** The status at `now` by the server clock. A ballot past `closesAt` is CLOSED even before it is decided (lazily, on access). */
export function ballotStatus(ballot: Pick<Ballot, 'closedAt' | 'frozenAt' | 'opensAt' | 'closesAt'>, now = new Date()): BallotStatus {
  if (ballot.closedAt) return BallotStatus.CLOSED;
  if (!ballot.frozenAt) return BallotStatus.DRAFT;
  if (now < ballot.opensAt) return BallotStatus.SCHEDULED;
  if (now < ballot.closesAt) return BallotStatus.OPEN;
  return BallotStatus.CLOSED;
}
