import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property, Unique, type Ref } from '@mikro-orm/core';
import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { randomUUID } from 'node:crypto';
import { Ballot } from './ballot.entity.js';
import { BallotQuestion } from './ballot-question.entity.js';
import { BallotVoter } from './ballot-voter.entity.js';

export enum VoteChoice {
  APPROVE = 'APPROVE',
  REJECT = 'REJECT',
  ABSTAIN = 'ABSTAIN',
}
registerEnumType(VoteChoice, {
  name: 'VoteChoice',
  description: 'A voter’s position on a question.',
  valuesConfig: {
    APPROVE: { description: 'In favour of the revision.' },
    REJECT: { description: 'Against; must carry a reason, as an IETF DISCUSS does.' },
    ABSTAIN: { description: 'Takes part (counts toward the quorum) without taking a side.' },
  },
});

/**
 * A voter's standing vote on a question. UNIQUE (question, voter): a second vote cannot exist,
 * a change overwrites the row (upsert); every cast and change is in the audit log.
 */
@ObjectType({ description: 'A voter’s current vote on a question.' })
@Entity({ tableName: 'ballot_vote' })
@Unique({ properties: ['question', 'voter'] })
@Index({ properties: ['ballot'] })
export class BallotVote {
  @Field(() => ID, { description: 'The vote’s id; it stays when the vote is changed.' })
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne({ entity: () => Ballot, ref: true, deleteRule: 'cascade' })
  ballot!: Ref<Ballot>;

  @ManyToOne({ entity: () => BallotQuestion, ref: true, deleteRule: 'cascade' })
  question!: Ref<BallotQuestion>;

  @ManyToOne({ entity: () => BallotVoter, ref: true, deleteRule: 'cascade' })
  voter!: Ref<BallotVoter>;

  @Field(() => VoteChoice, { description: 'The standing choice.' })
  @Enum({ items: () => VoteChoice, type: 'string' })
  choice!: VoteChoice;

  @Field(() => String, { nullable: true, description: 'What would have to change; always given with REJECT, optional otherwise.' })
  @Property({ type: 'text', nullable: true })
  reason?: string | null;

  /** The member who cast it (for an organization's vote, whichever of its members voted last). */
  @Property({ type: 'uuid' })
  castById!: string;

  @Field(() => String, { description: 'Who cast it, as named then.' })
  @Property({ type: 'string', length: 200 })
  castByName!: string;

  @Field(() => Date, { description: 'When this voter first voted on the question.' })
  @Property({ type: 'datetime' })
  castAt!: Date;

  @Field(() => Date, { description: 'When the vote was last cast or changed.' })
  @Property({ type: 'datetime' })
  updatedAt!: Date;
}
