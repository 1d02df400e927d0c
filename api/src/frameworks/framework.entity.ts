import { Entity, Enum, PrimaryKey, Property, type Opt } from '@mikro-orm/core';
import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { randomUUID } from 'node:crypto';
import { Locale } from '../users/user.entity.js';
import type { LocalizedText } from '../i18n/localized-text.js';

export enum FrameworkKind {
  CERTIFICATION = 'CERTIFICATION',
  PRACTICES = 'PRACTICES',
}
registerEnumType(FrameworkKind, {
  name: 'FrameworkKind',
  description: 'What shape of standard a framework is.',
  valuesConfig: {
    CERTIFICATION: { description: 'Areas → indicators, judged for a seal (the SPWG LAC certification).' },
    PRACTICES: { description: 'Dimensions → standards → essential practices (the USSPM); practices are rated.' },
  },
});

export enum FrameworkStatus {
  DRAFT = 'DRAFT',
  IN_CONSULTATION = 'IN_CONSULTATION',
  FINAL = 'FINAL',
}
registerEnumType(FrameworkStatus, {
  name: 'FrameworkStatus',
  description: 'Where a framework is in its development.',
  valuesConfig: {
    DRAFT: { description: 'Being drafted; not yet put to consultation.' },
    IN_CONSULTATION: { description: 'Its indicators are being consulted on and revised.' },
    FINAL: { description: 'A release of it is marked final: the standard institutions are certified against.' },
  },
});

@ObjectType({ description: 'A standard under development: a tree of sections whose leaves are indicators.' })
@Entity({ tableName: 'framework' })
export class Framework {
  @Field(() => ID, { description: 'The framework’s id.' })
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Field(() => String, { description: 'Its stable name in addresses, e.g. `spwg-lac-certification`; never changes.' })
  @Property({ type: 'string', length: 80, unique: true })
  slug!: string;

  @Property({ type: 'json' })
  name!: LocalizedText;

  @Property({ type: 'json' })
  description: LocalizedText & Opt = {};

  @Field(() => Locale, { description: 'The language texts are written in first; other languages fall back to it.' })
  @Enum({ items: () => Locale, type: 'string' })
  sourceLanguage: Locale & Opt = Locale.ES;

  @Field(() => FrameworkKind, { description: 'Certification indicators or USSPM practices.' })
  @Enum({ items: () => FrameworkKind, type: 'string' })
  kind!: FrameworkKind;

  @Field(() => FrameworkStatus, { description: 'Where it is in its development.' })
  @Enum({ items: () => FrameworkStatus, type: 'string' })
  status: FrameworkStatus & Opt = FrameworkStatus.DRAFT;

  @Field(() => Date, { description: 'When it was created.' })
  @Property({ type: 'datetime' })
  createdAt: Date & Opt = new Date();
}
