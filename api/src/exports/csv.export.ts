import type { EntityManager } from '@mikro-orm/postgresql';
import type { CommentFilter } from '../comments/comment.inputs.js';
import { DISPOSITION_COLUMNS } from './disposition-columns.js';
import { dispositionPages } from './disposition-table.js';
import { exportLabels } from './export-labels.js';
import type { RoundOutline } from '../rounds/round-outline.js';

/**
 * RFC 4180: quote a field when it holds a comma, a quote or a line break; double the quotes inside.
 * A text a spreadsheet would run as a formula (`=HYPERLINK(…)` typed by a commenter) gets a leading
 * apostrophe, as OWASP advises for CSV files opened in Excel; numbers stay numbers.
 */
function field(value: string | number): string {
  const s = typeof value === 'string' && /^[=+\-@\t\r]/.test(value) ? `'${value}` : String(value);
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/** One CSV record, its fields made safe as above; the audit log's download writes with it too. */
export const csvLine = (values: (string | number)[]) => `${values.map(field).join(',')}\r\n`;

/**
 * The disposition table as CSV chunks (UTF-8 with a byte-order mark, so spreadsheet programs read
 * the accents), one chunk per page of rows: piped into the response, the consumer's pace sets how
 * fast rows are read.
 */
export async function* csvExport(em: EntityManager, outline: RoundOutline, filter: CommentFilter): AsyncGenerator<string | Buffer> {
  const labels = exportLabels(outline.language);
  yield `\uFEFF${csvLine(DISPOSITION_COLUMNS.map((c) => labels.columns[c.key]))}`;
  for await (const page of dispositionPages(em, outline, { filter })) {
    // Bytes made from a string nothing keeps: a page's text is large enough to skip V8's nursery.
    yield Buffer.from(page.map((row) => csvLine(DISPOSITION_COLUMNS.map((c) => row[c.key]))).join(''));
  }
}
