/**
 * The one way Consulta sends e-mail. To send a mail, inside the transaction that decides it:
 *
 *   await queueMail(em, {
 *     key: `password-reset:${token.id}`,            // one message per key, ever: deciding twice sends once
 *     kind: 'passwordReset', to: user.email, userId: user.id, language: user.language,
 *     content: renderMail(user.language, 'passwordReset', { name: user.name, minutes: 60 }, { actionUrl: link }),
 *     unsubscribeUrl,                               // optional: adds List-Unsubscribe and List-Unsubscribe-Post
 *   });
 *
 * The message is stored (`mail_message`) with the job that sends it: both exist if and only if the
 * transaction commits, and the request never waits for a mail server. The job (`mail:send`) is
 * retried with growing delays while the server refuses or cannot be reached, and sends at most once:
 * it claims the message in its own committed statement before talking to the server, so a retry
 * after a crash between the send and the mark finds it claimed and leaves it (status `unknown`).
 * The Message-ID comes from the key, so receivers take any copy an operator re-sends for the same mail.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { reads } from '../db/reads.js';
import { rowDate } from '../db/row-date.js';
import { defineTask, enqueueKeyed, keyedJob } from '../jobs/tasks.js';
import type { Locale } from '../users/user.entity.js';
import type { MailContent } from './mail-content.js';

export interface QueuedMail {
  /** Idempotency key: at most one message per key (`<kind>:<what it is about>`). */
  key: string;
  /** What the mail is (a MailKind, or a notification kind): for the mailbox, the logs and unsubscribing. */
  kind: string;
  to: string;
  /** The account it is for, when there is one. */
  userId?: string | null;
  language: Locale;
  content: MailContent;
  /** One-click unsubscribe (RFC 8058) for mail a person may stop: a signed link that works signed out. */
  unsubscribeUrl?: string;
}

/** Tries of one message before it is given up (`failed`): the last one about 2.5 hours after the first. */
export const MAIL_MAX_ATTEMPTS = 9;

/** Stores the message and its sending job in the caller's transaction; true when new, false when its key was queued before. */
export async function queueMail(em: EntityManager, mail: QueuedMail): Promise<boolean> {
  return (await queueMails(em, [mail])) === 1;
}

/**
 * `queueMail` for many messages in two statements, however many (one insert, one `add_jobs`): a
 * notification to thousands costs the same round trips as to one. Returns how many were new.
 */
export async function queueMails(em: EntityManager, mails: QueuedMail[]): Promise<number> {
  if (!mails.length) return 0;
  const headersOf = (mail: QueuedMail) =>
    JSON.stringify(mail.unsubscribeUrl ? { 'List-Unsubscribe': `<${mail.unsubscribeUrl}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' } : {});
  const rows = await em.execute<{ id: string }[]>(
    `insert into mail_message (id, key, kind, user_id, to_address, language, subject, text_body, html_body, headers)
     select * from unnest(array[?]::uuid[], array[?]::text[], array[?]::text[], array[?]::uuid[], array[?]::text[], array[?]::text[], array[?]::text[], array[?]::text[], array[?]::text[], array[?]::jsonb[])
     on conflict (key) do nothing returning id`,
    [
      mails.map(() => randomUUID()),
      mails.map((m) => m.key),
      mails.map((m) => m.kind),
      mails.map((m) => m.userId ?? null),
      mails.map((m) => m.to),
      mails.map((m) => m.language),
      mails.map((m) => m.content.subject),
      mails.map((m) => m.content.text),
      mails.map((m) => m.content.html),
      mails.map(headersOf),
    ],
  );
  if (rows.length) await enqueueKeyed(em, rows.map((r) => keyedJob(sendMailTask, `mail:${r.id}`, { id: r.id }, MAIL_MAX_ATTEMPTS)));
  return rows.length;
}

/** `<hash-of-key@host>`: the same key always gives the same Message-ID. */
export function messageIdFor(key: string, publicUrl: string): string {
  return `<${createHash('sha256').update(key).digest('hex').slice(0, 40)}@${new URL(publicUrl).hostname}>`;
}

export const sendMailTask = defineTask<{ id: string }>('mail:send', async ({ id }, { em, app, attempt }) => {
  const [message] = await em.execute<MessageRow[]>(
    `update mail_message set status = 'sending', claimed_at = now(), attempts = attempts + 1
     where id = ? and status = 'queued'
     returning key, to_address, subject, text_body, html_body, headers`,
    [id],
  );
  if (!message) {
    // Sent already, or an earlier try stopped between claiming and marking it: it may have left, and
    // sending it again could deliver it twice, so it is left, and said to be unknown.
    const left = await em.execute(`update mail_message set status = 'unknown', last_error = ? where id = ? and status = 'sending' returning id`, [
      'an earlier attempt stopped after claiming it; not sent again',
      id,
    ]);
    if (left.length) app.log.warn({ mailMessage: id }, 'a mail may or may not have been sent (its sender stopped); not sent again');
    return;
  }
  try {
    await app.mail.send({
      from: app.config.SMTP_FROM,
      to: message.to_address,
      subject: message.subject,
      text: message.text_body,
      html: message.html_body,
      headers: message.headers,
      messageId: messageIdFor(message.key, app.config.PUBLIC_URL),
    });
  } catch (err) {
    // The server refused it or could not be reached: it did not leave, so the next try may send it.
    const final = attempt >= MAIL_MAX_ATTEMPTS;
    await em.execute(`update mail_message set status = ?, claimed_at = null, last_error = ? where id = ?`, [
      final ? 'failed' : 'queued',
      String(err instanceof Error ? err.message : err).slice(0, 1000),
      id,
    ]);
    throw err;
  }
  await em.execute(`update mail_message set status = 'sent', sent_at = now(), transport = ? where id = ?`, [app.mail.kind, id]);
});

interface MessageRow {
  key: string;
  to_address: string;
  subject: string;
  text_body: string;
  html_body: string;
  headers: Record<string, string>;
}

/** Hourly: messages older than MAIL_RETENTION_DAYS are deleted once settled (their links are long dead). */
export const mailRetentionTask = defineTask<Record<string, never>>(
  'mail:retention',
  async (_payload, { em, app }) => {
    await em.execute(`delete from mail_message where created_at < now() - make_interval(days => ?) and status <> 'queued' and status <> 'sending'`, [
      app.config.MAIL_RETENTION_DAYS,
    ]);
  },
  { everyMinutes: 60 },
);

/** The development mailbox: the latest messages, newest first (see mailboxOpen). */
export async function mailboxMessages(em: EntityManager, limit = 50) {
  const rows = await reads(em)
    .selectFrom('mail_message')
    .select(['id', 'kind', 'to_address as to', 'subject', 'status', 'created_at'])
    .orderBy('created_at', 'desc')
    .limit(limit)
    .execute();
  return rows.map(({ created_at, ...row }) => ({ ...row, createdAt: rowDate(created_at) }));
}

export async function mailboxMessage(em: EntityManager, id: string) {
  const row = await reads(em)
    .selectFrom('mail_message')
    .select(['id', 'kind', 'to_address as to', 'subject', 'status', 'created_at', 'text_body as text'])
    .where('id', '=', id)
    .executeTakeFirst();
  return row && { ...row, createdAt: rowDate(row.created_at) };
}
