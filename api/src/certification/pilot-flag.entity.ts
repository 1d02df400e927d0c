import { Entity, Enum, ManyToOne, PrimaryKey, PrimaryKeyProp, Property, type Opt, type Ref } from '@mikro-orm/core';
import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { AssessedIndicatorRecord } from './assessment.entity.js';

export enum PilotFlagKind {
  UNCLEAR = 'UNCLEAR',
  UNMEASURABLE = 'UNMEASURABLE',
  TOO_COSTLY = 'TOO_COSTLY',
}
registerEnumType(PilotFlagKind, {
  name: 'PilotFlagKind',
  description: 'What the pilot taught about an indicator.',
  valuesConfig: {
    UNCLEAR: { description: 'Its text is unclear: institutions or reviewers read it differently.' },
    UNMEASURABLE: { description: 'It cannot be measured as written.' },
    TOO_COSTLY: { description: 'Evidencing it costs more than it is worth.' },
  },
});

export enum FlaggedAs {
  INSTITUTION = 'INSTITUTION',
  REVIEWER = 'REVIEWER',
}
registerEnumType(FlaggedAs, { name: 'FlaggedAs', description: 'Who raised a pilot flag.', valuesConfig: { INSTITUTION: { description: 'The assessed institution.' }, REVIEWER: { description: 'An assigned reviewer.' } } });

/** A pilot flag on an indicator, raised while assessing or reviewing; it becomes feedback in the rounds that consult the indicator. */
@ObjectType({ description: 'A pilot flag: an indicator found unclear, unmeasurable or too costly to evidence, with a note. It enters the consultation rounds on that indicator as an anonymized on-behalf comment.' })
@Entity({ tableName: 'certification_pilot_flag' })
export class PilotFlag extends AssessedIndicatorRecord {
  @Field(() => ID, { description: 'The flag’s id.' })
  override id!: string;

  /** The framework's indicator (not the scheme's), by which rounds that consult it are found. */
  @Property({ type: 'uuid' })
  indicatorId!: string;

  @Field(() => PilotFlagKind, { description: 'Unclear, unmeasurable or too costly.' })
  @Enum({ items: () => PilotFlagKind, type: 'string' })
  kind!: PilotFlagKind;

  @Field(() => String, { description: 'What the flagger found.' })
  @Property({ type: 'text' })
  note!: string;

  @Property({ type: 'uuid' })
  flaggedById!: string;

  @Field(() => FlaggedAs, { description: 'Raised by the institution or by a reviewer.' })
  @Enum({ items: () => FlaggedAs, type: 'string' })
  flaggedAs!: FlaggedAs;

  @Field(() => Date, { description: 'When it was raised.' })
  @Property({ type: 'datetime' })
  flaggedAt: Date & Opt = new Date();
}

/** Which comment a flag became in which round: one per flag and round (the primary key), so a retried delivery adds nothing. */
@Entity({ tableName: 'certification_pilot_flag_delivery' })
export class PilotFlagDelivery {
  [PrimaryKeyProp]?: ['flag', 'roundId'];

  @ManyToOne({ entity: () => PilotFlag, ref: true, primary: true })
  flag!: Ref<PilotFlag>;

  @PrimaryKey({ type: 'uuid' })
  roundId!: string;

  @Property({ type: 'uuid' })
  commentId!: string;

  @Property({ type: 'datetime' })
  deliveredAt: Date & Opt = new Date();
}
