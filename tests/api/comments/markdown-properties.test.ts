import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { resolveAnchor } from '../../../api/src/comments/anchor.js';
import type { AnchorInput } from '../../../api/src/comments/comment.inputs.js';
import { MAX_BODY } from '../../../api/src/comments/comment.inputs.js';
import { MAX_MARKDOWN_NESTING, renderMarkdown } from '../../../api/src/comments/markdown.js';
import { DomainError, Refusal } from '../../../api/src/errors.js';
import { IndicatorField, INDICATOR_FIELDS } from '../../../api/src/indicators/indicator-field.js';
import { LOCALES } from '../../../api/src/i18n/localized-text.js';
import { Locale } from '../../../api/src/users/user.entity.js';

/**
 * Generated hostile input for the Markdown renderer (every comment, reply, edit and disposition
 * response goes through it) and for the anchor matcher. Whatever arrives under the size limit must
 * not throw (but for the renderer's one refusal, MARKDOWN_TOO_DEEP), must take at most 50 ms (see
 * `expectWithinBound` for a slow machine), and must come out as HTML that runs nothing.
 *
 * The normal suite runs a few hundred cases per property from a fixed seed; `npm run fuzz` runs
 * FUZZ_RUNS cases from a fresh seed (or FUZZ_SEED) and reports the cases and the time.
 */
const FUZZ_RUNS = Number(process.env.FUZZ_RUNS ?? 0);
const FUZZ_SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);
const settings = (normalRuns: number) => (FUZZ_RUNS > 0 ? { numRuns: FUZZ_RUNS, seed: FUZZ_SEED } : { numRuns: normalRuns, seed: 20261204 });
const TIMEOUT = FUZZ_RUNS > 0 ? 6 * 3_600_000 : 120_000;

/** The bound the issue sets on one input, in milliseconds of the renderer's own work. */
const BOUND_MS = 50;

/**
 * The renderer's own work on one input, from above: neither its wall time (which other processes
 * on a shared machine stretch) nor this process's CPU time (which counts V8's helper threads too:
 * parallel garbage collection showed 84 ms of CPU for a render of 13 ms) can be less than the
 * work of the thread that ran it, so the lesser of the two bounds it closest.
 */
function workMs(run: () => void): number {
  const cpu = process.cpuUsage();
  const started = performance.now();
  run();
  const wall = performance.now() - started;
  const { user, system } = process.cpuUsage(cpu);
  return Math.min(wall, (user + system) / 1000);
}

/** Ordinary dense Markdown as long as the longest input, which any machine renders well within the bound. */
const LINE = '- **Indicador GEN-01**: *medir* la cartera de [la guía](https://example.org/guia) y `código` > nota\n';
const ORDINARY = LINE.repeat(Math.ceil(MAX_BODY / LINE.length)).slice(0, MAX_BODY);
/** How many times ordinary Markdown's cost hostile input may take: linear inputs stay near 3–5. */
const ORDINARY_TIMES = 8;

/**
 * Whether one input stays within the bound: first its cost, and over the bound the least of five
 * more runs, since a collection or a cold regular expression shows once and a blow-up every time.
 * Still over, the bound stretches with how slow the machine is at that moment (a shared machine's
 * neighbours slowed ordinary Markdown threefold for seconds here): the input may cost up to
 * ORDINARY_TIMES the same length of ordinary Markdown, measured then. A blow-up grows with the
 * length and passes neither.
 */
function expectWithinBound(run: () => void, what?: string): number {
  let ms = workMs(run);
  for (let i = 0; ms > BOUND_MS && i < 5; i++) ms = Math.min(ms, workMs(run));
  if (ms <= BOUND_MS) return ms;
  const ordinary = Math.min(...Array.from({ length: 3 }, () => workMs(() => renderMarkdown(ORDINARY, 'body'))));
  expect(ms, `${what ?? ''} (ordinary Markdown of ${ORDINARY.length} characters took ${ordinary.toFixed(1)} ms)`).toBeLessThanOrEqual(Math.max(BOUND_MS, ORDINARY_TIMES * ordinary));
  return ms;
}

/**
 * Runs one property; `predicate` checks one value and returns what it cost. A fuzz run then says
 * how many cases it took, how long, and which case cost most (measured again, the least of five).
 */
function check<T>(name: string, arbitrary: fc.Arbitrary<T>, predicate: (value: T) => number, normalRuns: number, costliest?: (value: T) => number) {
  let worst: { ms: number; value: T } | undefined;
  const started = performance.now();
  const options = settings(normalRuns);
  fc.assert(
    fc.property(arbitrary, (value) => {
      const ms = predicate(value);
      if (!worst || ms > worst.ms) worst = { ms, value };
    }),
    options,
  );
  if (FUZZ_RUNS > 0) {
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    const again = worst && costliest ? ` (${Math.min(...Array.from({ length: 5 }, () => costliest(worst!.value))).toFixed(1)} ms measured again), ${JSON.stringify(worst.value).slice(0, 100)}` : '';
    console.log(`${name}: ${options.numRuns} cases (seed ${options.seed}) in ${seconds} s; costliest case ${worst?.ms.toFixed(1)} ms${again}`);
  }
}

// --- hostile Markdown ---

/** Pieces that mean something to Markdown, to HTML or to a URL, and a little text. */
const PIECES = [
  '>', '> ', '-', '- ', '* ', '+ ', '1. ', '9) ', '- [ ] ', ' ', '  ', '    ', '\t', '\n', '\n\n', ' \n', '\\\n',
  '*', '**', '***', '_', '__', '~', '~~', '`', '``', '```', '~~~', '[', ']', '(', ')', '![', '](', '[x]: ', '"', "'",
  '<', '>', '</', '/>', '&', '&#', '&#x', ';', '&amp;', '&lt;', '#', '# ', '|', '|-|', '| --- |', '---', '===', '\\', '!', ':', '@', '.', '=',
  'a', 'x', 'é', ' palabra ', '👩🏽‍🌾', '\u202E', '\u0000', '\u00A0',
  'http://', 'https://example.org/', 'www.', 'mailto:', 'a@b.co', 'javascript:', 'JaVaScRiPt:', 'java\tscript:', '&#106;avascript:', 'vbscript:', 'data:text/html,',
  '<script>', '</script>', '<img src=x onerror=alert(1)>', '<a href="javascript:alert(1)">', '<svg onload=alert(1)>', ' onmouseover=', '<iframe src=',
  '<style>', '<!--', '-->', '<![CDATA[', '<div>', '<p>', '<pre>', '<textarea>', '<noscript>', '<math>', '<a href=',
];
const piece = fc.constantFrom(...PIECES);
const clip = (s: string) => s.slice(0, MAX_BODY);

/** A few pieces, repeated up to the size limit: where a parser is quadratic, this shows it. */
const repeated = fc
  .tuple(fc.array(piece, { minLength: 1, maxLength: 4 }), fc.integer({ min: 1, max: MAX_BODY }))
  .map(([unit, n]) => {
    const text = unit.join('');
    return clip(text.repeat(Math.min(n, Math.ceil(MAX_BODY / text.length))));
  });

/** Openers around a middle, with their closers: quotes, lists, emphasis and links inside one another. */
const OPENERS: Array<[string, string]> = [
  ['>', ''], ['> ', ''], ['- ', ''], ['* ', ''], ['1. ', ''], ['> - ', ''], ['  - ', ''],
  ['*', '*'], ['_', '_'], ['**', '**'], ['*_', '_*'], ['~~', '~~'], ['[', '](http://x)'], ['![', '](x)'], ['[*', '*](u)'], ['<em>', '</em>'], ['(', ')'],
];
const nested = fc
  .tuple(fc.constantFrom(...OPENERS), fc.integer({ min: 1, max: MAX_BODY / 2 }), fc.array(piece, { maxLength: 5 }))
  .map(([[open, close], depth, middle]) => clip(`${open.repeat(depth)}${middle.join('') || 'word'}${close.repeat(depth)}`));

/** Lines nested by indentation, each one level deeper (or not) than the last. */
const indented = fc
  .array(fc.tuple(fc.nat(40), fc.constantFrom('- ', '1. ', '> ', '* ', '')), { maxLength: 400, size: 'max' })
  .map((lines) => clip(lines.map(([indent, marker]) => `${' '.repeat(indent)}${marker}x`).join('\n')));

const hostileMarkdown = fc.oneof(
  fc.array(piece, { maxLength: 300, size: 'max' }).map((p) => clip(p.join(''))),
  repeated,
  nested,
  indented,
  fc.array(fc.oneof(repeated.map((s) => s.slice(0, 2000)), nested.map((s) => s.slice(0, 2000)), fc.string({ unit: 'grapheme', maxLength: 50 })), { maxLength: 6 }).map((parts) => clip(parts.join(''))),
  fc.string({ unit: 'binary', maxLength: 2000 }),
);

const ALLOWED_TAGS = new Set(['p', 'br', 'strong', 'em', 'del', 'code', 'pre', 'blockquote', 'ul', 'ol', 'li', 'a', 'h3', 'h4', 'h5', 'h6', 'hr', 'table', 'thead', 'tbody', 'tr', 'th', 'td']);
const ALLOWED_ATTRIBUTES: Record<string, string[]> = { a: ['href', 'title', 'rel'], ol: ['start'], th: ['align'], td: ['align'] };

const decodeEntities = (value: string) =>
  value
    .replace(/&#x([0-9a-f]+);?/gi, (_, hex: string) => String.fromCodePoint(Number.parseInt(hex, 16)))
    .replace(/&#(\d+);?/g, (_, dec: string) => String.fromCodePoint(Number(dec)))
    .replace(/&colon;/gi, ':')
    .replace(/&tab;/gi, '\t')
    .replace(/&newline;/gi, '\n')
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

/**
 * What in this HTML could run script, read as a browser reads it: any element or attribute outside
 * the allowed lists (so no script, no event handler), and any link whose scheme, once entities,
 * spaces and control characters are gone, is not http, https or mailto.
 */
function executable(html: string): string | null {
  for (const [tag, name, attributes] of html.matchAll(/<\/?([^\s/>]+)([^>]*)>/g)) {
    if (!ALLOWED_TAGS.has(name.toLowerCase())) return `the element ${tag}`;
    for (const [, attribute, value = ''] of attributes.matchAll(/\s([^\s=/]+)(?:="([^"]*)")?/g)) {
      if (!ALLOWED_ATTRIBUTES[name]?.includes(attribute)) return `the attribute ${attribute} in ${tag}`;
      if (attribute === 'href') {
        const url = decodeEntities(value).replace(/[\s\u0000-\u001f]/g, '');
        const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1].toLowerCase();
        if (scheme && !['http', 'https', 'mailto'].includes(scheme)) return `the link ${tag}`;
        if (url.startsWith('//')) return `the protocol-relative link ${tag}`;
      }
    }
  }
  return null;
}

/** The renderer's answer to one text: its HTML, or its refusal; anything else thrown fails the property. */
function render(source: string): { html: string } | { refused: string } {
  try {
    return { html: renderMarkdown(source, 'body') };
  } catch (err) {
    if (err instanceof DomainError && err.code === 'BAD_USER_INPUT' && err.details.reason === Refusal.MARKDOWN_TOO_DEEP) {
      return { refused: err.details.fields?.[0]?.field ?? '' };
    }
    throw err;
  }
}

describe('the Markdown renderer, fed generated hostile text under the size limit', () => {
  it('never throws but to refuse nesting too deep, stays within 50 ms, and writes HTML that runs nothing', () => {
    check(
      'renderer',
      hostileMarkdown,
      (source) => {
        let answer: ReturnType<typeof render> | undefined;
        const ms = expectWithinBound(() => (answer = render(source)), `${source.length} characters starting ${JSON.stringify(source.slice(0, 80))}`);
        if (answer && 'html' in answer) expect(executable(answer.html), answer.html.slice(0, 300)).toBeNull();
        else expect(answer).toEqual({ refused: 'body' });
        return ms;
      },
      300,
      (source) => workMs(() => render(source)),
    );
  }, TIMEOUT);

  it('refuses exactly what nests deeper than the bound: quotes, lists, emphasis and links', () => {
    const structure = fc.constantFrom(
      { open: '> ', close: '' },
      { open: '- ', close: '' },
      { open: '1. ', close: '' },
      { open: '> - ', close: '', levels: 2 },
      { open: '*a _a ', close: ' a_ a*', levels: 2 },
      { open: '**a __a ', close: ' a__ a**', levels: 2 },
      { open: '~~a *a ', close: ' a* a~~', levels: 2 },
    );
    check(
      'nesting bound',
      fc.tuple(structure, fc.integer({ min: 1, max: 3 * MAX_MARKDOWN_NESTING })),
      ([{ open, close, levels = 1 }, times]) => {
        const answer = render(`${open.repeat(times)}palabra${close.repeat(times)}`);
        if (times * levels <= MAX_MARKDOWN_NESTING) expect(answer).toHaveProperty('html');
        else expect(answer).toEqual({ refused: 'body' });
        return 0;
      },
      200,
    );
  });

  it('renders what people write: emphasis, lists, quotes and links, with safe links only', () => {
    expect(renderMarkdown('**personas** y *zonas*\n\n- uno\n- dos\n\n> cita\n\n[guía](https://example.org/g)', 'body')).toBe(
      '<p><strong>personas</strong> y <em>zonas</em></p>\n<ul>\n<li>uno</li>\n<li>dos</li>\n</ul>\n<blockquote>\n<p>cita</p>\n</blockquote>\n<p><a href="https://example.org/g" rel="nofollow noopener noreferrer">guía</a></p>',
    );
    expect(renderMarkdown('[x](javascript:alert(1)) <img src=x onerror=alert(1)>', 'body')).toBe('<p><a rel="nofollow noopener noreferrer">x</a> </p>');
    expect(renderMarkdown('Fuente: https://example.org/informe.', 'body')).toBe(
      '<p>Fuente: <a href="https://example.org/informe" rel="nofollow noopener noreferrer">https://example.org/informe</a>.</p>',
    );
  });
});

// --- the anchor matcher ---

const texts = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 400 }),
  fc.string({ unit: 'binary', maxLength: 400 }),
  fc.tuple(fc.array(fc.constantFrom('a', 'b', 'é', '👩🏽‍🌾', ' ', '\n', '𝒜'), { minLength: 1, maxLength: 3 }), fc.integer({ min: 1, max: 20_000 })).map(([unit, n]) => unit.join('').repeat(n).slice(0, 20_000)),
);

/** An anchor asked of a text: a passage of it, near it or not in it, with offsets right, wrong or absent. */
const anchorCase = texts.chain((text) => {
  const passage = fc.tuple(fc.nat(text.length), fc.nat(5000)).map(([start, length]) => ({ start, exact: text.slice(start, start + length) }));
  const offsets = (start: number, exact: string) =>
    fc.oneof(
      fc.constant({}),
      fc.constant({ start, end: start + exact.length }),
      fc.record({ start: fc.integer({ min: -2, max: text.length + 2 }), end: fc.integer({ min: -2, max: text.length + 2 }) }),
      fc.record({ start: fc.option(fc.nat(text.length)), end: fc.option(fc.nat(text.length)) }),
    );
  const exact: fc.Arbitrary<Partial<AnchorInput>> = fc.oneof(
    passage.chain(({ start, exact }) => offsets(start, exact).map((o) => ({ exact, ...o }))),
    fc.tuple(fc.oneof(fc.string({ unit: 'binary', maxLength: 50 }), fc.constantFrom('', 'a'.repeat(4999) + 'b', 'b' + 'a'.repeat(4999))), offsets(0, '')).map(([exact, o]) => ({ exact, ...o })),
    fc.constant({ exact: null }),
  );
  return fc.tuple(fc.constant(text), fc.constantFrom(...INDICATOR_FIELDS), fc.constantFrom(...LOCALES), exact);
});

/** The matcher's answer: the anchor, or its refusal; anything else thrown fails the property. */
function anchorFor(text: string, field: IndicatorField, language: Locale, asked: Partial<AnchorInput>) {
  try {
    return resolveAnchor({ [field]: { [language]: text } }, { field, language, ...asked });
  } catch (err) {
    if (err instanceof DomainError) return err;
    throw err;
  }
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

describe('the anchor matcher, fed generated passages and offsets', () => {
  it('answers a whole, storable anchor or a clear refusal, within 50 ms', () => {
    check(
      'anchor matcher',
      anchorCase,
      ([text, field, language, asked]) => {
        let outcome: ReturnType<typeof anchorFor> | undefined;
        const ms = expectWithinBound(() => (outcome = anchorFor(text, field, language, asked)));
        if (outcome instanceof DomainError) {
          expect(outcome.code).toBe('BAD_USER_INPUT');
          expect(['ANCHOR_MISMATCH', 'ANCHOR_FIELD_EMPTY']).toContain(outcome.details.reason);
          return ms;
        }
        const anchor = outcome!;
        expect(anchor).toMatchObject({ field, language });
        if (anchor.exact === null) {
          expect(anchor).toMatchObject({ prefix: null, suffix: null, start: null, end: null });
          return ms;
        }
        const { start, end, prefix, suffix, exact } = anchor as { start: number; end: number; prefix: string; suffix: string; exact: string };
        expect(text.slice(start, end)).toBe(exact);
        if (asked.start != null) expect(start).toBe(asked.start);
        expect(text.slice(start - prefix.length, start)).toBe(prefix);
        expect(text.slice(end, end + suffix.length)).toBe(suffix);
        expect(prefix.length).toBeLessThanOrEqual(32);
        expect(suffix.length).toBeLessThanOrEqual(32);
        // PostgreSQL's jsonb refuses a lone surrogate: a quote that is whole text must give whole context.
        if (!LONE_SURROGATE.test(text)) expect(LONE_SURROGATE.test(prefix + exact + suffix), JSON.stringify({ prefix, suffix })).toBe(false);
        return ms;
      },
      300,
      ([text, field, language, asked]) => workMs(() => anchorFor(text, field, language, asked)),
    );
  }, TIMEOUT);

  it('keeps an emoji whole when the context would cut it in two', () => {
    const text = `${'👩🏽‍🌾'.repeat(10)} las prestatarias rurales ${'🇵🇪'.repeat(10)}`;
    const exact = 'prestatarias';
    const anchor = resolveAnchor({ [IndicatorField.STATEMENT]: { [Locale.ES]: text } }, { field: IndicatorField.STATEMENT, language: Locale.ES, exact } as AnchorInput);
    expect(LONE_SURROGATE.test(anchor.prefix ?? '')).toBe(false);
    expect(LONE_SURROGATE.test(anchor.suffix ?? '')).toBe(false);
    expect(anchor.prefix!.length).toBeGreaterThan(28);
  });
});
