import { Entity, Enum, ManyToOne, PrimaryKey, Property, type Opt, type Ref } from '@mikro-orm/core';
import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { randomUUID } from 'node:crypto';
import { Organization } from '../organizations/organization.entity.js';

export enum Role {
  /** May read drafts, comment and rate practices. */
  STAKEHOLDER = 'STAKEHOLDER',
  /** A working-group member: a stakeholder who may also vote. */
  MEMBER = 'MEMBER',
  /** Runs consultations: drafts, rounds, invitations, dispositions, ballots, exports. */
  FACILITATOR = 'FACILITATOR',
  /** Manages organizations, people and roles. */
  ADMIN = 'ADMIN',
}
registerEnumType(Role, { name: 'Role' });

export enum Locale {
  ES = 'es',
  EN = 'en',
  PT = 'pt',
  FR = 'fr',
}
registerEnumType(Locale, { name: 'Locale', description: 'A language Consulta speaks.' });

@ObjectType({ description: 'A person with an account.' })
@Entity({ tableName: 'app_user' })
export class User {
  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Field(() => String)
  @Property({ type: 'string', length: 200 })
  name!: string;

  /** Stored lower-cased; unique. Exposed only to the person and to facilitators (see resolver). */
  @Property({ type: 'string', length: 320, unique: true })
  email!: string;

  @Property({ type: 'string', length: 200, nullable: true, hidden: true, lazy: true })
  passwordHash?: string | null;

  @ManyToOne({ entity: () => Organization, ref: true, nullable: true })
  organization?: Ref<Organization> | null;

  @Field(() => [Role])
  @Enum({ items: () => Role, array: true, type: 'string[]' })
  roles: Role[] = [Role.STAKEHOLDER];

  @Field(() => Locale)
  @Enum({ items: () => Locale, type: 'string' })
  language: Locale & Opt = Locale.ES;

  @Property({ type: 'boolean' })
  active: boolean & Opt = true;

  @Field(() => Date)
  @Property({ type: 'datetime' })
  createdAt: Date & Opt = new Date();
}
