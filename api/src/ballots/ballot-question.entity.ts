import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property, Unique, type Opt, type Ref } from '@mikro-orm/core';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { randomUUID } from 'node:crypto';
import { Indicator } from '../indicators/indicator.entity.js';
import { IndicatorVersion } from '../indicators/indicator-version.entity.js';
import { Ballot } from './ballot.entity.js';
import { BallotOutcome, type VoteCounts } from './ballot-rules.js';

/**
 * One revision put to the vote. The counters are maintained by a trigger on `ballot_vote` in the
 * vote's own transaction, so the tally costs one row read whatever the number of votes.
 * A revision sits in at most one undecided question (partial unique index in the migration).
 */
@ObjectType({ description: 'One revision put to the vote in a ballot.' })
@Entity({ tableName: 'ballot_question' })
@Unique({ properties: ['ballot', 'indicator'] })
@Index({ properties: ['ballot', 'position'] })
export class BallotQuestion {
  @Field(() => ID, { description: 'The question’s id; votes are cast on it.' })
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne({ entity: () => Ballot, ref: true, deleteRule: 'cascade' })
  ballot!: Ref<Ballot>;

  @ManyToOne({ entity: () => IndicatorVersion, ref: true })
  revision!: Ref<IndicatorVersion>;

  @ManyToOne({ entity: () => Indicator, ref: true })
  indicator!: Ref<Indicator>;

  @Field(() => Int, { description: 'Its place in the ballot, from 0.' })
  @Property({ type: 'integer' })
  position!: number;

  @Property({ type: 'integer' })
  approveCount: number & Opt = 0;

  @Property({ type: 'integer' })
  rejectCount: number & Opt = 0;

  @Property({ type: 'integer' })
  abstainCount: number & Opt = 0;

  @Field(() => BallotOutcome, { nullable: true, description: 'How it was decided; null until the ballot closes.' })
  @Enum({ items: () => BallotOutcome, type: 'string', nullable: true })
  outcome?: BallotOutcome | null;

  @Field(() => Date, { nullable: true, description: 'When it was decided; null until the ballot closes.' })
  @Property({ type: 'datetime', nullable: true })
  decidedAt?: Date | null;

  get counts(): VoteCounts & Opt {
    return { approve: this.approveCount, reject: this.rejectCount, abstain: this.abstainCount };
  }
}
