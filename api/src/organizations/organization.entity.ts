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
registerEnumType(OrganizationKind, {
  name: 'OrganizationKind',
  description: 'What kind of body an organization is.',
  valuesConfig: {
    NETWORK: { description: 'A network of microfinance institutions (REDCAMIF, RFR, COPEME).' },
    MFI: { description: 'A microfinance institution.' },
    DONOR: { description: 'A donor or investor.' },
    RATING_AGENCY: { description: 'A social rating agency or certification body.' },
    REGULATOR: { description: 'A regulator or supervisor.' },
    OTHER: { description: 'Any other body.' },
  },
});

@ObjectType({ description: 'A network, microfinance institution, donor, rating agency, regulator or other body.' })
@Entity({ tableName: 'organization' })
export class Organization {
  @Field(() => ID, { description: 'The organization’s id.' })
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Field(() => String, { description: 'Its full name.' })
  @Property({ type: 'string', length: 200 })
  name!: string;

  @Field(() => String, { nullable: true, description: 'Its short name (e.g. COPEME); null when it has none.' })
  @Property({ type: 'string', length: 30, nullable: true })
  acronym?: string | null;

  @Field(() => OrganizationKind, { description: 'What kind of body it is.' })
  @Enum({ items: () => OrganizationKind, type: 'string' })
  kind!: OrganizationKind;

  @Field(() => String, { description: 'ISO 3166-1 alpha-2 country code, e.g. PE, EC, NI.' })
  @Property({ type: 'string', length: 2 })
  country!: string;

  /** A certification body whose people may review assessments (never of their own institution). */
  @Field(() => Boolean, { description: 'Whether it is an accredited certification body: its people may be assigned to review assessments.' })
  @Property({ type: 'boolean' })
  accredited: boolean & Opt = false;

  @Field(() => Date, { description: 'When it was added to Consulta.' })
  @Property({ type: 'datetime' })
  createdAt: Date & Opt = new Date();
}
