import { Entity, Enum, ManyToOne, PrimaryKey, Property, type Opt, type Ref } from '@mikro-orm/core';
import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { randomUUID } from 'node:crypto';
import { Organization } from '../organizations/organization.entity.js';
import { AssessmentArea } from './assessment.entity.js';
import { SchemeArea } from './scheme.entity.js';

/** What the committee decided about a seal after awarding it; the clock decides the rest (sealStatus). */
export enum SealStanding {
  CURRENT = 'CURRENT',
  SUSPENDED = 'SUSPENDED',
  WITHDRAWN = 'WITHDRAWN',
}

export enum SealStatus {
  ACTIVE = 'ACTIVE',
  UNDER_SURVEILLANCE = 'UNDER_SURVEILLANCE',
  SUSPENDED = 'SUSPENDED',
  EXPIRED = 'EXPIRED',
  WITHDRAWN = 'WITHDRAWN',
}
registerEnumType(SealStatus, {
  name: 'SealStatus',
  description: 'Where a seal stands today, by the committee’s decisions and the server’s clock.',
  valuesConfig: {
    ACTIVE: { description: 'Valid, before its surveillance review is due.' },
    UNDER_SURVEILLANCE: { description: 'Valid, with its surveillance review due (from the review date to the end of validity).' },
    SUSPENDED: { description: 'Suspended by the committee: not valid until reinstated.' },
    EXPIRED: { description: 'Past its validity.' },
    WITHDRAWN: { description: 'Withdrawn by the committee for good; still listed, as withdrawn.' },
  },
});

@ObjectType({ description: 'A certification seal awarded to an institution in one area. Public.' })
@Entity({ tableName: 'certification_seal' })
export class Seal {
  @Field(() => ID, { description: 'The seal’s id.' })
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne({ entity: () => AssessmentArea, ref: true, unique: true })
  assessmentArea!: Ref<AssessmentArea>;

  @ManyToOne({ entity: () => Organization, ref: true, index: true })
  organization!: Ref<Organization>;

  @ManyToOne({ entity: () => SchemeArea, ref: true })
  schemeArea!: Ref<SchemeArea>;

  /** Printed on the certificate; looked up by verifySeal. Shown only to those who may read the assessment. */
  @Property({ type: 'string', length: 11, unique: true })
  code!: string;

  @Field(() => String, { description: 'The day it was issued (YYYY-MM-DD).' })
  @Property({ type: 'string', columnType: 'date' })
  issuedOn!: string;

  @Field(() => String, { description: 'The day its surveillance review is due (YYYY-MM-DD).' })
  @Property({ type: 'string', columnType: 'date' })
  surveillanceOn!: string;

  @Field(() => String, { description: 'The last day it is valid (YYYY-MM-DD); expired from the day after.' })
  @Property({ type: 'string', columnType: 'date' })
  validUntil!: string;

  @Enum({ items: () => SealStanding, type: 'string' })
  standing: SealStanding & Opt = SealStanding.CURRENT;

  @Property({ type: 'text', nullable: true })
  standingReason?: string | null;
}
