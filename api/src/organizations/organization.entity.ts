import { Entity, Enum, PrimaryKey, Property, type Opt } from '@mikro-orm/core';
import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { randomUUID } from 'node:crypto';

export enum OrganizationKind {
  NETWORK = 'NETWORK',
  MFI = 'MFI',
  DONOR = 'DONOR',
  RATING_AGENCY = 'RATING_AGENCY',
  REGULATOR = 'REGULATOR',
  OTHER = 'OTHER',
}
registerEnumType(OrganizationKind, { name: 'OrganizationKind', description: 'What kind of body an organization is.' });

@ObjectType({ description: 'A network, microfinance institution, donor, rating agency, regulator or other body.' })
@Entity({ tableName: 'organization' })
export class Organization {
  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Field(() => String)
  @Property({ type: 'string', length: 200 })
  name!: string;

  @Field(() => String, { nullable: true })
  @Property({ type: 'string', length: 30, nullable: true })
  acronym?: string | null;

  @Field(() => OrganizationKind)
  @Enum({ items: () => OrganizationKind, type: 'string' })
  kind!: OrganizationKind;

  @Field(() => String, { description: 'ISO 3166-1 alpha-2 country code, e.g. PE, EC, NI.' })
  @Property({ type: 'string', length: 2 })
  country!: string;

  @Field(() => Date)
  @Property({ type: 'datetime' })
  createdAt: Date & Opt = new Date();
}
