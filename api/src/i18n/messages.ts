import { readdirSync, readFileSync } from 'node:fs';
import { Locale } from '../users/user.entity.js';

/**
 * The web's message catalogues (`web/src/lib/i18n/messages/<locale>/<feature>.json`), read once: the
 * files the API writes (exports, releases) say an enum value or a heading in the same words as the pages.
 * Their own words (column headers, report headings) are in `files.json`, which the web does not send to
 * browsers. The path is the same from `src` and from `dist`.
 */
const CATALOGUES = new URL('../../../web/src/lib/i18n/messages/', import.meta.url);

let catalogues: Map<Locale, Map<string, string>> | undefined;

function load(): Map<Locale, Map<string, string>> {
  const all = new Map<Locale, Map<string, string>>();
  for (const locale of Object.values(Locale)) {
    const messages = new Map<string, string>();
    const folder = new URL(`${locale}/`, CATALOGUES);
    for (const file of readdirSync(folder).filter((f) => f.endsWith('.json'))) {
      const feature = file.slice(0, -'.json'.length);
      const entries = JSON.parse(readFileSync(new URL(file, folder), 'utf8')) as Record<string, string>;
      for (const [key, text] of Object.entries(entries)) messages.set(`${feature}.${key}`, text);
    }
    all.set(locale, messages);
  }
  return all;
}

/**
 * The message `key` (`<feature>.<name>`, as the web names it) in `locale`. Files take plain messages only:
 * one with ICU arguments, or a missing one, is a mistake the catalogue test catches, so it throws.
 */
export function message(locale: Locale, key: string): string {
  catalogues ??= load();
  const text = catalogues.get(locale)?.get(key);
  if (text === undefined) throw new Error(`No ${locale} message ${key} in the catalogues`);
  if (text.includes('{')) throw new Error(`The ${locale} message ${key} takes arguments; a file label must be plain`);
  return text;
}

/** `message` for each of `names` under `prefix`: `messages(l, 'consultation.type', ['GENERAL'])` → `{ GENERAL: 'General' }`. */
export function messages<K extends string>(locale: Locale, prefix: string, names: readonly K[]): Record<K, string> {
  return Object.fromEntries(names.map((name) => [name, message(locale, `${prefix}.${name}`)])) as Record<K, string>;
}

/**
 * The message `key` in `locale` with its simple arguments filled in (`{percent}` → 80): for sentences
 * the API states itself, such as a certification scheme's rule. Plural and select forms are the web's.
 */
export function formatMessage(locale: Locale, key: string, values: Record<string, string | number>): string {
  catalogues ??= load();
  const text = catalogues.get(locale)?.get(key);
  if (text === undefined) throw new Error(`No ${locale} message ${key} in the catalogues`);
  return text.replace(/\{(\w+)\}/g, (_, name: string) => {
    if (!(name in values)) throw new Error(`The ${locale} message ${key} needs ${name}`);
    return String(values[name]);
  });
}
