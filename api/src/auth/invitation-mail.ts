import { renderMail } from '../mail/mail-content.js';
import type { Locale } from '../users/user.entity.js';

/** The invitation e-mail, in the invitee's language. */
export function invitationMail(language: Locale, name: string, link: string, ttlHours: number) {
  return renderMail(language, 'invitation', { name, days: Math.round(ttlHours / 24) }, { actionUrl: link });
}
