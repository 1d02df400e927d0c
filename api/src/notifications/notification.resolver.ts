import { Arg, Authorized, Ctx, Field, FieldResolver, ID, Int, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { requireViewer } from '../auth/viewer.js';
import type { RequestContext } from '../context.js';
import { withinLength } from '../errors.js';
import { Locale, User } from '../users/user.entity.js';
import { Notification, NotificationDelivery, NotificationKind, type NotificationRecord } from './notification.entity.js';
import { notificationLine } from './notification-mail.js';
import * as notifications from './notification.service.js';
// What produces notifications: its reactions and clock tasks register as the schema loads, before the queue starts.
import './notification.reactions.js';
import './notification-digest.js';

@ObjectType({ description: 'A page of the viewer’s notifications, newest first.' })
export class NotificationPage {
  @Field(() => [Notification], { description: 'The notifications of this page.' })
  items!: NotificationRecord[];

  @Field(() => Boolean, { description: 'Whether older ones follow: ask again with `after` set to the last id.' })
  hasMore!: boolean;
}

@ObjectType({ description: 'How the viewer hears about one kind of notification by e-mail.' })
export class NotificationPreferenceView {
  @Field(() => NotificationKind, { description: 'The kind.' })
  kind!: NotificationKind;

  @Field(() => NotificationDelivery, { description: 'Immediately, in the daily digest, or never.' })
  delivery!: NotificationDelivery;

  @Field(() => Boolean, { description: 'False while it is the kind’s default (the person never chose).' })
  chosen!: boolean;
}

@Resolver(() => Notification)
export class NotificationResolver {
  @Authorized()
  @Query(() => NotificationPage, { description: 'My notifications, newest first, a page at a time; BAD_USER_INPUT when `after` is not one of mine.' })
  myNotifications(
    @Arg('first', () => Int, { defaultValue: 20, description: 'How many, 1 to 100.' }) first: number,
    @Arg('after', () => ID, { nullable: true, description: 'The last id of the page before; none for the newest.' }) after: string | null,
    @Ctx() ctx: RequestContext,
  ) {
    return notifications.myNotifications(ctx.em, requireViewer(ctx.viewer), first, after);
  }

  @Authorized()
  @Query(() => [NotificationPreferenceView], { description: 'How I hear about each kind of notification by e-mail, every kind listed.' })
  myNotificationPreferences(@Ctx() ctx: RequestContext) {
    return notifications.preferencesOf(ctx.em, requireViewer(ctx.viewer).id);
  }

  @Authorized()
  @Mutation(() => Int, { description: 'Marks my notifications read: those named (100 at most), or all of them. Others’ ids change nothing. Returns how many changed.' })
  markNotificationsRead(@Arg('ids', () => [ID], { nullable: true, description: 'The notifications; none for all of mine.' }) ids: string[] | null, @Ctx() ctx: RequestContext) {
    return notifications.markRead(ctx.em, requireViewer(ctx.viewer), ids);
  }

  @Authorized()
  @Mutation(() => [NotificationPreferenceView], { description: 'Sets how I hear about one kind of notification by e-mail; returns every kind’s setting.' })
  setNotificationPreference(
    @Arg('kind', () => NotificationKind, { description: 'The kind.' }) kind: NotificationKind,
    @Arg('delivery', () => NotificationDelivery, { description: 'Immediately, in the daily digest, or never.' }) delivery: NotificationDelivery,
    @Ctx() ctx: RequestContext,
  ) {
    return notifications.setPreference(ctx.em, requireViewer(ctx.viewer), kind, delivery);
  }

  @Mutation(() => [NotificationKind], {
    description: 'Follows the unsubscribe link of a notification e-mail, signed in or not: its kind (from a digest, every kind in the digest) stops coming by e-mail. BAD_USER_INPUT on `token` for a link Consulta did not make. Returns the kinds stopped.',
  })
  unsubscribeFromNotifications(@Arg('token', () => String, { description: 'The token from the link.' }) token: string, @Ctx() ctx: RequestContext) {
    return notifications.unsubscribe(ctx.em, withinLength('token', token, 300));
  }

  @FieldResolver(() => String, { description: 'What happened, in one sentence: in `language`, by default the viewer’s.' })
  text(@Root() n: NotificationRecord, @Arg('language', () => Locale, { nullable: true, description: 'The language; by default the viewer’s own.' }) language: Locale | null, @Ctx() ctx: RequestContext) {
    return notificationLine(language ?? requireViewer(ctx.viewer).user.language, n);
  }
}

@Resolver(() => User)
export class UserNotificationsResolver {
  @FieldResolver(() => Int, {
    nullable: true,
    description: 'How many of their notifications the person has not marked read: for the person themself (`me`, so a page reads it with the viewer), null for anyone else.',
  })
  unreadNotificationCount(@Root() user: User, @Ctx() ctx: RequestContext) {
    return ctx.viewer?.id === user.id ? notifications.unreadCount(ctx.em, user.id) : null;
  }
}
