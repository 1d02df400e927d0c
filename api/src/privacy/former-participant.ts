import type { RequestContext } from '../context.js';
import { message } from '../i18n/messages.js';
import { Locale } from '../users/user.entity.js';

/**
 * What a deleted account's name becomes, on the account and on every comment it wrote when the person
 * kept them: no name at all, so that each reader is shown “former participant” in their own language
 * (`shownName`), never in the language of whoever deleted the account.
 */
export const ERASED_NAME = '';

/** The reader's language for a label: their account's, else their browser's first, else Spanish. */
export const readerLocale = (ctx: RequestContext): Locale => ctx.viewer?.user.language ?? ctx.languages[0] ?? Locale.ES;

/** The name to show: the stored one, or “former participant” in `locale` for an erased one. */
export function shownName(stored: string, locale: Locale): string {
  return stored === ERASED_NAME ? message(locale, 'privacy.formerParticipant') : stored;
}
