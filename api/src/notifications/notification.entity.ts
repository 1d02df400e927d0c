import { Entity, Enum, Index, ManyToOne, PrimaryKey, PrimaryKeyProp, Property, Unique, type Opt, type Ref } from '@mikro-orm/core';
import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { randomUUID } from 'node:crypto';
import type { LocalizedText } from '../i18n/localized-text.js';
import { Locale, User } from '../users/user.entity.js';

/** What a person is told about. Each is produced by a reaction to a committed event, or by the clock (notification.reactions.ts). */
export enum NotificationKind {
  ROUND_OPENED = 'ROUND_OPENED',
  REPLY_TO_MY_COMMENT = 'REPLY_TO_MY_COMMENT',
  MY_COMMENT_DISPOSED = 'MY_COMMENT_DISPOSED',
  MY_COMMENT_TAKEN_UP = 'MY_COMMENT_TAKEN_UP',
  BALLOT_OPENED = 'BALLOT_OPENED',
  BALLOT_CLOSING = 'BALLOT_CLOSING',
  SUMMARY_PUBLISHED = 'SUMMARY_PUBLISHED',
}
registerEnumType(NotificationKind, {
  name: 'NotificationKind',
  description: 'What a notification tells a person about.',
  valuesConfig: {
    ROUND_OPENED: { description: 'A round they may comment on opened.' },
    REPLY_TO_MY_COMMENT: { description: 'Someone replied to their comment or reply.' },
    MY_COMMENT_DISPOSED: { description: 'Their comment got a disposition, or its disposition changed.' },
    MY_COMMENT_TAKEN_UP: { description: 'A proposed revision takes up their comment.' },
    BALLOT_OPENED: { description: 'A ballot they (or their organization) vote in opened.' },
    BALLOT_CLOSING: { description: 'A ballot they vote in closes within 24 hours and they have not voted on every question.' },
    SUMMARY_PUBLISHED: { description: 'The disposition summary of a round they took part in was published.' },
  },
});

/** How a person hears about a kind by e-mail; the in-app list shows every notification whatever the choice. */
export enum NotificationDelivery {
  IMMEDIATE = 'IMMEDIATE',
  DIGEST = 'DIGEST',
  NEVER = 'NEVER',
}
registerEnumType(NotificationDelivery, {
  name: 'NotificationDelivery',
  description: 'How notifications of one kind reach a person by e-mail.',
  valuesConfig: {
    IMMEDIATE: { description: 'One e-mail as soon as it happens.' },
    DIGEST: { description: 'Gathered in one e-mail a day.' },
    NEVER: { description: 'No e-mail; only the in-app list.' },
  },
});

/** The choice of a person who never chose: what needs them soon comes at once, the rest once a day. */
export const DEFAULT_DELIVERY: Record<NotificationKind, NotificationDelivery> = {
  [NotificationKind.ROUND_OPENED]: NotificationDelivery.DIGEST,
  [NotificationKind.REPLY_TO_MY_COMMENT]: NotificationDelivery.IMMEDIATE,
  [NotificationKind.MY_COMMENT_DISPOSED]: NotificationDelivery.IMMEDIATE,
  [NotificationKind.MY_COMMENT_TAKEN_UP]: NotificationDelivery.DIGEST,
  [NotificationKind.BALLOT_OPENED]: NotificationDelivery.IMMEDIATE,
  [NotificationKind.BALLOT_CLOSING]: NotificationDelivery.IMMEDIATE,
  [NotificationKind.SUMMARY_PUBLISHED]: NotificationDelivery.DIGEST,
};

/**
 * One thing one person is told about. `key` names the event (`<kind>:<what>:<which state>`), unique
 * per person, so a reaction that runs again tells nobody twice. `subject` is the round's or ballot's
 * title in every language it has, shown in the reader's.
 */
@ObjectType({ description: 'Something that happened that concerns the viewer.' })
@Entity({ tableName: 'notification' })
@Unique({ properties: ['user', 'key'] })
@Index({ properties: ['user', 'createdAt'] })
export class Notification {
  @Field(() => ID, { description: 'The notification’s id.' })
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne({ entity: () => User, ref: true, deleteRule: 'cascade' })
  user!: Ref<User>;

  @Field(() => NotificationKind, { description: 'What happened.' })
  @Enum({ items: () => NotificationKind, type: 'text' })
  kind!: NotificationKind;

  @Property({ type: 'text' })
  key!: string;

  @Property({ type: 'json' })
  subject!: LocalizedText;

  @Enum({ items: () => Locale, type: 'text' })
  subjectLanguage!: Locale;

  @Field(() => String, { description: 'Where to read it in Consulta: a path such as `/rounds/<id>`.' })
  @Property({ type: 'text' })
  link!: string;

  /** The choice in force when it was made: IMMEDIATE mailed it then, DIGEST waits for the day's digest. */
  @Enum({ items: () => NotificationDelivery, type: 'text' })
  delivery!: NotificationDelivery;

  @Field(() => Date, { description: 'When it happened.' })
  @Property({ type: 'datetime' })
  createdAt: Date & Opt = new Date();

  @Field(() => Date, { nullable: true, description: 'When the viewer marked it read; null while unread.' })
  @Property({ type: 'datetime', nullable: true })
  readAt?: Date | null;

  /** When a daily digest took it; null until then (and always for other deliveries). */
  @Property({ type: 'datetime', nullable: true })
  digestedAt?: Date | null;
}

/** What the `Notification` type resolves from: the entity, or the same columns read as a plain row (a page of the list). */
export type NotificationRecord = Pick<Notification, 'id' | 'kind' | 'subject' | 'subjectLanguage' | 'link' | 'createdAt' | 'readAt'>;

/** A person's choice for one kind; no row means the kind's default. */
@Entity({ tableName: 'notification_preference' })
export class NotificationPreference {
  [PrimaryKeyProp]?: ['user', 'kind'];

  @ManyToOne({ entity: () => User, ref: true, primary: true, deleteRule: 'cascade' })
  user!: Ref<User>;

  @PrimaryKey({ type: 'text' })
  kind!: NotificationKind;

  @Enum({ items: () => NotificationDelivery, type: 'text' })
  delivery!: NotificationDelivery;
}
