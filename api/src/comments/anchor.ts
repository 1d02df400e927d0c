import { badInput } from '../errors.js';
import type { IndicatorTexts } from '../indicators/indicator-field.js';
import type { CommentAnchor } from './comment.entity.js';
import type { AnchorInput } from './comment.inputs.js';

/** How much text before and after the quote is kept (W3C TextQuoteSelector prefix and suffix). */
const CONTEXT = 32;

/**
 * Checks an anchor against the version's text and completes it. With offsets, the quote must be
 * exactly there; without, it must occur in the field (the first occurrence is taken). The prefix
 * and suffix are always taken from the text itself, never from the client.
 */
export function resolveAnchor(texts: IndicatorTexts, input: AnchorInput): CommentAnchor {
  const text = texts[input.field]?.[input.language];
  if (text === undefined || text === '') {
    throw badInput('anchor', `This version has no ${input.field} text in ${input.language}`, 'ANCHOR_FIELD_EMPTY');
  }
  const exact = input.exact ?? null;
  if (exact === null || exact === '') {
    if (input.start != null || input.end != null) throw badInput('anchor', 'Offsets need the quoted passage', 'ANCHOR_MISMATCH');
    return { field: input.field, language: input.language, exact: null, prefix: null, suffix: null, start: null, end: null };
  }
  let start: number;
  if (input.start != null || input.end != null) {
    if (input.start == null || input.end == null || input.end - input.start !== exact.length || text.slice(input.start, input.end) !== exact) {
      throw badInput('anchor', 'The quoted passage is not at those offsets in that field', 'ANCHOR_MISMATCH');
    }
    start = input.start;
  } else {
    start = text.indexOf(exact);
    if (start < 0) throw badInput('anchor', 'The quoted passage is not in that field', 'ANCHOR_MISMATCH');
  }
  const end = start + exact.length;
  return {
    field: input.field,
    language: input.language,
    exact,
    prefix: text.slice(wholeCharacterAt(text, Math.max(0, start - CONTEXT), 1), start),
    suffix: text.slice(end, wholeCharacterAt(text, Math.min(text.length, end + CONTEXT), -1)),
    start,
    end,
  };
}

/**
 * `offset`, or one code unit further in `direction` when it falls between the two halves of a
 * character outside the BMP (an emoji): half a character is not text, and jsonb refuses it.
 */
function wholeCharacterAt(text: string, offset: number, direction: 1 | -1): number {
  const low = text.charCodeAt(offset);
  const high = text.charCodeAt(offset - 1);
  return low >= 0xdc00 && low <= 0xdfff && high >= 0xd800 && high <= 0xdbff ? offset + direction : offset;
}
