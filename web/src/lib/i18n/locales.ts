import type { Locale as ApiLocale } from '$lib/graphql/generated';

/** The languages Consulta speaks, in the order the language switch shows them. Spanish is the demo default. */
export const locales = ['es', 'en', 'pt', 'fr'] as const;
export type Locale = (typeof locales)[number];
export const defaultLocale: Locale = 'es';

// The API's GraphQL enum names the same languages in capitals (`ES`): these two are the only crossings, and the
// compiler checks through them that both lists name the same languages.
/** A locale as the API names it: `es` → `ES`. */
export const toApiLocale = (locale: Locale) => locale.toUpperCase() as Uppercase<Locale> satisfies ApiLocale;
/** A language the API named, as a locale: `ES` → `es`. */
export const fromApiLocale = (language: ApiLocale) => language.toLowerCase() as Lowercase<ApiLocale> satisfies Locale;

/** The explicit choice made with the language switch; it wins over the account and the browser. */
export const LOCALE_COOKIE = 'consulta_locale';
/** The browser's IANA time zone, written by the layout once JavaScript runs. */
export const TIME_ZONE_COOKIE = 'consulta_tz';

/** BCP 47 tags for Intl: Portuguese is Brazil's. */
export const intlTag: Record<Locale, string> = { es: 'es', en: 'en', pt: 'pt-BR', fr: 'fr' };

/** Each language's name in itself, for the switch. */
export const nativeName: Record<Locale, string> = { es: 'Español', en: 'English', pt: 'Português', fr: 'Français' };

export const isLocale = (value: unknown): value is Locale => typeof value === 'string' && (locales as readonly string[]).includes(value);

/** The best supported language in an Accept-Language header, or null. */
export function fromAcceptLanguage(header: string | null): Locale | null {
  if (!header) return null;
  const ranked = header
    .split(',')
    .map((part) => {
      const [tag, ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { lang: tag.trim().toLowerCase().split('-')[0], q: q ? Number(q.slice(2)) || 0 : 1 };
    })
    .filter((r) => r.q > 0)
    .sort((a, b) => b.q - a.q);
  return ranked.map((r) => r.lang).find(isLocale) ?? null;
}

/** A time zone Intl accepts, or undefined. */
export function validTimeZone(zone: string | undefined): string | undefined {
  if (!zone || zone.length > 64) return undefined;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return zone;
  } catch {
    return undefined;
  }
}
