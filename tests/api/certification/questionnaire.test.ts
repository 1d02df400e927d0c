import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { AuditEntry } from '../../../api/src/audit/audit-entry.entity.js';
import { Answer } from '../../../api/src/certification/assessment.entity.js';
import { SchemeIndicator, type Scheme } from '../../../api/src/certification/scheme.entity.js';
import { demo, startTestApi, type TestApi } from '../../support/api.js';
import type { GraphQLClient } from '../../support/client.js';
import { INSTITUTION, REVIEWER, asReviewer, assessment, certificationScheme } from './fixtures.js';
import { PDF, zipBomb } from './evidence-files.js';

let api: TestApi;
let scheme: Scheme;
let institution: GraphQLClient;
let reviewer: GraphQLClient;
let outsider: GraphQLClient;

const SAVE = `mutation($input: SaveAnswerInput!) { saveAnswer(input: $input) { revision } }`;
const indicatorId = async (code: string) => (await api.db.orm.em.fork().findOneOrFail(SchemeIndicator, { area: { scheme: scheme.id }, code })).id;
const answers = async (assessmentId: string) =>
  Object.fromEntries((await api.db.orm.em.fork().find(Answer, { assessment: assessmentId }, { populate: ['schemeIndicator'] })).map((a) => [a.schemeIndicator.getEntity().code, { judgment: a.judgment, value: a.reportedValue ?? null, notes: a.notes, revision: a.revision }]));

async function downloaded(client: GraphQLClient | null, assessmentId: string, language?: string) {
  const res = await fetch(`${api.url}/exports/certification/assessments/${assessmentId}/questionnaire.xlsx${language ? `?language=${language}` : ''}`, { headers: client?.cookie ? { cookie: client.cookie } : {} });
  return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
}

async function workbook(bytes: Buffer) {
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(bytes as unknown as ArrayBuffer);
  return book;
}

async function uploaded(client: GraphQLClient, assessmentId: string, bytes: Buffer) {
  const res = await fetch(`${api.url}/certification/assessments/${assessmentId}/questionnaire`, { method: 'POST', body: new Uint8Array(bytes), headers: { 'x-consulta-upload': '1', cookie: client.cookie } });
  return { status: res.status, body: (await res.json()) as Record<string, any> };
}

/** Fills the A0 sheet's rows by code: [judgment, value, notes]; returns the file. */
async function filled(bytes: Buffer, rows: Record<string, [unknown, unknown?, unknown?]>, extra: unknown[][] = []) {
  const book = await workbook(bytes);
  const sheet = book.worksheets.find((s) => s.name.startsWith('A0'))!;
  sheet.eachRow((row, n) => {
    const given = rows[String(row.getCell(1).value)];
    if (n < 3 || !given) return;
    const [judgment, value, notes] = given;
    row.getCell(5).value = judgment as ExcelJS.CellValue;
    row.getCell(6).value = (value ?? null) as ExcelJS.CellValue;
    row.getCell(7).value = (notes ?? null) as ExcelJS.CellValue;
  });
  for (const row of extra) sheet.addRow(row);
  return Buffer.from(await book.xlsx.writeBuffer());
}

beforeAll(async () => {
  api = await startTestApi();
  scheme = await certificationScheme(api);
  [institution, reviewer, outsider] = await Promise.all([INSTITUTION, REVIEWER, demo.member2].map((e) => api.as(e)));
});
afterAll(() => api?.stop());

describe('the questionnaire download', () => {
  it('has a sheet per area in the reader’s language, the judgments as a list, the evidence guidance and the current answers', async () => {
    const a = await assessment(api, scheme, { stage: 'opened', areas: ['A0', 'A1'] });
    await institution.data(SAVE, { input: { assessmentId: a.id, schemeIndicatorId: await indicatorId('A0-02'), judgment: 'PARTIALLY_MET', notes: 'Falta el acta', expectedRevision: 0 } });
    const res = await downloaded(institution, a.id);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="questionnaire-/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    const book = await workbook(res.bytes);
    expect(book.worksheets.map((s) => [s.name, s.state])).toEqual([['A0 Área 0', 'visible'], ['A1 Área 1', 'visible'], ['consulta', 'veryHidden']]);
    const sheet = book.worksheets[0];
    expect(sheet.getRow(2).values).toEqual([undefined, 'Código', 'Indicador', 'Cómo se juzga', 'Evidencia que conservar (lista de control)', 'Su juicio', 'Valor informado', 'Notas', 'Revisión (no cambiar)']);
    expect(sheet.getRow(3).getCell(1).value).toBe('A0-01');
    expect(sheet.getRow(3).getCell(2).value).toBe('Indicador A0-01');
    expect(String(sheet.getRow(3).getCell(3).value)).toMatch(/^Esencial/);
    expect(String(sheet.getRow(3).getCell(4).value)).toContain('Nuevas prestatarias');
    expect(sheet.getRow(3).getCell(5).dataValidation).toMatchObject({ type: 'list', formulae: ['"Cumple,Cumple parcialmente,No cumple,No aplica"'] });
    expect(sheet.getRow(5).getCell(5).dataValidation).toMatchObject({ type: 'list', formulae: ['"No aplica"'] });
    expect(sheet.getRow(5).getCell(6).dataValidation).toMatchObject({ type: 'decimal' });
    expect([5, 6, 7, 8].map((c) => sheet.getRow(4).getCell(c).value)).toEqual(['Cumple parcialmente', null, 'Falta el acta', 1]);
    const english = await workbook((await downloaded(institution, a.id, 'en')).bytes);
    expect(english.worksheets[0].getRow(4).getCell(5).value).toBe('Partially met');
  });

  it('is for whoever may read the assessment; each download is audit-logged', async () => {
    const a = await assessment(api, scheme, { stage: 'opened' });
    expect((await downloaded(outsider, a.id)).status).toBe(404);
    expect((await downloaded(null, a.id)).status).toBe(401);
    expect((await downloaded(institution, a.id, 'xx')).status).toBe(400);
    await asReviewer(api, a.id, REVIEWER);
    expect((await downloaded(reviewer, a.id)).status).toBe(200);
    expect(await api.db.orm.em.fork().count(AuditEntry, { action: 'assessment.questionnaire_downloaded', subjectId: a.id })).toBe(1);
  });
});

describe('the questionnaire upload', () => {
  it('merges every answer filled offline, leaves rows as they were alone, and the assessment can then be submitted', async () => {
    const a = await assessment(api, scheme, { stage: 'opened' });
    await institution.data(SAVE, { input: { assessmentId: a.id, schemeIndicatorId: await indicatorId('A0-04'), judgment: 'NOT_MET', expectedRevision: 0 } });
    const file = await filled((await downloaded(institution, a.id)).bytes, { 'A0-01': ['Cumple', null, 'Política aprobada en 2025'], 'A0-02': ['partially met'], 'A0-03': [null, 52.5] });
    expect(await uploaded(institution, a.id, file)).toEqual({ status: 200, body: { saved: 3 } });
    expect(await answers(a.id)).toEqual({
      'A0-01': { judgment: 'MET', value: null, notes: 'Política aprobada en 2025', revision: 1 },
      'A0-02': { judgment: 'PARTIALLY_MET', value: null, notes: '', revision: 1 },
      'A0-03': { judgment: 'MET', value: 52.5, notes: '', revision: 1 },
      'A0-04': { judgment: 'NOT_MET', value: null, notes: '', revision: 1 },
    });
    // The same file again changes nothing: its rows are what is saved.
    expect(await uploaded(institution, a.id, file)).toEqual({ status: 200, body: { saved: 0 } });
    expect(await institution.data(`mutation($id: ID!) { submitAssessment(id: $id) { status } }`, { id: a.id })).toEqual({ submitAssessment: { status: 'UNDER_REVIEW' } });
    expect(await uploaded(institution, a.id, file)).toMatchObject({ status: 409, body: { reason: 'ASSESSMENT_SUBMITTED' } });
  });

  it('lists every cell it could not take with sheet, row, column and reason, and imports nothing', async () => {
    const a = await assessment(api, scheme, { stage: 'opened' });
    await institution.data(SAVE, { input: { assessmentId: a.id, schemeIndicatorId: await indicatorId('A0-04'), judgment: 'MET', expectedRevision: 0 } });
    const file = await filled(
      (await downloaded(institution, a.id)).bytes,
      { 'A0-01': ['Cumple'], 'A0-02': ['Casi'], 'A0-03': [null, 'cincuenta'], 'A0-04': [null, null, 'x'.repeat(5001)] },
      [['B9-99', 'Cumplido'], ['A0-01', 'No cumple']],
    );
    const res = await uploaded(institution, a.id, file);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'QUESTIONNAIRE_CELLS_REFUSED' });
    expect(res.body.problems.map((p: { sheet: string; row: number; column: string; reason: string }) => [p.sheet, p.row, p.column, p.reason])).toEqual([
      ['A0 Área 0', 4, 'E', 'JUDGMENT_INVALID'],
      ['A0 Área 0', 5, 'F', 'VALUE_INVALID'],
      ['A0 Área 0', 6, 'E', 'JUDGMENT_REQUIRED'],
      ['A0 Área 0', 6, 'G', 'NOTES_TOO_LONG'],
      ['A0 Área 0', 7, 'A', 'UNKNOWN_INDICATOR'],
      ['A0 Área 0', 8, 'A', 'DUPLICATE_INDICATOR'],
    ]);
    expect(res.body.problems[0].value).toBe('Casi');
    // A0-01 was fine, and still nothing was written.
    expect(await answers(a.id)).toEqual({ 'A0-04': { judgment: 'MET', value: null, notes: '', revision: 1 } });
  });

  it('refuses a row saved in Consulta since the download (never overwrites it), but not a row left as it is', async () => {
    const a = await assessment(api, scheme, { stage: 'opened' });
    const bytes = (await downloaded(institution, a.id)).bytes;
    await institution.data(SAVE, { input: { assessmentId: a.id, schemeIndicatorId: await indicatorId('A0-02'), judgment: 'MET', expectedRevision: 0 } });
    await institution.data(SAVE, { input: { assessmentId: a.id, schemeIndicatorId: await indicatorId('A0-04'), judgment: 'MET', expectedRevision: 0 } });
    const res = await uploaded(institution, a.id, await filled(bytes, { 'A0-01': ['Cumple'], 'A0-02': ['No cumple'], 'A0-04': ['Cumple'] }));
    expect(res.body.problems).toEqual([{ sheet: 'A0 Área 0', row: 4, column: 'H', reason: 'STALE_ANSWER', value: '0' }]);
    expect((await answers(a.id))['A0-02']).toMatchObject({ judgment: 'MET', revision: 1 });
    expect((await answers(a.id))['A0-01']).toBeUndefined();
  });

  it('refuses another assessment’s questionnaire, a file that is no spreadsheet, a zip bomb, and anyone but the institution’s people', async () => {
    const [a, b] = [await assessment(api, scheme, { stage: 'opened' }), await assessment(api, scheme, { stage: 'opened' })];
    const other = await filled((await downloaded(institution, b.id)).bytes, { 'A0-01': ['Cumple'] });
    expect(await uploaded(institution, a.id, other)).toMatchObject({ status: 400, body: { reason: 'QUESTIONNAIRE_OTHER_ASSESSMENT' } });
    expect(await uploaded(institution, a.id, PDF)).toMatchObject({ status: 400, body: { reason: 'QUESTIONNAIRE_UNREADABLE' } });
    expect(await uploaded(institution, a.id, zipBomb())).toMatchObject({ status: 400, body: { reason: 'EVIDENCE_ARCHIVE_SUSPICIOUS' } });
    const own = await filled((await downloaded(institution, a.id)).bytes, { 'A0-01': ['Cumple'] });
    await asReviewer(api, a.id, REVIEWER);
    expect(await uploaded(reviewer, a.id, own)).toMatchObject({ status: 403, body: { reason: 'NOT_ASSESSMENT_PARTY' } });
    expect(await uploaded(outsider, a.id, own)).toMatchObject({ status: 403 });
    const noHeader = await fetch(`${api.url}/certification/assessments/${a.id}/questionnaire`, { method: 'POST', body: own, headers: { cookie: institution.cookie } });
    expect(noHeader.status).toBe(403);
    expect(await answers(a.id)).toEqual({});
  });
});
