import type { IndicatorField, Locale as ApiLocale } from '$lib/graphql/generated';
import { flatKey, indicatorFields, type FlatTexts } from '$lib/components/frameworks/fields';
import { fromApiLocale, locales, type Locale } from '$lib/i18n/locales';

/** Where a comment points: a field in a language, with the quoted passage when it quotes one. */
export interface TakeUpAnchor {
  field: IndicatorField;
  language: ApiLocale;
  exact?: string | null;
  start?: number | null;
}

/** The draft key (`STATEMENT.es`) a comment's proposed text goes to. */
export const keyOf = (anchor: TakeUpAnchor) => flatKey(anchor.field, fromApiLocale(anchor.language));

/**
 * The field's text with a comment's proposed text taken up. A comment on a passage proposes words
 * for that passage: they replace it where the comment found it (its offsets), or else where the
 * draft still has it. A comment on the whole field, or whose passage the draft no longer holds,
 * proposes the field's text: it replaces the field.
 */
export function takeUp(text: string, anchor: TakeUpAnchor, proposed: string): string {
  const exact = anchor.exact;
  if (!exact) return proposed;
  const at = anchor.start != null && text.slice(anchor.start, anchor.start + exact.length) === exact ? anchor.start : text.indexOf(exact);
  return at < 0 ? proposed : text.slice(0, at) + proposed + text.slice(at + exact.length);
}

/**
 * The draft's text boxes: each field in every language the consulted version has for it, and in the
 * framework's source language always (where a title must be). A language the version lacks is left
 * alone, so the revision keeps it as it is.
 */
export function draftKeys(pinned: FlatTexts, source: Locale): { field: IndicatorField; languages: Locale[] }[] {
  return indicatorFields.map(({ field }) => ({
    field,
    languages: locales.filter((l) => l === source || (pinned[flatKey(field, l)] ?? '') !== ''),
  }));
}

/** The texts the form holds, as the API's input: only the boxes shown (an emptied one as '', which clears it). */
export function shownInput(texts: FlatTexts, keys: ReturnType<typeof draftKeys>) {
  const input: Record<string, Record<string, string>> = {};
  for (const { field, languages } of keys) {
    const name = indicatorFields.find((f) => f.field === field)!.input;
    input[name] = Object.fromEntries(languages.map((l) => [l, texts[flatKey(field, l)] ?? '']));
  }
  return input;
}
