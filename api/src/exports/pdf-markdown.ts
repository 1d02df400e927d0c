import type { Token } from 'markdown-it';
import sanitizeHtml from 'sanitize-html';
import { markdownTokens } from '../comments/markdown.js';

/** A pdfmake node: plain data, as the document definition is. */
type Node = Record<string, unknown> | string;

const LINK = '#1d4ed8';
const MUTED = '#555555';
const PARAGRAPH = [0, 0, 0, 3];

/** Links a reader may follow from paper or a PDF viewer; others print as their text. */
const followable = (href: string) => /^(https?:|mailto:)/i.test(href);

/**
 * A comment or a response, written in Markdown, as pdfmake content: paragraphs, emphasis,
 * strikethrough, lists, quotes, code, tables and links, as the web shows them. A link prints its
 * address after its text, for paper. Raw HTML prints as its text, as sanitize-html leaves it on the
 * web. Text nested deeper than the renderer takes (stored before that bound) prints as written.
 */
export function markdownContent(source: string): Node[] {
  const tokens = markdownTokens(source);
  if (!tokens) return [{ text: source }];
  const root: Node[] = [];
  // Open containers (quotes, lists, items, tables, rows, cells), each collecting its nodes.
  const open: { token: Token | null; nodes: Node[] }[] = [{ token: null, nodes: root }];
  let paragraph: Token | null = null;
  let heading = false;
  for (const token of tokens) {
    const into = open.at(-1)!.nodes;
    switch (token.type) {
      case 'blockquote_open':
      case 'bullet_list_open':
      case 'ordered_list_open':
      case 'list_item_open':
      case 'table_open':
      case 'tr_open':
      case 'th_open':
      case 'td_open':
        open.push({ token, nodes: [] });
        break;
      case 'blockquote_close':
      case 'bullet_list_close':
      case 'ordered_list_close':
      case 'list_item_close':
      case 'table_close':
      case 'tr_close':
      case 'th_close':
      case 'td_close': {
        const closed = open.pop()!;
        open.at(-1)!.nodes.push(container(closed.token!, closed.nodes));
        break;
      }
      case 'paragraph_open':
        paragraph = token;
        break;
      case 'heading_open':
        heading = true;
        break;
      case 'heading_close':
        heading = false;
        break;
      case 'inline': {
        const text = runs(token.children ?? []);
        const spaced = paragraph && !paragraph.hidden;
        into.push({ text, ...(heading ? { bold: true } : {}), ...(spaced || heading ? { margin: PARAGRAPH } : {}) });
        paragraph = null;
        break;
      }
      case 'fence':
      case 'code_block':
        into.push({ text: token.content.replace(/\n$/, ''), preserveLeadingSpaces: true, fontSize: 8, color: '#333333', margin: PARAGRAPH });
        break;
      case 'html_block': {
        const text = htmlText(token.content).trim();
        if (text) into.push({ text, margin: PARAGRAPH });
        break;
      }
      case 'hr':
        into.push({ canvas: [{ type: 'line', x1: 0, y1: 0, x2: 120, y2: 0, lineWidth: 0.5, lineColor: '#999999' }], margin: [0, 3, 0, 5] });
        break;
    }
  }
  return root;
}

function container(token: Token, nodes: Node[]): Node {
  switch (token.type) {
    case 'blockquote_open':
      return { stack: nodes, color: MUTED, margin: [8, 0, 0, 3] };
    case 'bullet_list_open':
      return { ul: nodes, margin: PARAGRAPH };
    case 'ordered_list_open':
      return { ol: nodes, start: Number(token.attrGet('start') ?? 1), margin: PARAGRAPH };
    case 'table_open': {
      const width = Math.max(...nodes.map((row) => (row as { stack: Node[] }).stack.length));
      const body = nodes.map((row) => {
        const cells = (row as { stack: Node[] }).stack;
        return [...cells, ...Array<Node>(width - cells.length).fill('')];
      });
      return { table: { body }, layout: 'lightHorizontalLines', margin: PARAGRAPH };
    }
    case 'th_open':
      return { stack: nodes, bold: true };
    default:
      // An item, a row or a cell: its nodes, in order.
      return { stack: nodes };
  }
}

/** A paragraph's inline tokens as pdfmake text runs, each with its emphasis. */
function runs(children: Token[]): Node[] {
  const out: Node[] = [];
  let bold = 0;
  let italics = 0;
  let struck = 0;
  let link: { href: string; text: string } | null = null;
  const run = (text: string, extra: Record<string, unknown> = {}): Node => {
    if (link !== null) link.text += text;
    const follow = link !== null && followable(link.href);
    return {
      text,
      ...(bold ? { bold: true } : {}),
      ...(italics ? { italics: true } : {}),
      ...(struck ? { decoration: 'lineThrough' } : follow ? { decoration: 'underline' } : {}),
      ...(follow ? { color: LINK, link: link!.href } : {}),
      ...extra,
    };
  };
  for (const child of children) {
    switch (child.type) {
      case 'text':
        out.push(run(child.content));
        break;
      case 'code_inline':
        out.push(run(child.content, { background: '#eeeeee' }));
        break;
      case 'image':
        out.push(run(child.content));
        break;
      case 'softbreak':
      case 'hardbreak':
        out.push('\n');
        break;
      case 'strong_open':
        bold++;
        break;
      case 'strong_close':
        bold--;
        break;
      case 'em_open':
        italics++;
        break;
      case 'em_close':
        italics--;
        break;
      case 's_open':
        struck++;
        break;
      case 's_close':
        struck--;
        break;
      case 'link_open':
        link = { href: String(child.attrGet('href') ?? ''), text: '' };
        break;
      case 'link_close':
        if (link && followable(link.href) && link.href !== link.text && link.href !== `mailto:${link.text}`) {
          out.push({ text: ` (${link.href})`, color: MUTED });
        }
        link = null;
        break;
      // Inline HTML tags are left out; the text between them stays, as on the web.
    }
  }
  return out;
}

/** What an HTML block says, without its tags (nor the content of script and style). */
function htmlText(html: string): string {
  const text = sanitizeHtml(html, { allowedTags: [], allowedAttributes: {} });
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
}
