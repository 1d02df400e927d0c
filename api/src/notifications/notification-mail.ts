import type { EntityManager } from '@mikro-orm/postgresql';
import { localize, type LocalizedText } from '../i18n/localized-text.js';
import { formatMessage } from '../i18n/messages.js';
import { composeMail, type MailContent } from '../mail/mail-content.js';
import type { Locale } from '../users/user.entity.js';
import type { NotificationKind } from './notification.entity.js';
import { unsubscribeTokens, type UnsubscribeScope } from './unsubscribe-link.js';

/** What a notification's words need: its kind, what it is about, and where it leads. */
export interface NotificationWords {
  kind: NotificationKind;
  subject: LocalizedText;
  subjectLanguage: Locale;
  link: string;
}

/** The one sentence that says what happened, in `language`: the in-app list, an e-mail's subject, a digest's line. */
export function notificationLine(language: Locale, n: NotificationWords): string {
  return formatMessage(language, `mail.notification.${n.kind}`, { subject: localize(n.subject, language, n.subjectLanguage)?.value ?? '' });
}

/**
 * The two ways out of a mail, for each person (the secret read once): the page (a form, so opening
 * the link changes nothing) and the one-click address for List-Unsubscribe-Post.
 */
export async function unsubscribeLinks(em: EntityManager, publicUrl: string, scope: UnsubscribeScope): Promise<(userId: string) => { page: string; oneClick: string }> {
  const tokenOf = await unsubscribeTokens(em, scope);
  return (userId) => {
    const token = encodeURIComponent(tokenOf(userId));
    return { page: new URL(`/notifications/unsubscribe?token=${token}`, publicUrl).href, oneClick: new URL(`/unsubscribe?token=${token}`, publicUrl).href };
  };
}

/** One notification as its own e-mail. */
export function immediateMail(language: Locale, name: string, n: NotificationWords, publicUrl: string, unsubscribePage: string): MailContent {
  const line = notificationLine(language, n);
  return composeMail(language, {
    subject: line,
    paragraphs: [formatMessage(language, 'mail.notification.greeting', { name }), line, formatMessage(language, 'mail.notification.why', { url: new URL('/account#notifications-heading', publicUrl).href })],
    action: { label: formatMessage(language, 'mail.notification.open', {}), url: new URL(n.link, publicUrl).href },
    unsubscribeUrl: unsubscribePage,
  });
}

/** A day's notifications in one e-mail: a line and a link each, then the way to the in-app list. */
export function digestMail(language: Locale, name: string, items: NotificationWords[], publicUrl: string, unsubscribePage: string): MailContent {
  return composeMail(language, {
    subject: formatMessage(language, 'mail.notification.digest.subject', {}),
    paragraphs: [
      formatMessage(language, 'mail.notification.greeting', { name }),
      formatMessage(language, 'mail.notification.digest.intro', {}),
      ...items.map((n) => `• ${notificationLine(language, n)}\n${new URL(n.link, publicUrl).href}`),
      formatMessage(language, 'mail.notification.why', { url: new URL('/account#notifications-heading', publicUrl).href }),
    ],
    action: { label: formatMessage(language, 'mail.notification.digest.action', {}), url: new URL('/notifications', publicUrl).href },
    unsubscribeUrl: unsubscribePage,
  });
}
