import type { RequestContext } from '../context.js';
import { Locale } from '../users/user.entity.js';

const LOCALES = new Set<string>(Object.values(Locale));

/**
 * The languages a text is read in, best first: the one asked for (else the account's), then the
 * reader's other languages — the browser's Accept-Language list, then the account's language —
 * then the text's source language. A text shows in the first of these it has, and is marked as a
 * fallback in any but the first: an English speaker reading in Portuguese gets English before Spanish.
 */
export function readingLanguages(ctx: RequestContext, requested: Locale | null | undefined, source: Locale): Locale[] {
  const account = ctx.viewer?.user.language;
  const order = [requested ?? account ?? source, ...ctx.languages, ...(account ? [account] : []), source];
  return order.filter((language, i) => order.indexOf(language) === i);
}

/** The languages Consulta speaks in an Accept-Language header, by preference (`q`), each once. */
export function acceptedLanguages(header: string | undefined): Locale[] {
  if (!header) return [];
  const ranked = header
    .split(',')
    .slice(0, 32)
    .map((part) => {
      const [tag, ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { language: tag.trim().split('-')[0].toLowerCase(), q: q ? Number(q.slice(2)) || 0 : 1 };
    })
    .filter((r) => r.q > 0 && LOCALES.has(r.language))
    .sort((a, b) => b.q - a.q); // stable: equal weights keep the header's order
  return [...new Set(ranked.map((r) => r.language as Locale))];
}
