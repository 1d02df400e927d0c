import MarkdownIt, { type Token } from 'markdown-it';
import sanitizeHtml from 'sanitize-html';
import { badInput, Refusal } from '../errors.js';

/**
 * How deep Markdown may nest: quotes and list items inside one another, and inside a paragraph
 * emphasis, strikethrough and links inside one another. A real comment stays within a handful;
 * thousands (4,000 `>`) once overflowed the stack.
 */
export const MAX_MARKDOWN_NESTING = 16;

/**
 * CommonMark with GFM's tables and strikethrough, line breaks kept and bare web addresses linked.
 * markdown-it parses in time linear in the text (marked took a second on 10,000 characters of
 * `*a *a …`). Past its own nesting limit it drops the rest of a container: a list level takes two
 * of its levels (list and item), so the limit leaves room to see one level more than allowed and
 * refuse the text rather than cut it.
 */
const markdown = new MarkdownIt('default', { html: true, linkify: false, breaks: true, maxNesting: 2 * MAX_MARKDOWN_NESTING + 4 });
// Raw HTML and every link go on to sanitize-html, the one judge of what is safe: markdown-it's own
// link check would print a refused link as its raw Markdown.
markdown.validateLink = () => true;

/**
 * How deep a link's text is searched for links inside it before giving up. Looking for a `[`'s
 * closing `]`, markdown-it tries every `[` on the way as a link of its own, down to its nesting
 * limit (36 here, set for quotes and lists), where it gives up on the rest of the text. On the
 * generated 10,000 characters of `[*` the Markdown tests found, parsing took 39 ms of CPU and the
 * whole render 61 ms; giving up at 4 deep, 16 ms and 28 ms. A link's text holds links one deep at
 * most (an image in a link), so no real comment changes.
 */
const LINK_SEARCH_DEPTH = 4;
// Only while searching (silent); past the depth a `[` or `![` ends the search as markdown-it's own limit does.
markdown.inline.ruler.before('link', 'link_search_depth', (state, silent) => {
  if (!silent || state.level < LINK_SEARCH_DEPTH) return false;
  const at = state.pos;
  if (state.src.charCodeAt(at) !== 0x5b && !(state.src.charCodeAt(at) === 0x21 && state.src.charCodeAt(at + 1) === 0x5b)) return false;
  state.pos = state.posMax;
  return true;
});

/** A bare web address, up to a space or a quote; punctuation that ends a sentence is not part of it. */
const BARE_ADDRESS = /\bhttps?:\/\/[^\s<>"'`]+/gi;
const SENTENCE_END = /[.,;:!?)\]}*_~]+$/;

// Bare addresses are linked, as GFM links them, in one pass over the text (markdown-it's linkify,
// through linkify-it, took 0.1 s on 8,000 characters of addresses run together).
markdown.core.ruler.after('inline', 'bare_addresses', (state) => {
  for (const block of state.tokens) {
    if (block.type !== 'inline' || !block.children) continue;
    const children: Token[] = [];
    let inLink = 0;
    for (const token of block.children) {
      if (token.type === 'link_open') inLink++;
      if (token.type === 'link_close') inLink--;
      if (token.type !== 'text' || inLink > 0 || !token.content.includes('://')) {
        children.push(token);
        continue;
      }
      let done = 0;
      const text = (content: string) => Object.assign(new state.Token('text', '', 0), { content });
      for (const match of token.content.matchAll(BARE_ADDRESS)) {
        const address = match[0].replace(SENTENCE_END, '');
        if (match.index > done) children.push(text(token.content.slice(done, match.index)));
        const open = new state.Token('link_open', 'a', 1);
        open.attrs = [['href', address]];
        children.push(open, text(address), new state.Token('link_close', 'a', -1));
        done = match.index + address.length;
      }
      if (done < token.content.length) children.push(text(token.content.slice(done)));
    }
    block.children = children;
  }
});

/** The deepest nesting of quotes and list items, or of emphasis, strikethrough and links in one paragraph. */
function deepestNesting(tokens: Token[]): number {
  let deepest = 0;
  let blocks = 0;
  for (const token of tokens) {
    if (token.type === 'blockquote_open' || token.type === 'list_item_open') deepest = Math.max(deepest, ++blocks);
    if (token.type === 'blockquote_close' || token.type === 'list_item_close') blocks--;
    let inline = 0;
    for (const child of token.children ?? []) {
      inline += child.nesting;
      deepest = Math.max(deepest, inline);
    }
  }
  return deepest;
}

/** The Markdown's tokens (markdown-it's), or null when it nests deeper than MAX_MARKDOWN_NESTING. */
export function markdownTokens(source: string): Token[] | null {
  const tokens = markdown.parse(source, {});
  return deepestNesting(tokens) > MAX_MARKDOWN_NESTING ? null : tokens;
}

const allowed: sanitizeHtml.IOptions = {
  allowedTags: ['p', 'br', 'strong', 'em', 'del', 'code', 'pre', 'blockquote', 'ul', 'ol', 'li', 'a', 'h3', 'h4', 'h5', 'h6', 'hr', 'table', 'thead', 'tbody', 'tr', 'th', 'td'],
  allowedAttributes: { a: ['href', 'title', 'rel'], ol: ['start'], th: ['align'], td: ['align'] },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  transformTags: {
    // Headings of a comment sit under the page's own; h1/h2 would break the outline.
    h1: 'h3',
    h2: 'h4',
    s: 'del',
    a: (tagName, attribs) => ({ tagName, attribs: { ...attribs, rel: 'nofollow noopener noreferrer' } }),
  },
};

/**
 * Markdown as written → HTML with nothing executable left: no script, no event handler, no
 * javascript: URL. Text nested deeper than MAX_MARKDOWN_NESTING is refused as BAD_USER_INPUT on
 * `field` (MARKDOWN_TOO_DEEP).
 */
export function renderMarkdown(source: string, field: string): string {
  const tokens = markdownTokens(source);
  if (!tokens) {
    throw badInput(field, `${field} nests Markdown more than ${MAX_MARKDOWN_NESTING} levels deep (quotes, lists, emphasis or links inside one another)`, Refusal.MARKDOWN_TOO_DEEP);
  }
  return sanitizeHtml(markdown.renderer.render(tokens, markdown.options, {}), allowed).trim();
}
