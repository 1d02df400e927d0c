import { Entity, Enum, ManyToOne, PrimaryKey, Property, type Opt, type Ref } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Organization, OrganizationKind } from '../organizations/organization.entity.js';
import { User } from '../users/user.entity.js';

export enum OrganizationRequestStatus {
  PENDING = 'PENDING',
  APPROVED = 'APPROVED',
  REFUSED = 'REFUSED',
}
registerEnumType(OrganizationRequestStatus, {
  name: 'OrganizationRequestStatus',
  description: 'Where a request for a new organization stands.',
  valuesConfig: {
    PENDING: { description: 'Waiting for a facilitator.' },
    APPROVED: { description: 'The person joined the organization (created for a new one).' },
    REFUSED: { description: 'Refused: the person stays an individual.' },
  },
});

/**
 * A person who signed up for an organization: one Consulta does not know yet, or a known one they say they
 * speak for (a join request, `organization` set from the start). A facilitator approves or refuses it.
 */
@ObjectType({ description: 'A request, made at sign-up, to speak for an organization: a new one, or a known one to join.' })
@Entity({ tableName: 'organization_request' })
export class OrganizationRequest {
  @Field(() => ID, { description: 'The request.' })
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Field(() => String, { description: 'The organization’s name, as the person wrote it.' })
  @Property({ type: 'string', length: 200 })
  name!: string;

  @Field(() => String, { description: 'Its country (ISO 3166-1 alpha-2).' })
  @Property({ type: 'string', length: 2 })
  country!: string;

  @Field(() => OrganizationKind, { description: 'What kind of body it is.' })
  @Enum({ items: () => OrganizationKind, type: 'string' })
  kind!: OrganizationKind;

  @ManyToOne({ entity: () => User, ref: true, deleteRule: 'cascade' })
  requestedBy!: Ref<User>;

  @Field(() => OrganizationRequestStatus, { description: 'Where it stands.' })
  @Enum({ items: () => OrganizationRequestStatus, type: 'string' })
  status: OrganizationRequestStatus & Opt = OrganizationRequestStatus.PENDING;

  @ManyToOne({ entity: () => Organization, ref: true, nullable: true, deleteRule: 'set null' })
  organization?: Ref<Organization> | null;

  @Property({ type: 'uuid', nullable: true, fieldName: 'decided_by_id' })
  decidedBy?: string | null;

  @Field(() => Date, { nullable: true, description: 'When a facilitator decided it.' })
  @Property({ type: 'datetime', nullable: true })
  decidedAt?: Date | null;

  @Field(() => Date, { description: 'When it was made.' })
  @Property({ type: 'datetime' })
  createdAt: Date & Opt = new Date();
}
