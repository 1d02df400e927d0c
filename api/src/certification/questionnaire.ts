import type ExcelJS from 'exceljs';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Viewer } from '../auth/viewer.js';
import { DomainError, ErrorCode, Refusal, conflict } from '../errors.js';
import { Section } from '../frameworks/section.entity.js';
import { message } from '../i18n/messages.js';
import { localize } from '../i18n/localized-text.js';
import { IndicatorField } from '../indicators/indicator-field.js';
import { IndicatorVersion } from '../indicators/indicator.entity.js';
import { ReleaseIndicator } from '../releases/release.entity.js';
import { checkUpload, UploadRefused, type ArchiveLimits } from '../storage/upload-type.js';
import { Locale } from '../users/user.entity.js';
import { assessmentFor } from './assessment-access.js';
import { Answer, Assessment, AssessmentArea, AssessmentStatus, Judgment } from './assessment.entity.js';
import { auditAssessment, saveAnswer } from './assessment.service.js';
import { refusedUpload } from './evidence.service.js';
import { SchemeArea, SchemeIndicator } from './scheme.entity.js';
import { indicatorRule } from './scheme.service.js';

/** The hidden sheet that ties a questionnaire to its assessment and its area sheets. */
const META_SHEET = 'consulta';
const FIRST_ROW = 3;
/** The columns of an area sheet: code, indicator, how it is judged, evidence guidance, judgment, value, notes, revision (hidden). */
const COLUMN = { code: 1, title: 2, rule: 3, guidance: 4, judgment: 5, value: 6, notes: 7, revision: 8 } as const;
const LETTER = 'ABCDEFGH';
const NOTES_MAX = 5000;

interface QuestionnaireIndicator {
  indicator: SchemeIndicator;
  title: string;
  guidance: string;
  answer: Answer | null;
}
interface QuestionnaireArea {
  area: SchemeArea;
  sheetName: string;
  indicators: QuestionnaireIndicator[];
}

const sheetName = (code: string, title: string) => `${code} ${title}`.replace(/[[\]:*?/\\]/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 31);
const label = (language: Locale, key: string) => message(language, `certificationFiles.questionnaire.${key}`);
const judgmentLabel = (language: Locale, judgment: Judgment) => message(language, `certification.judgment.${judgment}`);

/** The assessment's areas and indicators in the scheme's order, with each indicator's texts in `language` and the current answers. */
async function questionnaireAreas(em: EntityManager, assessment: Assessment, language: Locale): Promise<QuestionnaireArea[]> {
  const assessed = await em.find(AssessmentArea, { assessment }, { populate: ['schemeArea'], orderBy: { schemeArea: { position: 'asc' } } });
  const areas = assessed.map((a) => a.schemeArea.getEntity());
  // One after the other: the download reads inside its audit entry's transaction, one connection.
  const sections = await em.find(Section, { id: { $in: areas.map((a) => a.section.id) } });
  const indicators = await em.find(SchemeIndicator, { area: { $in: areas } }, { orderBy: { position: 'asc' } });
  const answers = await em.find(Answer, { assessment });
  const released = await em.find(ReleaseIndicator, { id: { $in: indicators.map((i) => i.releaseIndicator.id) } });
  const versions = new Map((await em.find(IndicatorVersion, { id: { $in: released.map((r) => r.version.id) } })).map((v) => [v.id, v]));
  const versionOf = new Map(released.map((r) => [r.id, versions.get(r.version.id)!]));
  const answerOf = new Map(answers.map((a) => [a.schemeIndicator.id, a]));
  const text = (version: IndicatorVersion | undefined, field: IndicatorField) => (version && localize(version.texts[field], language, Locale.ES)?.value) ?? '';
  return areas.map((area) => {
    const section = sections.find((s) => s.id === area.section.id);
    return {
      area,
      sheetName: sheetName(area.code, (section && localize(section.title, language, Locale.ES)?.value) ?? ''),
      indicators: indicators
        .filter((i) => i.area.id === area.id)
        .map((indicator) => {
          const version = versionOf.get(indicator.releaseIndicator.id);
          const guidance = [text(version, IndicatorField.VERIFICATION), text(version, IndicatorField.DATA_SOURCE), text(version, IndicatorField.MEASUREMENT)].filter(Boolean).join('\n');
          return { indicator, title: text(version, IndicatorField.TITLE), guidance, answer: answerOf.get(indicator.id) ?? null };
        }),
    };
  });
}

/**
 * The assessment as a questionnaire to fill offline: one sheet per area, each indicator a row with
 * how it is judged and the evidence it asks for beside it, the judgment chosen from a list (a
 * quantitative indicator takes its value, or "not applicable"), notes, and the current answers filled.
 * A hidden column keeps each answer's revision, so an import never overwrites a later save.
 */
export async function questionnaireXlsx(em: EntityManager, assessment: Assessment, language: Locale): Promise<Buffer> {
  const areas = await questionnaireAreas(em, assessment, language);
  const { default: excel } = await import('exceljs');
  const book = new excel.Workbook();
  book.creator = 'Consulta';
  const judgments = Object.values(Judgment).map((j) => judgmentLabel(language, j));
  const wrap = { wrapText: true, vertical: 'top' } as const;
  for (const { sheetName: name, indicators } of areas) {
    const sheet = book.addWorksheet(name, { views: [{ state: 'frozen', ySplit: FIRST_ROW - 1, xSplit: 2 }] });
    sheet.columns = [{ width: 12 }, { width: 40 }, { width: 36 }, { width: 44 }, { width: 22 }, { width: 14 }, { width: 50 }, { width: 8, hidden: true }].map((c) => ({ ...c, style: { alignment: wrap } }));
    sheet.addRow([name]).font = { bold: true, size: 13 };
    const header = sheet.addRow(['code', 'indicator', 'rule', 'guidance', 'judgment', 'value', 'notes', 'revision'].map((k) => label(language, `column.${k}`)));
    header.font = { bold: true };
    for (const { indicator, title, guidance, answer } of indicators) {
      const quantitative = indicator.comparator != null;
      const judgment = answer && (!quantitative || answer.judgment === Judgment.NOT_APPLICABLE) ? judgmentLabel(language, answer.judgment) : null;
      const row = sheet.addRow([indicator.code, title, indicatorRule(language, indicator), guidance, judgment, answer?.reportedValue ?? null, answer?.notes || null, answer?.revision ?? 0]);
      row.getCell(COLUMN.judgment).dataValidation = {
        type: 'list',
        allowBlank: true,
        formulae: [`"${(quantitative ? [judgmentLabel(language, Judgment.NOT_APPLICABLE)] : judgments).join(',')}"`],
        showErrorMessage: true,
      };
      if (quantitative) row.getCell(COLUMN.value).dataValidation = { type: 'decimal', operator: 'between', allowBlank: true, formulae: [-1e12, 1e12], showErrorMessage: true };
      for (const c of [COLUMN.judgment, COLUMN.value, COLUMN.notes]) row.getCell(c).protection = { locked: false };
    }
  }
  const meta = book.addWorksheet(META_SHEET, { state: 'veryHidden' });
  meta.addRow(['assessment', assessment.id]);
  for (const a of areas) meta.addRow(['area', a.area.code, a.sheetName]);
  return Buffer.from(await book.xlsx.writeBuffer());
}

/** One cell the import could not take: where it is, and why (a `certificationFiles.problem.<reason>` message). */
export interface QuestionnaireProblem {
  sheet: string;
  row: number;
  column: string;
  reason: 'UNKNOWN_INDICATOR' | 'DUPLICATE_INDICATOR' | 'JUDGMENT_INVALID' | 'JUDGMENT_REQUIRED' | 'VALUE_INVALID' | 'VALUE_REQUIRED' | 'NOTES_TOO_LONG' | 'STALE_ANSWER';
  value: string;
}

export interface QuestionnaireImport {
  /** Answers saved; rows left as they were are not counted. */
  saved: number;
}

/** A cell's value as text, whatever exceljs made of it (a number, rich text, a formula's result, a hyperlink). */
function cellText(value: ExcelJS.CellValue): string {
  if (value == null) return '';
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((r) => r.text).join('').trim();
    if ('result' in value) return cellText((value.result ?? null) as ExcelJS.CellValue);
    if ('text' in value) return String(value.text).trim();
    if (value instanceof Date) return value.toISOString();
    return '';
  }
  return String(value).trim();
}

/** Every language's words for a judgment, and its name, read back case-insensitively. */
function judgmentReader(): (text: string) => Judgment | null {
  const known = new Map<string, Judgment>();
  for (const judgment of Object.values(Judgment)) {
    known.set(judgment.toLowerCase(), judgment);
    for (const language of Object.values(Locale)) known.set(judgmentLabel(language, judgment).toLowerCase(), judgment);
  }
  return (text) => known.get(text.trim().toLowerCase()) ?? null;
}

const refusedFile = (message: string) => new DomainError(ErrorCode.BAD_USER_INPUT, message, { reason: Refusal.QUESTIONNAIRE_UNREADABLE, fields: [{ field: 'file', message }] });

/**
 * Takes a filled questionnaire back (the institution's people, while in progress): every row is read
 * and checked first, and the answers are saved only when no cell is refused; otherwise nothing is
 * written and every refused cell is listed with its sheet, row, column and reason (BAD_USER_INPUT
 * QUESTIONNAIRE_CELLS_REFUSED, `problems`). An answer saved since the file was downloaded (its
 * hidden revision is behind) is a refused cell, never overwritten; a row left as it was is skipped.
 * The evidence control lists and files stay as they are.
 */
export async function importQuestionnaire(em: EntityManager, viewer: Viewer, assessmentId: string, bytes: Buffer, limits: ArchiveLimits & { maxBytes: number }): Promise<QuestionnaireImport> {
  const assessment = await assessmentFor(em, viewer, assessmentId, 'institution');
  if (assessment.status !== AssessmentStatus.IN_PROGRESS) throw conflict('The assessment is submitted: its answers are frozen', { reason: Refusal.ASSESSMENT_SUBMITTED });
  try {
    if (checkUpload(bytes, { fileName: 'questionnaire.xlsx' }, limits) !== 'XLSX') throw refusedFile('Not a spreadsheet');
  } catch (err) {
    if (err instanceof UploadRefused) throw err.problem === 'EVIDENCE_TYPE_MISMATCH' ? refusedFile('Not a spreadsheet') : refusedUpload(err);
    throw err;
  }
  const { default: excel } = await import('exceljs');
  const book = new excel.Workbook();
  try {
    await book.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch {
    throw refusedFile('The spreadsheet cannot be read');
  }
  const meta = book.getWorksheet(META_SHEET);
  if (!meta || cellText(meta.getCell('B1').value) !== assessment.id) {
    throw new DomainError(ErrorCode.BAD_USER_INPUT, 'This is not this assessment’s questionnaire: download it again from the assessment', { reason: Refusal.QUESTIONNAIRE_OTHER_ASSESSMENT, fields: [{ field: 'file', message: 'another assessment' }] });
  }
  const areas = await questionnaireAreas(em, assessment, viewer.user.language ?? Locale.ES);
  const readJudgment = judgmentReader();
  const problems: QuestionnaireProblem[] = [];
  const saves: Array<{ item: QuestionnaireIndicator; judgment: Judgment | null; reportedValue: number | null; notes: string }> = [];
  const seen = new Set<string>();
  for (let r = 2; r <= meta.rowCount; r++) {
    const code = cellText(meta.getCell(r, 2).value);
    const name = cellText(meta.getCell(r, 3).value);
    const area = areas.find((a) => a.area.code === code);
    const sheet = name ? book.getWorksheet(name) : undefined;
    if (!area || !sheet) continue;
    const byCode = new Map(area.indicators.map((i) => [i.indicator.code, i]));
    for (let r2 = FIRST_ROW; r2 <= sheet.rowCount; r2++) {
      const row = sheet.getRow(r2);
      const at = (column: keyof typeof COLUMN, reason: QuestionnaireProblem['reason']) =>
        problems.push({ sheet: sheet.name, row: r2, column: LETTER[COLUMN[column] - 1], reason, value: cellText(row.getCell(COLUMN[column]).value).slice(0, 200) });
      const code = cellText(row.getCell(COLUMN.code).value);
      const judgmentText = cellText(row.getCell(COLUMN.judgment).value);
      const valueCell = row.getCell(COLUMN.value).value;
      const valueText = cellText(valueCell);
      const notes = cellText(row.getCell(COLUMN.notes).value);
      if (!code) {
        if (judgmentText || valueText || notes) at('code', 'UNKNOWN_INDICATOR');
        continue;
      }
      const item = byCode.get(code);
      if (!item) {
        at('code', 'UNKNOWN_INDICATOR');
        continue;
      }
      if (seen.has(item.indicator.id)) {
        at('code', 'DUPLICATE_INDICATOR');
        continue;
      }
      seen.add(item.indicator.id);
      if (!judgmentText && !valueText && !notes) continue;
      const quantitative = item.indicator.comparator != null;
      const judgment = judgmentText ? readJudgment(judgmentText) : null;
      let problem = false;
      if (judgmentText && (!judgment || (quantitative && judgment !== Judgment.NOT_APPLICABLE))) {
        at('judgment', 'JUDGMENT_INVALID');
        problem = true;
      }
      let reportedValue: number | null = null;
      if (quantitative && judgment !== Judgment.NOT_APPLICABLE) {
        reportedValue = typeof valueCell === 'number' ? valueCell : valueText ? Number(valueText.replace(',', '.')) : null;
        if (reportedValue == null) {
          at('value', 'VALUE_REQUIRED');
          problem = true;
        } else if (!Number.isFinite(reportedValue)) {
          at('value', 'VALUE_INVALID');
          problem = true;
        }
      } else if (!quantitative && !judgmentText) {
        at('judgment', 'JUDGMENT_REQUIRED');
        problem = true;
      }
      if (notes.length > NOTES_MAX) {
        at('notes', 'NOTES_TOO_LONG');
        problem = true;
      }
      const revision = Number(cellText(row.getCell(COLUMN.revision).value) || 0);
      const current = item.answer;
      const same = current && current.notes === notes && (quantitative && judgment !== Judgment.NOT_APPLICABLE ? current.reportedValue === reportedValue : current.judgment === judgment);
      if (!problem && same) continue;
      if ((current?.revision ?? 0) !== revision) {
        at('revision', 'STALE_ANSWER');
        problem = true;
      }
      if (!problem) saves.push({ item, judgment, reportedValue, notes });
    }
  }
  if (problems.length) {
    throw new DomainError(ErrorCode.BAD_USER_INPUT, `${problems.length} cells could not be taken; nothing was imported`, { reason: Refusal.QUESTIONNAIRE_CELLS_REFUSED, problems });
  }
  for (const { item, judgment, reportedValue, notes } of saves) {
    await saveAnswer(em, viewer, {
      assessmentId,
      schemeIndicatorId: item.indicator.id,
      judgment: item.indicator.comparator && judgment !== Judgment.NOT_APPLICABLE ? null : judgment,
      reportedValue,
      notes,
      evidence: item.answer?.evidence ?? [],
      expectedRevision: item.answer?.revision ?? 0,
    });
  }
  auditAssessment(em, viewer.id, 'assessment.questionnaire_imported', assessment, { saved: saves.length });
  await em.flush();
  return { saved: saves.length };
}
