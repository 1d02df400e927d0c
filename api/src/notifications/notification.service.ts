import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { audit } from '../audit/audit.service.js';
import type { Viewer } from '../auth/viewer.js';
import type { AppServices } from '../context.js';
import { reads } from '../db/reads.js';
import { badInput } from '../errors.js';
import { queueMails } from '../mail/mail.service.js';
import type { Locale } from '../users/user.entity.js';
import { User } from '../users/user.entity.js';
import { DEFAULT_DELIVERY, Notification, NotificationDelivery, NotificationKind, NotificationPreference } from './notification.entity.js';
import { immediateMail, unsubscribeLinks, type NotificationWords } from './notification-mail.js';
import { openUnsubscribeToken } from './unsubscribe-link.js';

/** One thing to tell people about: its words, and `key`, naming the event (the same event, the same key). */
export interface Announcement extends NotificationWords {
  key: string;
}

/** Rows of one insert statement: 10 values each, well under PostgreSQL's 65,535 parameters. */
const INSERT_BATCH = 1000;

/**
 * Tells each of `recipientIds` about `announcement`, once: a person who has it already (the
 * reaction ran again) gets nothing new. Each new notification takes the person's current choice
 * for its kind; IMMEDIATE queues its e-mail, in their language, in the same transaction. Only
 * active, confirmed accounts are told. The caller has already left out whoever did it and whoever
 * may not read what it is about. Returns how many were new.
 */
export async function notify(em: EntityManager, app: AppServices, announcement: Announcement, recipientIds: string[]): Promise<number> {
  const ids = [...new Set(recipientIds)];
  if (!ids.length) return 0;
  return em.transactional(async (tx) => {
    const people = await reads(tx)
      .selectFrom('app_user as u')
      .leftJoin('notification_preference as p', (join) => join.onRef('p.user_id', '=', 'u.id').on('p.kind', '=', announcement.kind))
      .select(['u.id', 'u.name', 'u.email', 'u.language', 'p.delivery'])
      .where('u.id', 'in', ids)
      .where('u.active', '=', true)
      .where('u.email_confirmed_at', 'is not', null)
      .execute();
    let created = 0;
    for (let i = 0; i < people.length; i += INSERT_BATCH) {
      const batch = people.slice(i, i + INSERT_BATCH);
      const rows = await reads(tx)
        .insertInto('notification')
        .values(
          batch.map((p) => ({
            id: randomUUID(),
            user_id: p.id,
            kind: announcement.kind,
            key: announcement.key,
            subject: announcement.subject,
            subject_language: announcement.subjectLanguage,
            link: announcement.link,
            delivery: p.delivery ?? DEFAULT_DELIVERY[announcement.kind],
          })),
        )
        .onConflict((oc) => oc.columns(['user_id', 'key']).doNothing())
        .returning(['id', 'user_id', 'delivery'])
        .execute();
      created += rows.length;
      const byId = new Map(batch.map((p) => [p.id, p]));
      const immediate = rows.filter((r) => r.delivery === NotificationDelivery.IMMEDIATE);
      if (!immediate.length) continue;
      const linksOf = await unsubscribeLinks(tx, app.config.PUBLIC_URL, announcement.kind);
      await queueMails(
        tx,
        immediate.map((row) => {
          const person = byId.get(row.user_id)!;
          const language = person.language as Locale;
          const links = linksOf(person.id);
          return {
            key: `notification:${row.id}`,
            kind: `notification.${announcement.kind}`,
            to: person.email,
            userId: person.id,
            language,
            content: immediateMail(language, person.name, announcement, app.config.PUBLIC_URL, links.page),
            unsubscribeUrl: links.oneClick,
          };
        }),
      );
    }
    return created;
  });
}

/** The viewer's notifications, newest first, a page at a time (`after`: the last id of the page before). */
export async function myNotifications(em: EntityManager, viewer: Viewer, first: number, after: string | null | undefined) {
  if (first < 1 || first > 100) throw badInput('first', 'Ask for 1 to 100 notifications');
  let query = reads(em)
    .selectFrom('notification')
    .select(['id', 'kind', 'subject', 'subject_language', 'link', 'created_at', 'read_at'])
    .where('user_id', '=', viewer.id)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(first + 1);
  if (after) {
    const from = await reads(em).selectFrom('notification').select(['created_at', 'id']).where('id', '=', after).where('user_id', '=', viewer.id).executeTakeFirst();
    if (!from) throw badInput('after', 'Not one of your notifications');
    query = query.where((eb) => eb.or([eb('created_at', '<', from.created_at), eb.and([eb('created_at', '=', from.created_at), eb('id', '<', from.id)])]));
  }
  const rows = await query.execute();
  return {
    items: rows.slice(0, first).map((r) => ({
      id: r.id,
      kind: r.kind as NotificationKind,
      subject: r.subject,
      subjectLanguage: r.subject_language as Locale,
      link: r.link,
      createdAt: new Date(r.created_at),
      readAt: r.read_at ? new Date(r.read_at) : null,
    })),
    hasMore: rows.length > first,
  };
}

export async function unreadCount(em: EntityManager, userId: string): Promise<number> {
  const row = await reads(em)
    .selectFrom('notification')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('user_id', '=', userId)
    .where('read_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Marks the viewer's notifications read: those named, or every one when `ids` is null. Others' ids change nothing. Returns how many changed. */
export async function markRead(em: EntityManager, viewer: Viewer, ids: string[] | null | undefined): Promise<number> {
  if (ids && ids.length > 100) throw badInput('ids', 'Mark at most 100 at once, or all');
  return em.nativeUpdate(Notification, { user: viewer.id, readAt: null, ...(ids ? { id: { $in: ids } } : {}) }, { readAt: new Date() });
}

/** The person's choice per kind, every kind listed (the default where they never chose). */
export async function preferencesOf(em: EntityManager, userId: string) {
  const chosen = await em.find(NotificationPreference, { user: userId });
  return Object.values(NotificationKind).map((kind) => {
    const own = chosen.find((p) => p.kind === kind);
    return { kind, delivery: own?.delivery ?? DEFAULT_DELIVERY[kind], chosen: Boolean(own) };
  });
}

/** Sets how the viewer hears about `kind`; audit-logged as a change of their account. */
export async function setPreference(em: EntityManager, viewer: Viewer, kind: NotificationKind, delivery: NotificationDelivery) {
  await choose(em, viewer.id, [kind], delivery);
  audit(em, { actorId: viewer.id, action: 'account.updated', subjectType: 'User', subjectId: viewer.id, data: { notifications: { [kind]: delivery } } });
  await em.flush();
  return preferencesOf(em, viewer.id);
}

/**
 * Follows a one-click unsubscribe link, signed in or not: its kind (or, from a digest, every kind
 * the person gets in digests) stops reaching them by e-mail. Following it again changes nothing.
 * BAD_USER_INPUT on `token` for a link Consulta did not make. Returns the kinds now stopped.
 */
export async function unsubscribe(em: EntityManager, token: string): Promise<NotificationKind[]> {
  const { userId, scope } = await openUnsubscribeToken(em, token);
  const user = await em.findOne(User, { id: userId });
  if (!user) throw badInput('token', 'This unsubscribe link is not valid');
  const kinds = scope === 'DIGEST' ? (await preferencesOf(em, userId)).filter((p) => p.delivery === NotificationDelivery.DIGEST).map((p) => p.kind) : [scope];
  const changed = (await preferencesOf(em, userId)).filter((p) => kinds.includes(p.kind) && (p.delivery !== NotificationDelivery.NEVER || !p.chosen)).map((p) => p.kind);
  if (changed.length) {
    await choose(em, userId, changed, NotificationDelivery.NEVER);
    audit(em, { actorId: userId, action: 'account.updated', subjectType: 'User', subjectId: userId, data: { notifications: Object.fromEntries(changed.map((k) => [k, NotificationDelivery.NEVER])), via: 'unsubscribe link' } });
    await em.flush();
  }
  return kinds;
}

async function choose(em: EntityManager, userId: string, kinds: NotificationKind[], delivery: NotificationDelivery) {
  for (const kind of kinds) await em.upsert(NotificationPreference, { user: em.getReference(User, userId), kind, delivery });
}
