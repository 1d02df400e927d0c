import { Entity, Enum, ManyToOne, PrimaryKey, Property, type Opt, type Ref } from '@mikro-orm/core';
import { Field, ID, ObjectType } from 'type-graphql';
import { randomUUID } from 'node:crypto';
import { Organization } from '../organizations/organization.entity.js';
import { Locale, Role, User } from '../users/user.entity.js';

/** A single-use, expiring link that lets a person set a password and join. */
@ObjectType({ description: 'A single-use, expiring link that lets a person set a password and join.' })
@Entity({ tableName: 'invitation' })
export class Invitation {
  @Field(() => ID, { description: 'The invitation’s id (not its token, which only the link holds).' })
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'string', length: 64, unique: true, hidden: true })
  tokenHash!: string;

  @Field(() => String, { description: 'The invited address.' })
  @Property({ type: 'string', length: 320 })
  email!: string;

  @Field(() => String, { description: 'The name the invitation gives.' })
  @Property({ type: 'string', length: 200 })
  name!: string;

  @ManyToOne({ entity: () => Organization, ref: true, nullable: true })
  organization?: Ref<Organization> | null;

  @Field(() => [Role], { description: 'The roles the person gets on joining.' })
  @Enum({ items: () => Role, array: true, type: 'string[]' })
  roles!: Role[];

  @Field(() => Locale, { description: 'The language of the e-mail and of the new account.' })
  @Enum({ items: () => Locale, type: 'string' })
  language!: Locale;

  /** Null for the first admin's invitation, which the instance itself makes (auth/first-admin.ts). */
  @ManyToOne({ entity: () => User, ref: true, nullable: true })
  invitedBy?: Ref<User> | null;

  @Field(() => Date, { description: 'When it was made.' })
  @Property({ type: 'datetime' })
  createdAt: Date & Opt = new Date();

  @Field(() => Date, { description: 'When the link stops working.' })
  @Property({ type: 'datetime' })
  expiresAt!: Date;

  @Field(() => Date, { nullable: true, description: 'When the person accepted it; null while pending.' })
  @Property({ type: 'datetime', nullable: true })
  acceptedAt?: Date | null;
}
