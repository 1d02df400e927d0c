import { createRequire } from 'node:module';
import { dirname } from 'node:path';

const require = createRequire(import.meta.url);

/** Where pdfmake keeps Roboto: the report reads no other file. */
export const FONT_DIR = `${dirname(require.resolve('pdfmake/package.json'))}/fonts/Roboto/`;

/** Roboto, embedded in every report: it has every letter of Spanish, Portuguese and French (á, ñ, ç, ã, œ…). */
export const REPORT_FONTS = {
  Roboto: {
    normal: `${FONT_DIR}Roboto-Regular.ttf`,
    bold: `${FONT_DIR}Roboto-Medium.ttf`,
    italics: `${FONT_DIR}Roboto-Italic.ttf`,
    bolditalics: `${FONT_DIR}Roboto-MediumItalic.ttf`,
  },
};

let covered: Set<number> | undefined;

function characterSet(file: string): Set<number> {
  // Required here, not imported: fontkit adds about 20 MB to a process that may never draw a PDF.
  const { openSync } = require('fontkit') as typeof import('fontkit');
  const font = openSync(file);
  if (!('characterSet' in font)) throw new Error(`${file} is a font collection, not one font`);
  return new Set(font.characterSet);
}

/** The code points every face of the report's font draws (the faces hold the same set, but a text may take any face). */
function coverage(): Set<number> {
  if (covered) return covered;
  const [first, ...others] = Object.values(REPORT_FONTS.Roboto).map(characterSet);
  return (covered = new Set([...first].filter((cp) => others.every((face) => face.has(cp)))));
}

const graphemes = new Intl.Segmenter('und', { granularity: 'grapheme' });
const SPACE = /[\t\p{Zs}]/u;
const NO_BREAK_SPACE = /[\u2007\u202F]/;
const LINE_BREAK = /[\u2028\u2029]/;
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Mn}]/u;

/**
 * `text` as the report's font can draw it, so nothing prints as an empty box. Decomposed accents
 * are composed (NFC); spaces the font lacks become one it has (the narrow no-break space of French
 * numbers, a no-break space); invisible marks it lacks (controls, joiners, direction marks, combining
 * marks left over) are left out; a character it cannot draw (an emoji, a script it does not cover)
 * prints once, as �.
 */
export function printable(text: string): string {
  const font = coverage();
  const composed = text.normalize('NFC').replace(/\r\n?/g, '\n');
  let whole = true;
  for (const ch of composed) {
    if (ch !== '\n' && !font.has(ch.codePointAt(0)!)) {
      whole = false;
      break;
    }
  }
  if (whole) return composed;
  let out = '';
  for (const { segment } of graphemes.segment(composed)) {
    let drawn = '';
    let lacking = false;
    for (const ch of segment) {
      if (ch === '\n' || font.has(ch.codePointAt(0)!)) drawn += ch;
      else if (SPACE.test(ch)) drawn += NO_BREAK_SPACE.test(ch) ? '\u00A0' : ' ';
      else if (LINE_BREAK.test(ch)) drawn += '\n';
      else if (!INVISIBLE.test(ch)) lacking = true;
    }
    out += lacking ? '\uFFFD' : drawn;
  }
  return out;
}

/**
 * A pdfmake document's content with every text it draws made printable: strings, `text` runs,
 * stacks, lists, columns, table cells and the contents title.
 */
export function drawable(node: unknown): unknown {
  if (typeof node === 'string') return printable(node);
  if (Array.isArray(node)) return node.map(drawable);
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = { ...node };
  for (const key of ['text', 'stack', 'ul', 'ol', 'columns']) if (key in out) out[key] = drawable(out[key]);
  const table = out.table as { body: unknown[][] } | undefined;
  if (table) out.table = { ...table, body: table.body.map((row) => row.map(drawable)) };
  const toc = out.toc as { title?: unknown } | undefined;
  if (toc?.title) out.toc = { ...toc, title: drawable(toc.title) };
  return out;
}
