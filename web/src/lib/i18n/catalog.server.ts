import type { Locale } from './locales.js';

export type Messages = Record<string, string>;

// Every catalog file, bundled into the server only: the browser receives the active locale's messages as page data.
// `files.json` holds what only the API's downloaded files say (column headers, report headings), and
// `mail.json` what only its e-mails say: never sent.
const files = import.meta.glob<Messages>(['./messages/*/*.json', '!./messages/*/files.json', '!./messages/*/mail.json'], { eager: true, import: 'default' });

/** Messages by locale, each key prefixed by its feature file: `auth.json`'s `title` is `auth.title`. */
const catalogs = new Map<string, Messages>();
for (const [path, messages] of Object.entries(files)) {
  const [, locale, feature] = /\.\/messages\/([^/]+)\/([^/]+)\.json$/.exec(path)!;
  const catalog = catalogs.get(locale) ?? {};
  for (const [key, text] of Object.entries(messages)) catalog[`${feature}.${key}`] = text;
  catalogs.set(locale, catalog);
}

export function messagesFor(locale: Locale): Messages {
  return catalogs.get(locale) ?? {};
}

export function hasMessage(key: string): boolean {
  return key in messagesFor('es');
}
