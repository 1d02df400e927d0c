import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BallotOutcome } from '../../../api/src/ballots/ballot-rules.js';
import { CommentType } from '../../../api/src/comments/comment.entity.js';
import { DispositionStatus } from '../../../api/src/dispositions/disposition.entity.js';
import { DISPOSITION_COLUMNS } from '../../../api/src/exports/disposition-columns.js';
import { exportLabels } from '../../../api/src/exports/export-labels.js';
import { INDICATOR_FIELDS } from '../../../api/src/indicators/indicator-field.js';
import { RatingValue } from '../../../api/src/ratings/practice-rating.entity.js';
import { ReleaseChangeKind } from '../../../api/src/releases/changelog.js';
import { releaseLabels } from '../../../api/src/releases/release-labels.js';
import { Locale } from '../../../api/src/users/user.entity.js';
import { demo, startTestApi, type TestApi } from '../../support/api.js';
import { ADD_COMMENT, createFramework, openRound } from '../rounds/fixtures.js';
import { download } from '../exports/fixtures.js';

/**
 * The files the API writes (exports, releases) say an enum value in the words the web's pages use: both
 * read the web's catalogues. Read here straight from the JSON files, as the web bundles them.
 */
const MESSAGES = fileURLToPath(new URL('../../../web/src/lib/i18n/messages/', import.meta.url));
const LOCALES = Object.values(Locale);

function catalogue(locale: string): Record<string, string> {
  const all: Record<string, string> = {};
  for (const file of readdirSync(`${MESSAGES}${locale}`).filter((f) => f.endsWith('.json'))) {
    const messages = JSON.parse(readFileSync(`${MESSAGES}${locale}/${file}`, 'utf8')) as Record<string, string>;
    for (const [key, text] of Object.entries(messages)) all[`${file.replace(/\.json$/, '')}.${key}`] = text;
  }
  return all;
}

/** Each enum a file labels, with the web's catalogue prefix for it. */
const ENUMS: [string, string, readonly string[], (l: Locale) => Record<string, string>][] = [
  ['comment types', 'consultation.type', Object.values(CommentType), (l) => exportLabels(l).commentType],
  ['dispositions', 'consultation.disposition', [...Object.values(DispositionStatus), 'NONE'], (l) => exportLabels(l).disposition],
  ['indicator fields', 'consultation.field', INDICATOR_FIELDS, (l) => exportLabels(l).field],
  ['ratings', 'consultation.rating', Object.values(RatingValue), (l) => exportLabels(l).rating],
  ['ballot outcomes', 'ballots.outcome', Object.values(BallotOutcome), (l) => exportLabels(l).outcome],
  ['release change kinds', 'releases.kind', Object.values(ReleaseChangeKind), (l) => releaseLabels(l).kind],
];

describe('the words of exported and released files', () => {
  describe.each(LOCALES)('in %s', (locale) => {
    const web = catalogue(locale);

    it.each(ENUMS)('every value of the %s has a catalogue entry, and the files say it as the web does', (_name, prefix, values, labelsOf) => {
      expect(values.filter((v) => typeof web[`${prefix}.${v}`] !== 'string')).toEqual([]);
      expect(labelsOf(locale)).toEqual(Object.fromEntries(values.map((v) => [v, web[`${prefix}.${v}`]])));
    });

    it('the column headers, headings and file names are the catalogue’s files.json, plain text', () => {
      expect(exportLabels(locale).columns).toEqual(Object.fromEntries(DISPOSITION_COLUMNS.map((c) => [c.key, web[`files.column.${c.key}`]])));
      expect(releaseLabels(locale).fileStem).toBe(web['files.release.fileStem']);
      const files = Object.entries(web).filter(([key]) => key.startsWith('files.'));
      expect(files.filter(([, text]) => text.includes('{'))).toEqual([]);
    });
  });
});

describe('an exported spreadsheet and report, in each language', () => {
  let api: TestApi;
  let roundId: string;
  let dir: string;

  beforeAll(async () => {
    api = await startTestApi();
    dir = mkdtempSync(join(tmpdir(), 'consulta-file-labels-'));
    const fw = await createFramework(api.db.orm, { slug: 'file-labels', areas: 1, perArea: 1 });
    const facilitator = await api.as(demo.facilitator);
    const stakeholder = await api.as(demo.stakeholder);
    roundId = (await openRound(facilitator, fw)).id;
    const { addComment } = await stakeholder.data(ADD_COMMENT, {
      input: { roundId, targetKind: 'INDICATOR_VERSION', targetId: fw.versionIds[0], type: 'TECHNICAL', body: 'La medición se lee mal.', anchor: { field: 'MEASUREMENT', language: 'ES' } },
    });
    await facilitator.data(`mutation($input: DispositionInput!) { setDispositions(input: $input) { status } }`, {
      input: { commentIds: [addComment.id], status: 'REJECTED', response: 'Se mantiene el texto.' },
    });
  });
  afterAll(async () => {
    await api?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it.each(LOCALES)('in %s, the XLSX area sheet heads its columns and names the comment’s field, type and disposition as the web does', async (locale) => {
    const web = catalogue(locale);
    const res = await download(api, await api.as(demo.facilitator), roundId, { format: 'xlsx', language: locale });
    expect(res.status).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(res.body as unknown as ArrayBuffer);
    const sheet = book.worksheets.find((s) => s.getRow(1).getCell(1).value === web['files.column.number'])!;
    expect(sheet, 'an area sheet').toBeDefined();
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    expect(header).toEqual(DISPOSITION_COLUMNS.map((c) => web[`files.column.${c.key}`]));
    const row = (sheet.getRow(2).values as unknown[]).slice(1);
    const cell = (key: string) => row[DISPOSITION_COLUMNS.findIndex((c) => c.key === key)];
    expect([cell('field'), cell('commentType'), cell('disposition')]).toEqual([web['consultation.field.MEASUREMENT'], web['consultation.type.TECHNICAL'], web['consultation.disposition.REJECTED']]);
  });

  it.each(LOCALES)('in %s, the PDF report names the field, the comment’s type and its disposition as the web does', async (locale) => {
    const web = catalogue(locale);
    const res = await download(api, await api.as(demo.facilitator), roundId, { format: 'pdf', language: locale });
    expect(res.status).toBe(200);
    const file = join(dir, `report-${locale}.pdf`);
    writeFileSync(file, res.body);
    const text = execFileSync('pdftotext', [file, '-']).toString('utf8').replace(/\s+/g, ' ');
    for (const words of [web['files.report.title'], `${web['consultation.field.MEASUREMENT']}:`, web['consultation.type.TECHNICAL'], web['consultation.disposition.REJECTED']]) expect(text).toContain(words);
  });
});
