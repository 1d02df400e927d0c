import type { EntityManager } from '@mikro-orm/postgresql';
import { expressionBuilder, sql, type Expression, type InferResult, type SqlBool } from 'kysely';
import { commentsMatching } from '../comments/filter-criteria.js';
import type { Listed } from '../comments/listed.js';
import { CommentTargetKind } from '../comments/comment.entity.js';
import { reads, type Reads } from '../db/reads.js';
import type { CommentFilter } from '../comments/comment.inputs.js';
import { analysisCells, type AnalysisCells } from '../analysis/analysis-columns.js';
import type { ExportLabels } from './export-labels.js';
import { exportLabels } from './export-labels.js';
import type { OutlineArea, RoundOutline } from '../rounds/round-outline.js';
import { cursorPages, readAhead } from './sql-cursor.js';
import type { DispositionColumn } from './disposition-columns.js';
import { shownName } from '../privacy/former-participant.js';
import type { Locale } from '../users/user.entity.js';

export type DispositionRow = Record<DispositionColumn, string | number>;

/** One slice of the table read with its own cursor: the whole-framework comments, an area's own, or one indicator's. */
interface Segment {
  area: OutlineArea | null;
  where: Expression<SqlBool>;
}

/** The table's order: whole-framework comments first, then area by area (the area's own comments, then each indicator in framework order). */
function segments(outline: RoundOutline, onlyArea?: OutlineArea | null): Segment[] {
  const eb = expressionBuilder<Listed, 'c'>();
  const out: Segment[] = [];
  if (onlyArea === undefined || onlyArea === null) out.push({ area: null, where: eb('c.section_id', 'is', null) });
  for (const area of outline.areas) {
    if (onlyArea !== undefined && onlyArea !== area) continue;
    out.push({ area, where: eb.and([eb('c.target_kind', '<>', CommentTargetKind.INDICATOR_VERSION), eb('c.section_id', 'in', area.sectionIds)]) });
    for (const indicator of area.indicators) out.push({ area, where: eb('c.indicator_version_id', '=', indicator.versionId) });
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
 * One segment's comments in the table's order. Dates are cut to days in UTC, as the table shows
 * them; replies and revisions come joined into their cells. The inner query (fenced by
 * `offset 0`) is sorted once; the replies and revisions are looked up only as rows are fetched.
 */
function segmentQuery(db: Reads, matching: Expression<SqlBool>, segment: Segment, roundId: string, withdrawn: string) {
  const day = (at: Expression<string | null>) => sql<string>`to_char(${at} at time zone 'UTC', 'YYYY-MM-DD')`;
  const sorted = db
    .selectFrom('comment as c')
    .leftJoin('disposition as d', 'd.comment_id', 'c.id')
    .leftJoin('indicator as i', 'i.id', 'c.indicator_id')
    .select(({ ref }) => [
      'c.id',
      'c.created_at',
      day(ref('c.withdrawn_at')).as('withdrawn_on'),
      'i.code as indicator_code',
      'c.type',
      'c.body',
      'c.proposed_change',
      ref('c.anchor', '->>').key('field').as('anchor_field'),
      ref('c.anchor', '->>').key('exact').as('anchor_quote'),
      'c.author_name',
      'c.author_organization_name',
      'c.author_country',
      'd.status as disposition',
      'd.response',
    ])
    .where(matching)
    .where(segment.where)
    .orderBy('c.created_at').orderBy('c.id')
    .offset(sql<number>`0`);
  return db
    .selectFrom(sorted.as('s'))
    .selectAll('s')
    .select(({ selectFrom }) => [
      selectFrom('comment as r')
        .select(({ ref }) =>
          sql<string | null>`string_agg(${ref('r.author_name')} || ' (' || ${day(ref('r.created_at'))} || ')'
            || case when ${ref('r.withdrawn_at')} is null then '' else ' [' || ${withdrawn} || ']' end || ': ' || ${ref('r.body')}, E'\n\n' order by ${ref('r.created_at')}, ${ref('r.id')})`.as('replies'),
        )
        .where('r.round_id', '=', roundId)
        .whereRef('r.thread_id', '=', 's.id')
        .where('r.parent_id', 'is not', null)
        .as('replies'),
      selectFrom('revision_comment as rc')
        .innerJoin('indicator_version as v', 'v.id', 'rc.revision_id')
        .innerJoin('indicator as ri', 'ri.id', 'v.indicator_id')
        .select(({ ref }) => sql<string | null>`string_agg(${ref('ri.code')} || ' v' || ${ref('v.number')}, ', ' order by ${ref('v.number')}, ${ref('ri.code')})`.as('revisions'))
        .whereRef('rc.comment_id', '=', 's.id')
        .as('revisions'),
    ])
    .orderBy('s.created_at').orderBy('s.id');
}

type CommentRow = InferResult<ReturnType<typeof segmentQuery>>[number];

/**
 * The disposition-of-comments rows of a round, streamed in pages of PAGE_SIZE: each segment is
 * read through a cursor, each page's analysis cells come in one statement, and the next page is
 * read while the caller writes this one. Withdrawn comments are included and marked in their own
 * column.
 */
export function dispositionPages(em: EntityManager, outline: RoundOutline, options: TableOptions): AsyncGenerator<DispositionRow[]> {
  return readAhead(readPages(em, outline, options));
}

async function* readPages(em: EntityManager, outline: RoundOutline, options: TableOptions): AsyncGenerator<DispositionRow[]> {
  const labels = exportLabels(outline.language);
  const counter = options.counter ?? { next: 1 };
  const db = reads(em);
  const matching = commentsMatching(db, outline.roundId, options.filter);
  for (const segment of segments(outline, options.area)) {
    const area = segment.area ? `${segment.area.code} — ${segment.area.title}` : labels.framework;
    for await (const page of cursorPages(em, segmentQuery(db, matching, segment, outline.roundId, labels.withdrawn))) {
      const analysis = await analysisCells(em, page.map((c) => c.id), outline.language, outline.sourceLanguage);
      yield page.map((c) => toRow(c, counter.next++, area, analysis.get(c.id)!, labels, outline.language));
    }
  }
}

/** Country names per language and code: `Intl.DisplayNames` is slow enough to show in a profile when asked per row. */
const countryNames = new Map<string, Map<string, string>>();

export function countryName(code: string | null, language: string): string {
  if (!code) return '';
  let names = countryNames.get(language);
  if (!names) countryNames.set(language, (names = new Map()));
  let name = names.get(code);
  if (name === undefined) {
    try {
      name = new Intl.DisplayNames([language], { type: 'region' }).of(code) ?? code;
    } catch {
      name = code;
    }
    names.set(code, name);
  }
  return name;
}

/** All the cells in one literal: a spread of the analysis cells made each row a dictionary-mode object ten times the size. */
function toRow(c: CommentRow, number: number, area: string, analysis: AnalysisCells, labels: ExportLabels, language: Locale): DispositionRow {
  return {
    number,
    withdrawn: c.withdrawn_on ? `${labels.withdrawn} ${c.withdrawn_on}` : '',
    area,
    indicatorCode: c.indicator_code ?? '',
    field: c.anchor_field ? (labels.field[c.anchor_field] ?? c.anchor_field) : '',
    anchorQuote: c.anchor_quote ?? '',
    commentType: c.type ? (labels.commentType[c.type] ?? c.type) : '',
    organization: c.author_organization_name ?? '',
    country: countryName(c.author_country, language),
    author: shownName(c.author_name, language),
    comment: c.body,
    proposedChange: c.proposed_change ?? '',
    replies: c.replies ?? '',
    disposition: labels.disposition[c.disposition ?? 'NONE'],
    response: c.response ?? '',
    revision: c.revisions ?? '',
    commentId: c.id,
    themes: analysis.themes,
    nearDuplicateGroup: analysis.nearDuplicateGroup,
    nearDuplicateGroupSize: analysis.nearDuplicateGroupSize,
    onBehalf: analysis.onBehalf,
  };
}
