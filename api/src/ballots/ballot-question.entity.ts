import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property, Unique, type Opt, type Ref } from '@mikro-orm/core';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { randomUUID } from 'node:crypto';
import { AssessmentArea } from '../certification/assessment.entity.js';
import { Indicator, IndicatorVersion } from '../indicators/indicator.entity.js';
import { Ballot } from './ballot.entity.js';
import { BallotOutcome, type VoteCounts } from './ballot-rules.js';

/**
 * One revision put to the vote, or, in a committee ballot, an assessed area's seal (approve awards
 * it, reject refuses it); a check constraint keeps the two apart. The counters are maintained by a trigger on `ballot_vote` in the
 * vote's own transaction, so the tally costs one row read whatever the number of votes.
 * A revision sits in at most one undecided question (partial unique index in the migration).
 */
@ObjectType({ description: 'One revision put to the vote in a ballot, or an assessed area’s seal in a committee ballot.' })
@Entity({ tableName: 'ballot_question' })
@Unique({ properties: ['ballot', 'indicator'] })
@Index({ properties: ['ballot', 'position'] })
export class BallotQuestion {
  @Field(() => ID, { description: 'The question’s id; votes are cast on it.' })
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne({ entity: () => Ballot, ref: true, deleteRule: 'cascade' })
  ballot!: Ref<Ballot>;

  @ManyToOne({ entity: () => IndicatorVersion, ref: true, nullable: true })
  revision?: Ref<IndicatorVersion> | null;

  @ManyToOne({ entity: () => Indicator, ref: true, nullable: true })
  indicator?: Ref<Indicator> | null;

  /** The assessed area whose seal a committee ballot decides; null for a revision. */
  @ManyToOne({ entity: () => AssessmentArea, ref: true, nullable: true, index: true })
  assessmentArea?: Ref<AssessmentArea> | null;

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
