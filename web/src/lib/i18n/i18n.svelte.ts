import { page } from '$app/state';
import { IntlMessageFormat } from 'intl-messageformat';
import { defaultLocale, intlTag, type Locale } from './locales.js';

/** What the root layout puts in page data: the active locale, its messages, the viewer's time zone. */
export interface I18nData {
  locale: Locale;
  timeZone: string | undefined;
  messages: Record<string, string>;
}

// Parsed messages, per locale and key; safe to share between requests because the key includes the locale.
const formats = new Map<string, IntlMessageFormat>();

function current(): I18nData {
  // Absent only when the root layout itself failed to load.
  return page.data.i18n ?? { locale: defaultLocale, timeZone: undefined, messages: {} };
}

/** The active locale (es, en, pt, fr). */
export function locale(): Locale {
  return current().locale;
}

/**
 * The message `key` (`<feature>.<name>`, e.g. `auth.signIn`) in the active locale, with ICU values:
 * `t('admin.peopleCount', { count: 3 })`. A missing key shows itself, so it is easy to spot.
 */
export function t(key: string, values?: Record<string, string | number | Date>): string {
  const { locale, messages } = current();
  const source = messages[key];
  if (source === undefined) return key;
  if (!values && !source.includes('{')) return source;
  const id = `${locale}\u0000${key}`;
  let format = formats.get(id);
  if (!format) {
    format = new IntlMessageFormat(source, intlTag[locale]);
    formats.set(id, format);
  }
  return String(format.format(values));
}

/** A date (and time, unless `dateStyle` alone is asked) in the active locale and the viewer's time zone. */
export function formatDate(value: string | Date, options: Intl.DateTimeFormatOptions = { dateStyle: 'medium', timeStyle: 'short' }): string {
  const { locale, timeZone } = current();
  return new Intl.DateTimeFormat(intlTag[locale], { timeZone: timeZone ?? 'UTC', ...options }).format(new Date(value));
}

export function formatNumber(value: number, options?: Intl.NumberFormatOptions): string {
  return new Intl.NumberFormat(intlTag[current().locale], options).format(value);
}
