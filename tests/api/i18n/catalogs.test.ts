import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse, type MessageFormatElement } from '@formatjs/icu-messageformat-parser';
import { describe, expect, test } from 'vitest';
import { AUDIT_ACTIONS } from '../../../api/src/audit/audit-actions.js';
import { Locale } from '../../../api/src/users/user.entity.js';
import { Refusal } from '../../../api/src/errors.js';

const MESSAGES = fileURLToPath(new URL('../../../web/src/lib/i18n/messages/', import.meta.url));
// The API's languages: the catalogues must speak exactly these.
const LOCALES: string[] = Object.values(Locale);

/** Every catalog as `<feature>.<key>` → text, per locale. */
function catalogs(): Record<string, Record<string, unknown>> {
  const all: Record<string, Record<string, unknown>> = {};
  for (const locale of readdirSync(MESSAGES)) {
    all[locale] = {};
    for (const file of readdirSync(`${MESSAGES}${locale}`).filter((f) => f.endsWith('.json'))) {
      const messages = JSON.parse(readFileSync(`${MESSAGES}${locale}/${file}`, 'utf8')) as Record<string, unknown>;
      for (const [key, text] of Object.entries(messages)) all[locale][`${file.replace(/\.json$/, '')}.${key}`] = text;
    }
  }
  return all;
}

describe('the message catalogs', () => {
  const all = catalogs();
  const keys = [...new Set(Object.values(all).flatMap((c) => Object.keys(c)))].sort();

  test('exist for Spanish, English, Portuguese and French, and for no other language', () => {
    expect(Object.keys(all).sort()).toEqual([...LOCALES].sort());
  });

  test.each(LOCALES)('%s has every key that any language has', (locale) => {
    expect(keys.filter((k) => !(k in all[locale]))).toEqual([]);
  });

  test.each(LOCALES)('%s has no empty or non-text message', (locale) => {
    expect(Object.entries(all[locale]).filter(([, text]) => typeof text !== 'string' || !text.trim()).map(([k]) => k)).toEqual([]);
  });

  test.each(LOCALES)('every %s message is valid ICU MessageFormat', (locale) => {
    const broken = Object.entries(all[locale]).flatMap(([key, text]) => {
      try {
        parse(String(text));
        return [];
      } catch (err) {
        return [`${key}: ${(err as Error).message}`];
      }
    });
    expect(broken).toEqual([]);
  });

  test.each(LOCALES.filter((l) => l !== 'es'))('%s uses the same ICU arguments as Spanish in every message', (locale) => {
    const args = (text: string) => [...argumentsOf(parse(text))].sort();
    const differing = keys.filter((k) => typeof all.es[k] === 'string' && typeof all[locale][k] === 'string' && args(all.es[k] as string).join() !== args(all[locale][k] as string).join());
    expect(differing).toEqual([]);
  });

  // Words spelled the same in English and the other language; anything else identical to English is a
  // message somebody forgot to translate.
  const SAME_AS_ENGLISH: Record<string, string[]> = {
    es: ['Roles', 'General', 'Editorial', 'Final', 'FINAL', 'Total'],
    pt: ['E-mail', 'Editorial', 'Final', 'FINAL', 'Total'],
    fr: ['Consensus', 'quorum', '{count, plural, one {# participant} other {# participants}}', 'Consultations', 'Facilitation', 'version {number}', 'Format', 'Certification', 'Code', 'Notes', 'Version', 'Page', 'Total', 'Dates'],
  };
  test.each(['es', 'pt', 'fr'])('%s leaves no English prose untranslated', (locale) => {
    const words = (text: string) => /[a-z]{3,}/i.test(text.replace(/\{[^{}]*\}/g, ''));
    const english = keys.filter((k) => {
      const text = all[locale][k];
      return typeof text === 'string' && text === all.en[k] && words(text) && !SAME_AS_ENGLISH[locale].includes(text);
    });
    expect(english).toEqual([]);
  });

  test('name every action the audit log records, and no other', () => {
    const named = keys.filter((k) => k.startsWith('audit.action.')).map((k) => k.slice('audit.action.'.length));
    expect(named.sort()).toEqual([...AUDIT_ACTIONS].sort());
  });

  // The web words a refusal from errors.<REASON>, or from its feature's own `error.<REASON>` next to a field.
  test.each(LOCALES)('%s words every refusal reason the API can give', (locale) => {
    const worded = (reason: string) => Object.keys(all[locale]).some((key) => key === `errors.${reason}` || new RegExp(`\\.errors?\\.${reason}(\\.|$)`).test(key));
    expect(Object.values(Refusal).filter((reason) => !worded(reason))).toEqual([]);
  });
});

/** The argument names a parsed message uses, including inside plural and select branches. */
function argumentsOf(elements: MessageFormatElement[], names = new Set<string>()): Set<string> {
  for (const element of elements) {
    if ('value' in element && element.type !== 0 && typeof element.value === 'string') names.add(element.value);
    if ('options' in element) for (const option of Object.values(element.options)) argumentsOf(option.value, names);
    if ('children' in element) argumentsOf(element.children, names);
  }
  return names;
}
