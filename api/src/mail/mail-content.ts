import { formatMessage } from '../i18n/messages.js';
import type { Locale } from '../users/user.entity.js';

/** A message's words, as text and as HTML. */
export interface MailContent {
  subject: string;
  text: string;
  html: string;
}

/** The kinds of mail and the values each one's words take (`web/src/lib/i18n/messages/<lang>/mail.json`). */
export interface MailKinds {
  invitation: { name: string; days: number };
  signupConfirm: { name: string; hours: number };
  signupExists: { name: string };
  passwordReset: { name: string; minutes: number };
  evidenceRequested: { name: string; institution: string; code: string; message: string };
}
export type MailKind = keyof MailKinds;

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/**
 * The mail `kind` in `language`: `mail.<kind>.subject`, `.body` (paragraphs split by a blank line) and,
 * with a link, `.action` (the button's words). `unsubscribeUrl` adds the footer's way out, for mail a
 * person may stop (notifications); account mail has none.
 */
export function renderMail<K extends MailKind>(
  language: Locale,
  kind: K,
  values: MailKinds[K],
  options: { actionUrl?: string; unsubscribeUrl?: string } = {},
): MailContent {
  const say = (name: string) => formatMessage(language, `mail.${kind}.${name}`, values as unknown as Record<string, string | number>);
  return composeMail(language, {
    subject: say('subject'),
    paragraphs: say('body').split(/\n\s*\n/),
    action: options.actionUrl ? { label: say('action'), url: options.actionUrl } : undefined,
    unsubscribeUrl: options.unsubscribeUrl,
  });
}

/**
 * A message from words already in `language`: the paragraphs, a button (its link also written out),
 * then the footer and, for mail a person may stop, the way out. Every mail has this one layout.
 */
export function composeMail(
  language: Locale,
  { subject, paragraphs, action, unsubscribeUrl }: { subject: string; paragraphs: string[]; action?: { label: string; url: string }; unsubscribeUrl?: string },
): MailContent {
  const footer = formatMessage(language, 'mail.footer', {});
  const unsubscribe = unsubscribeUrl ? { label: formatMessage(language, 'mail.unsubscribe', {}), url: unsubscribeUrl } : null;

  const text = [
    ...paragraphs,
    ...(action ? [`${action.label}:\n${action.url}`] : []),
    '-- ',
    footer,
    ...(unsubscribe ? [`${unsubscribe.label}: ${unsubscribe.url}`] : []),
  ].join('\n\n');
  const link = (l: { label: string; url: string }, style: string) => `<a href="${escapeHtml(l.url)}" style="${style}">${escapeHtml(l.label)}</a>`;
  const html = `<!doctype html><html lang="${language}"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>
<body style="font-family: system-ui, sans-serif; line-height: 1.5; color: #1a1a1a; max-width: 36em; margin: 0 auto; padding: 1em">
${paragraphs.map((p) => `<p>${escapeHtml(p).replace(/\n/g, '<br>')}</p>`).join('\n')}
${action ? `<p>${link(action, 'display: inline-block; background: #0b5cad; color: #fff; padding: .6em 1.2em; border-radius: 4px; text-decoration: none')}</p>\n<p style="font-size: .9em">${escapeHtml(action.url)}</p>` : ''}
<hr><p style="font-size: .85em; color: #555">${escapeHtml(footer)}${unsubscribe ? `<br>${link(unsubscribe, 'color: #555')}` : ''}</p>
</body></html>`;
  return { subject, text, html };
}
