import type { EntityManager } from '@mikro-orm/postgresql';
import type { AppServices } from '../context.js';
import { reads } from '../db/reads.js';
import { defineTask } from '../jobs/tasks.js';
import { queueMail } from '../mail/mail.service.js';
import type { Locale } from '../users/user.entity.js';
import { NotificationDelivery, type NotificationKind } from './notification.entity.js';
import { digestMail, unsubscribeLinks } from './notification-mail.js';
import { preferencesOf } from './notification.service.js';

/** The latest digest time at or before `now`: today's NOTIFICATION_DIGEST_HOUR (UTC) once it has come, else yesterday's. */
export function digestCutoff(now: Date, hour: number): Date {
  const today = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), hour));
  return today <= now ? today : new Date(today.getTime() - 86_400_000);
}

/**
 * Sends each person one e-mail with their DIGEST notifications made before the latest digest time
 * (NOTIFICATION_DIGEST_HOUR, UTC): what came after waits for the next day's. Once per person and
 * day, however often it runs: its key is `digest:<person>:<day>`, and each notification is taken
 * (`digested_at`) in the transaction that queues the mail, so a second run, even a concurrent one
 * waiting on the same rows, finds nothing left to send. A kind the person has since set to NEVER is
 * taken without being sent.
 */
export async function sendDigests(em: EntityManager, app: AppServices, now = new Date()): Promise<number> {
  const cutoff = digestCutoff(now, app.config.NOTIFICATION_DIGEST_HOUR);
  const day = cutoff.toISOString().slice(0, 10);
  const waiting = await reads(em)
    .selectFrom('notification')
    .select('user_id')
    .distinct()
    .where('delivery', '=', NotificationDelivery.DIGEST)
    .where('digested_at', 'is', null)
    .where('created_at', '<', cutoff.toISOString())
    .execute();
  let sent = 0;
  for (const { user_id } of waiting) {
    if (await sendDigest(em.fork(), app, user_id, cutoff, day)) sent += 1;
  }
  return sent;
}

async function sendDigest(em: EntityManager, app: AppServices, userId: string, cutoff: Date, day: string): Promise<boolean> {
  return em.transactional(async (tx) => {
    const taken = await reads(tx)
      .updateTable('notification')
      .set({ digested_at: new Date().toISOString() })
      .where('user_id', '=', userId)
      .where('delivery', '=', NotificationDelivery.DIGEST)
      .where('digested_at', 'is', null)
      .where('created_at', '<', cutoff.toISOString())
      .returning(['id', 'kind', 'subject', 'subject_language', 'link', 'created_at'])
      .execute();
    const person = await reads(tx).selectFrom('app_user').select(['name', 'email', 'language']).where('id', '=', userId).where('active', '=', true).executeTakeFirst();
    const stopped = new Set((await preferencesOf(tx, userId)).filter((p) => p.delivery === NotificationDelivery.NEVER).map((p) => p.kind));
    const items = taken
      .filter((n) => !stopped.has(n.kind as NotificationKind))
      .sort((a, b) => a.created_at.localeCompare(b.created_at))
      .map((n) => ({ kind: n.kind as NotificationKind, subject: n.subject, subjectLanguage: n.subject_language as Locale, link: n.link }));
    if (!person || !items.length) return false;
    const language = person.language as Locale;
    const links = (await unsubscribeLinks(tx, app.config.PUBLIC_URL, 'DIGEST'))(userId);
    const queued = await queueMail(tx, {
      key: `digest:${userId}:${day}`,
      kind: 'notification.digest',
      to: person.email,
      userId,
      language,
      content: digestMail(language, person.name, items, app.config.PUBLIC_URL, links.page),
      unsubscribeUrl: links.oneClick,
    });
    // The day's digest left already (a notification committed late, stamped before the cut-off): it goes in the next one.
    if (!queued) {
      await reads(tx)
        .updateTable('notification')
        .set({ digested_at: null })
        .where('id', 'in', taken.map((n) => n.id))
        .execute();
    }
    return queued;
  });
}

/** Hourly: the digests due (see sendDigests); a run before the digest hour finds only what an earlier day left. */
export const notificationDigestTask = defineTask<Record<string, unknown>>('notifications:digest', async (_payload, { em, app }) => void (await sendDigests(em, app)), { everyMinutes: 60 });
