import { Entity, Enum, ManyToOne, PrimaryKey, Property, type Opt, type Ref } from '@mikro-orm/core';
import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { randomUUID } from 'node:crypto';
import { Organization } from '../organizations/organization.entity.js';

export enum Role {
  STAKEHOLDER = 'STAKEHOLDER',
  MEMBER = 'MEMBER',
  FACILITATOR = 'FACILITATOR',
  ADMIN = 'ADMIN',
  CERTIFICATION_COMMITTEE = 'CERTIFICATION_COMMITTEE',
}
registerEnumType(Role, {
  name: 'Role',
  description: 'What a person may do; a person holds one or more.',
  valuesConfig: {
    STAKEHOLDER: { description: 'May read drafts, comment and rate practices.' },
    MEMBER: { description: 'A working-group member: a stakeholder who may also vote.' },
    FACILITATOR: { description: 'Runs consultations: drafts, rounds, invitations, dispositions, ballots, exports.' },
    ADMIN: { description: 'Manages organizations, people and roles.' },
    CERTIFICATION_COMMITTEE: { description: 'Sits on the certification committee: decides per area whether an assessed institution earns the seal, and suspends, withdraws or reinstates seals.' },
  },
});

export enum Locale {
  ES = 'es',
  EN = 'en',
  PT = 'pt',
  FR = 'fr',
}
registerEnumType(Locale, {
  name: 'Locale',
  description: 'A language Consulta speaks.',
  valuesConfig: {
    ES: { description: 'Spanish, the working language.' },
    EN: { description: 'English.' },
    PT: { description: 'Portuguese (Brazil).' },
    FR: { description: 'French.' },
  },
});

@ObjectType({ description: 'A person with an account.' })
@Entity({ tableName: 'app_user' })
export class User {
  @Field(() => ID, { description: 'The person’s id.' })
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Field(() => String, { description: 'The name shown with their comments and votes.' })
  @Property({ type: 'string', length: 200 })
  name!: string;

  /** Stored lower-cased; unique. Exposed only to the person and to facilitators (see resolver). */
  @Property({ type: 'string', length: 320, unique: true })
  email!: string;

  @Property({ type: 'string', length: 200, nullable: true, hidden: true, lazy: true })
  passwordHash?: string | null;

  @ManyToOne({ entity: () => Organization, ref: true, nullable: true })
  organization?: Ref<Organization> | null;

  @Field(() => [Role], { description: 'What they may do.' })
  @Enum({ items: () => Role, array: true, type: 'string[]' })
  roles: Role[] = [Role.STAKEHOLDER];

  @Field(() => Locale, { description: 'The language they read Consulta in.' })
  @Enum({ items: () => Locale, type: 'string' })
  language: Locale & Opt = Locale.ES;

  /** False while suspended (accounts/suspension.service.ts): no session opens, none stays open. */
  @Property({ type: 'boolean' })
  active: boolean & Opt = true;

  /** ISO 3166-1 alpha-2, given at sign-up; null for accounts made by invitation. */
  @Field(() => String, { nullable: true, description: 'The country they said they are in at sign-up (ISO 3166-1 alpha-2); null when not given.' })
  @Property({ type: 'string', length: 2, nullable: true })
  country?: string | null;

  /** Null until a self-registered person follows their confirmation link; accounts made any other way (an invitation) are confirmed. */
  @Property({ type: 'datetime', nullable: true })
  emailConfirmedAt: (Date | null) & Opt = new Date();

  @Property({ type: 'datetime', nullable: true })
  suspendedAt?: Date | null;

  @Property({ type: 'uuid', nullable: true })
  suspendedBy?: string | null;

  @Property({ type: 'text', nullable: true })
  suspensionReason?: string | null;

  @Field(() => Date, { description: 'When the account was created.' })
  @Property({ type: 'datetime' })
  createdAt: Date & Opt = new Date();
}
