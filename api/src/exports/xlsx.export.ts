import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { EntityManager } from '@mikro-orm/postgresql';
import type ExcelJS from 'exceljs';
import type { CommentFilter } from '../comments/comment.inputs.js';
import { DISPOSITION_COLUMNS } from './disposition-columns.js';
import { countryName, dispositionPages } from './disposition-table.js';
import { exportLabels, type ExportLabels } from './export-labels.js';
import type { OutlineArea, RoundOutline } from '../rounds/round-outline.js';
import { countsByArea, roundSummary, type Count, type RoundSummary } from './round-summary.js';

const WRAP = { wrapText: true, vertical: 'top' } as const;
/**
 * A data cell's style, one object per column shared by every row: exceljs files a style it has
 * seen (the same object) by identity, while a fresh copy per cell is serialized and looked up
 * anew, which was most of the time an XLSX export took.
 */
const CELL_STYLES: Partial<ExcelJS.Style>[] = DISPOSITION_COLUMNS.map((c) => (c.prose ? { alignment: WRAP } : {}));

/**
 * The workbook, written straight into `out` with exceljs's streaming writer: a summary sheet, then
 * one sheet per area (and one for whole-framework comments when there are any), each sheet's rows
 * read from the database in batches while the previous ones are already compressed and sent.
 */
export async function xlsxExport(em: EntityManager, outline: RoundOutline, filter: CommentFilter, out: Writable): Promise<void> {
  const labels = exportLabels(outline.language);
  const gone = closedEarly(out);
  gone.catch(() => undefined);
  // Loaded with the first spreadsheet: a process that never writes one does not carry it.
  const { default: excel } = await import('exceljs');
  // Fast deflate: at the default level compressing is slower than writing rows, and the zip writer
  // would buffer what it has not compressed yet (memory grows with the round).
  const workbook = new excel.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false, zip: { zlib: { level: 1 } } });
  workbook.creator = 'Consulta';
  const summary = await roundSummary(em, outline, filter);
  writeSummary(workbook, outline, labels, summary);

  const byArea = countsByArea(outline, summary.bySection);
  const names = new Set<string>([labels.summary.sheet]);
  const counter = { next: 1 };
  const sheets: (OutlineArea | null)[] = [...(byArea.some((c) => c.key === null) ? [null] : []), ...outline.areas];
  for (const area of sheets) {
    const sheet = workbook.addWorksheet(sheetName(area ? `${area.code} ${area.title}` : labels.framework, names), {
      views: [{ state: 'frozen', ySplit: 1 }],
    });
    // Only prose wraps: a style on every cell of 100,000 rows costs time and memory for nothing.
    sheet.columns = DISPOSITION_COLUMNS.map((c) => ({ header: labels.columns[c.key], key: c.key, width: c.width, ...(c.prose ? { style: { alignment: WRAP } } : {}) }));
    sheet.getRow(1).font = { bold: true };
    sheet.getRow(1).commit();
    sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: DISPOSITION_COLUMNS.length } };
    for await (const page of dispositionPages(em, outline, { filter, area, counter })) {
      for (const values of page) {
        const row = sheet.addRow(values);
        row.eachCell((cell, column) => (cell.style = CELL_STYLES[column - 1]));
        row.commit();
      }
      // The zip writer buffers what the client has not taken yet: wait for it rather than read on;
      // otherwise let it compress this page before the next one is added. A client gone stops it.
      await Promise.race([out.writableNeedDrain ? once(out, 'drain') : nextTurn(), gone]);
    }
    sheet.commit();
  }
  await Promise.race([workbook.commit(), gone]);
}

/** Rejects when the client goes away before the end: a wait for 'drain' or 'finish' would never end. */
function closedEarly(out: Writable): Promise<never> {
  return new Promise((_, reject) => {
    // Coded as Node codes it, so the route takes it for a client that left, not for a failure.
    const fail = () => reject(Object.assign(new Error('The client closed the download'), { code: 'ERR_STREAM_PREMATURE_CLOSE' }));
    if (out.destroyed) fail();
    else out.once('close', () => !out.writableFinished && fail());
  });
}

/** Excel's rules: at most 31 characters, none of []:*?/\, unique in the workbook. */
function sheetName(wanted: string, taken: Set<string>): string {
  const base = wanted.replace(/[[\]:*?/\\]/g, ' ').trim().slice(0, 31) || 'Sheet';
  let name = base;
  for (let n = 2; taken.has(name.toLowerCase()); n++) name = `${base.slice(0, 27)} (${n})`;
  taken.add(name.toLowerCase());
  return name;
}

function writeSummary(workbook: ExcelJS.stream.xlsx.WorkbookWriter, outline: RoundOutline, labels: ExportLabels, summary: RoundSummary) {
  const s = labels.summary;
  const sheet = workbook.addWorksheet(s.sheet);
  sheet.columns = [{ width: 48 }, { width: 26 }, { width: 14 }, { width: 12 }, { width: 12 }, { width: 12 }, { width: 12 }, { width: 16 }];
  const add = (values: (string | number | null)[], bold = false) => {
    const row = sheet.addRow(values);
    if (bold) row.font = { bold: true };
    row.commit();
  };
  const block = (title: string, counts: Count[], label: (c: Count) => string) => {
    add([]);
    add([title, s.count], true);
    for (const c of counts) add([label(c), c.count]);
  };
  add([`${s.title}: ${outline.roundTitle}`], true);
  add([outline.frameworkName]);
  add([]);
  add([s.total, summary.total], true);
  add([s.withdrawnComments, summary.withdrawn]);
  block(s.byArea, countsByArea(outline, summary.bySection), (c) => c.label ?? labels.framework);
  block(s.byIndicator, summary.byIndicator, (c) => c.label ?? labels.noArea);
  block(s.byType, summary.byType, (c) => labels.commentType[c.key ?? ''] ?? '');
  block(s.byDisposition, summary.byDisposition, (c) => labels.disposition[c.key ?? 'NONE']);
  block(s.byCountry, summary.byCountry, (c) => countryName(c.key, outline.language));
  block(s.byOrganization, summary.byOrganization, (c) => c.label ?? '');
  add([]);
  add([s.ratings, '', s.count], true);
  for (const r of summary.ratings) add([r.indicatorCode, labels.rating[r.value] ?? r.value, r.count]);
  add([]);
  add([s.ballots, labels.columns.indicatorCode, labels.columns.revision, s.approve, s.reject, s.abstain, s.eligible, s.outcome], true);
  for (const b of summary.ballots) {
    add([b.ballot, b.indicatorCode, `v${b.revisionNumber}`, b.closed ? b.approve : null, b.closed ? b.reject : null, b.closed ? b.abstain : null, b.eligible, b.outcome ? labels.outcome[b.outcome] : s.pending]);
  }
  sheet.commit();
}
