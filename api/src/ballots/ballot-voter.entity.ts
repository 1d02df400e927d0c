import { Entity, ManyToOne, PrimaryKey, Property, Unique, type Ref } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import { Ballot } from './ballot.entity.js';

/**
 * One eligible voter, snapshotted when the ballot opens: a member (MEMBERS ballots) or an
 * organization (ORGANIZATIONS ballots). The quorum counts these rows, so later changes of
 * roles or memberships do not move it.
 */
@Entity({ tableName: 'ballot_voter' })
@Unique({ properties: ['ballot', 'userId'] })
@Unique({ properties: ['ballot', 'organizationId'] })
export class BallotVoter {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne({ entity: () => Ballot, ref: true, deleteRule: 'cascade' })
  ballot!: Ref<Ballot>;

  @Property({ type: 'uuid', nullable: true })
  userId?: string | null;

  @Property({ type: 'uuid', nullable: true })
  organizationId?: string | null;

  /** The person's or organization's name when the ballot opened. */
  @Property({ type: 'string', length: 200 })
  name!: string;
}
