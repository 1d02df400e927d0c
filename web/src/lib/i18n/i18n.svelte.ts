import { page } from '$app/state';
import { IntlMessageFormat, type Formatters } from 'intl-messageformat';
import { defaultLocale, intlTag, type Locale } from './locales.js';

/** What the root layout puts in page data: the active locale, its messages, the viewer's time zone. */
export interface I18nData {
  locale: Locale;
  timeZone: string | undefined;
  messages: Record<string, string>;
}

// Parsed messages and Intl formatters, keyed by everything they depend on (locale, time zone, options), so they
// are safe to share between requests. Building them is what costs, in a phone's browser most of all: a page
// formats dozens of messages and dates, and every message would otherwise get formatters of its own.
const formats = new Map<string, IntlMessageFormat>();
const intl = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat | Intl.PluralRules>();

function cached<T extends Intl.DateTimeFormat | Intl.NumberFormat | Intl.PluralRules>(kind: string, args: readonly unknown[], make: () => T): T {
  const id = `${kind}\u0000${JSON.stringify(args)}`;
  let format = intl.get(id) as T | undefined;
  if (!format) {
    format = make();
    intl.set(id, format);
  }
  return format;
}

const formatters: Formatters = {
  getNumberFormat: (...args) => cached('number', args, () => new Intl.NumberFormat(...args)),
  getDateTimeFormat: (...args) => cached('date', args, () => new Intl.DateTimeFormat(...args)),
  getPluralRules: (...args) => cached('plural', args, () => new Intl.PluralRules(...args)),
};

/** A message whose only arguments are plain `{name}`s, with no ICU quoting or tags: it needs no parser. */
const PLAIN = /^(?:[^{}'<]|'(?![{}'#|])|\{\s*[A-Za-z_]\w*\s*\})*$/;
const ARGUMENT = /\{\s*([A-Za-z_]\w*)\s*\}/g;

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
  // Plain arguments with text or numbers: substitute them as IntlMessageFormat would (String(value)).
  if (values && PLAIN.test(source)) {
    const plain = plainFormat(source, values);
    if (plain !== undefined) return plain;
  }
  const id = `${locale}\u0000${key}`;
  let format = formats.get(id);
  if (!format) {
    format = new IntlMessageFormat(source, intlTag[locale], undefined, { formatters });
    formats.set(id, format);
  }
  return String(format.format(values));
}

function plainFormat(source: string, values: Record<string, string | number | Date>): string | undefined {
  let complete = true;
  const text = source.replace(ARGUMENT, (_, name: string) => {
    const value = values[name];
    if (typeof value === 'string' || typeof value === 'number') return String(value);
    complete = false;
    return '';
  });
  return complete ? text : undefined;
}

/** A date (and time, unless `dateStyle` alone is asked) in the active locale and the viewer's time zone. */
export function formatDate(value: string | Date, options: Intl.DateTimeFormatOptions = { dateStyle: 'medium', timeStyle: 'short' }): string {
  const { locale, timeZone } = current();
  const args = [intlTag[locale], { timeZone: timeZone ?? 'UTC', ...options }] as const;
  return cached('date', args, () => new Intl.DateTimeFormat(...args)).format(new Date(value));
}

/** A calendar day (`YYYY-MM-DD`, as the API writes seals' dates) in the active locale, the same day in every time zone. */
export function formatDay(day: string): string {
  return formatDate(`${day}T12:00:00Z`, { dateStyle: 'medium', timeZone: 'UTC' });
}

export function formatNumber(value: number, options?: Intl.NumberFormatOptions): string {
  const args = [intlTag[current().locale], options] as const;
  return cached('number', args, () => new Intl.NumberFormat(...args)).format(value);
}
