import type { EntityManager } from '@mikro-orm/postgresql';
import { whereFor } from '../comments/comment-list.js';
import type { CommentAnchor } from '../comments/comment.entity.js';
import type { CommentFilter } from '../comments/comment.inputs.js';
import { analysisCells, type AnalysisCells } from '../analysis/analysis-columns.js';
import type { ExportLabels } from './export-labels.js';
import { exportLabels } from './export-labels.js';
import type { OutlineArea, RoundOutline } from './round-outline.js';

/**
 * The columns of the disposition-of-comments table, in order (the ISO comment template's, plus
 * the withdrawn mark and the comment's id for cross-reference with the JSON export); `prose`
 * columns wrap in a spreadsheet. Columns the
 * analysis adds later (themes, near-duplicate group, on-behalf source) go into this list and the
 * row builder below; every format reads the table from here.
 */
export const DISPOSITION_COLUMNS = [
  { key: 'number', width: 7, prose: false },
  { key: 'withdrawn', width: 12, prose: false },
  { key: 'area', width: 22, prose: true },
  { key: 'indicatorCode', width: 12, prose: false },
  { key: 'field', width: 16, prose: false },
  { key: 'anchorQuote', width: 30, prose: true },
  { key: 'commentType', width: 13, prose: false },
  { key: 'organization', width: 24, prose: true },
  { key: 'country', width: 14, prose: false },
  { key: 'author', width: 20, prose: false },
  { key: 'comment', width: 50, prose: true },
  { key: 'proposedChange', width: 40, prose: true },
  { key: 'replies', width: 40, prose: true },
  { key: 'disposition', width: 16, prose: false },
  { key: 'response', width: 40, prose: true },
  { key: 'revision', width: 16, prose: false },
  { key: 'commentId', width: 38, prose: false },
  { key: 'themes', width: 24, prose: true },
  { key: 'nearDuplicateGroup', width: 13, prose: false },
  { key: 'nearDuplicateGroupSize', width: 10, prose: false },
  { key: 'onBehalf', width: 30, prose: true },
] as const;

export type DispositionColumn = (typeof DISPOSITION_COLUMNS)[number]['key'];
export type DispositionRow = Record<DispositionColumn, string | number>;

/** Top-level comments read per statement: bounds memory whatever the round's size. */
export const BATCH = 1000;

interface CommentRow {
  id: string;
  /** Timestamps come from raw SQL as the database's text, microseconds included: exact for the keyset. */
  created_at: string;
  withdrawn_at: string | null;
  section_id: string | null;
  target_kind: string;
  indicator_code: string | null;
  type: string | null;
  body: string;
  proposed_change: string | null;
  anchor: CommentAnchor | null;
  author_name: string;
  author_organization_name: string | null;
  author_country: string | null;
  disposition: string | null;
  response: string | null;
}

interface ReplyRow { thread_id: string; author_name: string; body: string; official: boolean; withdrawn_at: string | null; created_at: string }
interface RevisionRow { comment_id: string; code: string; number: number }

/** One slice of the table read with its own keyset: the whole-framework comments, an area's own, or one indicator's. */
interface Segment {
  area: OutlineArea | null;
  where: string;
  params: unknown[];
}

/** The table's order: whole-framework comments first, then area by area (the area's own comments, then each indicator in framework order). */
function segments(outline: RoundOutline, onlyArea?: OutlineArea | null): Segment[] {
  const out: Segment[] = [];
  if (onlyArea === undefined || onlyArea === null) out.push({ area: null, where: 'c.section_id is null', params: [] });
  for (const area of outline.areas) {
    if (onlyArea !== undefined && onlyArea !== area) continue;
    out.push({ area, where: "c.target_kind <> 'INDICATOR_VERSION' and c.section_id in (?)", params: [area.sectionIds] });
    for (const indicator of area.indicators) out.push({ area, where: 'c.indicator_version_id = ?', params: [indicator.versionId] });
  }
  return out;
}

export interface TableOptions {
  filter: CommentFilter;
  /** Only this area (null: only the whole-framework comments); every area when omitted. */
  area?: OutlineArea | null;
  /** Numbering continues from here, so an XLSX read sheet by sheet numbers rows as the CSV does. */
  counter?: { next: number };
}

/**
 * The disposition-of-comments rows of a round, streamed: each segment is read in keyset pages of
 * BATCH comments, and each page's replies and revisions come in one statement each. Withdrawn
 * comments are included and marked in their own column.
 */
export async function* dispositionRows(em: EntityManager, outline: RoundOutline, options: TableOptions): AsyncGenerator<DispositionRow> {
  const labels = exportLabels(outline.language);
  const counter = options.counter ?? { next: 1 };
  const { where, params } = whereFor(outline.roundId, options.filter);
  for (const segment of segments(outline, options.area)) {
    let after: [string, string] | null = null;
    for (;;) {
      const keyset = after ? ' and (c.created_at, c.id) > (?, ?)' : '';
      const page: CommentRow[] = await em.execute<CommentRow[]>(
        `select c.id, c.created_at, c.withdrawn_at, c.section_id, c.target_kind, i.code as indicator_code, c.type, c.body,
                c.proposed_change, c.anchor, c.author_name, c.author_organization_name, c.author_country, d.status as disposition, d.response
         from comment c left join disposition d on d.comment_id = c.id left join indicator i on i.id = c.indicator_id
         where ${where} and ${segment.where}${keyset}
         order by c.created_at, c.id limit ?`,
        [...params, ...segment.params, ...(after ?? []), BATCH],
      );
      if (!page.length) break;
      // One array parameter, not a thousand: expanding `in (?)` per id costs more than the query.
      const idList = `{${page.map((c) => c.id).join(',')}}`;
      // One after the other: inside the export's transaction they would queue on its one connection anyway.
      const replies = await em.execute<ReplyRow[]>(
        `select thread_id, author_name, body, official, withdrawn_at, created_at from comment
         where round_id = ? and thread_id = any(?::uuid[]) and parent_id is not null order by created_at, id`,
        [outline.roundId, idList],
      );
      const revisions = await em.execute<RevisionRow[]>(
        `select rc.comment_id, i.code, v.number from revision_comment rc
         join indicator_version v on v.id = rc.revision_id join indicator i on i.id = v.indicator_id
         where rc.comment_id = any(?::uuid[]) order by v.number`,
        [idList],
      );
      const analysis = await analysisCells(em, idList, outline.language, outline.sourceLanguage);
      const repliesOf = group(replies, (r) => r.thread_id);
      const revisionsOf = group(revisions, (r) => r.comment_id);
      for (const c of page) {
        yield { ...toRow(c, counter.next++, segment.area, repliesOf.get(c.id) ?? [], revisionsOf.get(c.id) ?? [], labels, outline), ...analysis.get(c.id)! };
      }
      if (page.length < BATCH) break;
      const last = page[page.length - 1];
      after = [last.created_at, last.id];
    }
  }
}

function group<T>(rows: T[], key: (row: T) => string): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const row of rows) {
    const k = key(row);
    const list = map.get(k);
    if (list) list.push(row);
    else map.set(k, [row]);
  }
  return map;
}

const day = (at: string) => new Date(at).toISOString().slice(0, 10);

/** Building a DisplayNames costs about a millisecond: one per language, not one per row. */
const regionNames = new Map<string, Intl.DisplayNames>();

export function countryName(code: string | null, language: string): string {
  if (!code) return '';
  let names = regionNames.get(language);
  if (!names) regionNames.set(language, (names = new Intl.DisplayNames([language], { type: 'region' })));
  try {
    return names.of(code) ?? code;
  } catch {
    return code;
  }
}

function toRow(c: CommentRow, number: number, area: OutlineArea | null, replies: ReplyRow[], revisions: RevisionRow[], labels: ExportLabels, outline: RoundOutline): Omit<DispositionRow, keyof AnalysisCells> {
  return {
    number,
    withdrawn: c.withdrawn_at ? `${labels.withdrawn} ${day(c.withdrawn_at)}` : '',
    area: area ? `${area.code} — ${area.title}` : labels.framework,
    indicatorCode: c.indicator_code ?? '',
    field: c.anchor ? (labels.field[c.anchor.field] ?? c.anchor.field) : '',
    anchorQuote: c.anchor?.exact ?? '',
    commentType: c.type ? (labels.commentType[c.type] ?? c.type) : '',
    organization: c.author_organization_name ?? '',
    country: countryName(c.author_country, outline.language),
    author: c.author_name,
    comment: c.body,
    proposedChange: c.proposed_change ?? '',
    replies: replies
      .map((r) => `${r.author_name} (${day(r.created_at)})${r.withdrawn_at ? ` [${labels.withdrawn}]` : ''}: ${r.body}`)
      .join('\n\n'),
    disposition: labels.disposition[c.disposition ?? 'NONE'],
    response: c.response ?? '',
    revision: revisions.map((r) => `${r.code} v${r.number}`).join(', '),
    commentId: c.id,
  };
}
