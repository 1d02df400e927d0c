import { Entity, Enum, PrimaryKey, Property, type Opt } from '@mikro-orm/core';
import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { randomUUID } from 'node:crypto';
import { Locale } from '../users/user.entity.js';
import type { LocalizedText } from '../i18n/localized-text.js';

export enum FrameworkKind {
  /** Areas → indicators, judged for a seal (the SPWG LAC certification). */
  CERTIFICATION = 'CERTIFICATION',
  /** Dimensions → standards → essential practices (the USSPM). */
  PRACTICES = 'PRACTICES',
}
registerEnumType(FrameworkKind, { name: 'FrameworkKind', description: 'What shape of standard a framework is.' });

export enum FrameworkStatus {
  DRAFT = 'DRAFT',
  IN_CONSULTATION = 'IN_CONSULTATION',
  FINAL = 'FINAL',
}
registerEnumType(FrameworkStatus, { name: 'FrameworkStatus', description: 'Where a framework is in its development.' });

@ObjectType({ description: 'A standard under development: a tree of sections whose leaves are indicators.' })
@Entity({ tableName: 'framework' })
export class Framework {
  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Field(() => String)
  @Property({ type: 'string', length: 80, unique: true })
  slug!: string;

  @Property({ type: 'json' })
  name!: LocalizedText;

  @Property({ type: 'json' })
  description: LocalizedText & Opt = {};

  @Field(() => Locale, { description: 'The language texts are written in first; other languages fall back to it.' })
  @Enum({ items: () => Locale, type: 'string' })
  sourceLanguage: Locale & Opt = Locale.ES;

  @Field(() => FrameworkKind)
  @Enum({ items: () => FrameworkKind, type: 'string' })
  kind!: FrameworkKind;

  @Field(() => FrameworkStatus)
  @Enum({ items: () => FrameworkStatus, type: 'string' })
  status: FrameworkStatus & Opt = FrameworkStatus.DRAFT;

  @Field(() => Date)
  @Property({ type: 'datetime' })
  createdAt: Date & Opt = new Date();
}
