import { Entity, Enum, Index, ManyToOne, OneToOne, PrimaryKey, Property, type Opt, type Ref } from '@mikro-orm/core';
import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { randomUUID } from 'node:crypto';
import { Comment } from '../comments/comment.entity.js';
import { ConsultationRound } from '../rounds/round.entity.js';

/**
 * Comments of a round whose text is near-identical (a campaign, a copied letter): handled
 * together, each kept with its own author. Formed automatically; a facilitator confirms it.
 */
@ObjectType({ description: 'Comments of a round with near-identical text, handled together; each keeps its author.' })
@Entity({ tableName: 'near_duplicate_group' })
@Index({ properties: ['round', 'createdAt'] })
export class NearDuplicateGroup {
  @Field(() => ID, { description: 'The group’s id.' })
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne({ entity: () => ConsultationRound, ref: true })
  round!: Ref<ConsultationRound>;

  /** The earliest comment of the group, shown for all of them. */
  @ManyToOne({ entity: () => Comment, ref: true })
  representative!: Ref<Comment>;

  @Field(() => Date, { nullable: true, description: 'When a facilitator confirmed it; null while only suggested.' })
  @Property({ type: 'datetime', nullable: true })
  confirmedAt?: Date | null;

  @Property({ type: 'uuid', nullable: true })
  confirmedById?: string | null;

  @Field(() => Date, { description: 'When the similarity search formed it.' })
  @Property({ type: 'datetime' })
  createdAt: Date & Opt = new Date();
}

/**
 * What the `NearDuplicateGroup` type resolves from: the entity, or the same columns read as a plain
 * row (a page of comments shows each one's group), with its size when it was counted in the same read.
 */
export type NearDuplicateGroupRecord = Omit<NearDuplicateGroup, 'round' | 'representative'> & { round: { id: string }; representative: { id: string }; size?: number };

export enum MembershipState {
  SUGGESTED = 'SUGGESTED',
  CONFIRMED = 'CONFIRMED',
  REMOVED = 'REMOVED',
}
registerEnumType(MembershipState, {
  name: 'NearDuplicateMembershipState',
  description: 'How a comment stands in its near-duplicate group.',
  valuesConfig: {
    SUGGESTED: { description: 'Put in the group by the similarity search.' },
    CONFIRMED: { description: 'In a group a facilitator confirmed.' },
    REMOVED: { description: 'Taken out by a facilitator: kept so that regrouping never puts it back.' },
  },
});

/** A comment's place in a group; a comment is in one group at most. */
@ObjectType({ description: 'A comment’s place in a near-duplicate group.' })
@Entity({ tableName: 'near_duplicate_member' })
@Index({ properties: ['group', 'state'] })
export class NearDuplicateMember {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @OneToOne({ entity: () => Comment, ref: true, owner: true, unique: true, deleteRule: 'cascade' })
  comment!: Ref<Comment>;

  @ManyToOne({ entity: () => NearDuplicateGroup, ref: true, deleteRule: 'cascade' })
  group!: Ref<NearDuplicateGroup>;

  @Field(() => MembershipState, { description: 'Suggested, confirmed or taken out.' })
  @Enum({ items: () => MembershipState, type: 'string' })
  state!: MembershipState;

  /** Trigram similarity (0–1) to the comment it was matched with; 1 for the group's first comment. */
  @Field(() => Number, { description: 'Trigram similarity (0–1) to the comment it was matched with.' })
  @Property({ type: 'double' })
  similarity!: number;

  @Property({ type: 'datetime' })
  createdAt: Date & Opt = new Date();
}
