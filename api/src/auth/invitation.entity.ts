import { Entity, Enum, ManyToOne, PrimaryKey, Property, type Opt, type Ref } from '@mikro-orm/core';
import { Field, ID, ObjectType } from 'type-graphql';
import { randomUUID } from 'node:crypto';
import { Organization } from '../organizations/organization.entity.js';
import { Locale, Role, User } from '../users/user.entity.js';

/** A single-use, expiring link that lets a person set a password and join. */
@ObjectType()
@Entity({ tableName: 'invitation' })
export class Invitation {
  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'string', length: 64, unique: true, hidden: true })
  tokenHash!: string;

  @Field(() => String)
  @Property({ type: 'string', length: 320 })
  email!: string;

  @Field(() => String)
  @Property({ type: 'string', length: 200 })
  name!: string;

  @ManyToOne({ entity: () => Organization, ref: true, nullable: true })
  organization?: Ref<Organization> | null;

  @Field(() => [Role])
  @Enum({ items: () => Role, array: true, type: 'string[]' })
  roles!: Role[];

  @Field(() => Locale)
  @Enum({ items: () => Locale, type: 'string' })
  language!: Locale;

  /** Null for the first admin's invitation, which the instance itself makes (auth/first-admin.ts). */
  @ManyToOne({ entity: () => User, ref: true, nullable: true })
  invitedBy?: Ref<User> | null;

  @Field(() => Date)
  @Property({ type: 'datetime' })
  createdAt: Date & Opt = new Date();

  @Field(() => Date)
  @Property({ type: 'datetime' })
  expiresAt!: Date;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'datetime', nullable: true })
  acceptedAt?: Date | null;
}
