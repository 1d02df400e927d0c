import type { Readable, Writable } from 'node:stream';
import { exportLabels } from '../exports/export-labels.js';
import { drawable } from '../exports/pdf-fonts.js';
import { diffParagraph, pdfmake } from '../exports/pdf.export.js';
import { DiffRunKind } from '../indicators/version-diff.js';
import type { ReleaseDocument } from './release-document.js';
import { releaseLabels } from './release-labels.js';

const day = (iso: string, language: string) => new Intl.DateTimeFormat(language, { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(iso));

/** The title line of every format: `Marco … — Versión publicada 2026.1 (FINAL)`. */
function heading(doc: ReleaseDocument): string {
  const l = releaseLabels(doc.language);
  return `${doc.framework.name} — ${l.release} ${doc.release.number} (${doc.release.final ? l.final : l.working})`;
}

/** The release as a PDF: cover with its status and notes, the indicators' texts, then the changelog with each change's word diff, ballots and answered comments. */
export async function releasePdf(doc: ReleaseDocument): Promise<Readable> {
  const l = releaseLabels(doc.language);
  const x = exportLabels(doc.language);
  const r = doc.release;
  const content: unknown[] = [
    { text: heading(doc), style: 'cover' },
    { text: `${l.released} ${day(r.createdAt, doc.language)}` },
    ...(r.finalAt ? [{ text: `${l.final}: ${day(r.finalAt, doc.language)}` }] : []),
    ...(r.supersededBy ? [{ text: `${l.supersededBy} ${r.supersededBy}`, bold: true }] : []),
    ...(r.notes ? [{ text: l.notes, style: 'h3' }, { text: r.notes }] : []),
    { text: l.indicators, style: 'h1', pageBreak: 'before' },
  ];
  for (const indicator of doc.indicators) {
    content.push({ text: `${indicator.code} (v${indicator.versionNumber})${indicator.area ? ` · ${indicator.area}` : ''}`, style: 'h2' });
    for (const f of indicator.fields) content.push({ text: [{ text: `${x.field[f.field]}: `, style: 'label' }, f.text], margin: [0, 0, 0, 3] });
  }
  content.push({ text: l.changelog, style: 'h1', pageBreak: 'before' });
  if (!doc.changelog.length) content.push({ text: l.noChanges, style: 'muted' });
  for (const change of doc.changelog) {
    const versions = `${change.fromVersion ? `v${change.fromVersion}` : '—'} → ${change.toVersion ? `v${change.toVersion}` : '—'}`;
    content.push({ text: `${change.code} · ${l.kind[change.kind]} · ${versions}`, style: 'h2' });
    for (const d of change.diff) {
      content.push(diffParagraph(x.field[d.field], d.runs));
    }
    for (const step of change.steps) {
      content.push({ text: `${l.version} ${step.versionNumber}${step.changeSummary ? ` — ${step.changeSummary}` : ''}`, style: 'h3' });
      content.push(
        step.ballots.length
          ? { ul: step.ballots.map((b) => `${l.approvedIn}: ${b.title} (${x.outcome[b.outcome] ?? b.outcome}${b.decidedAt ? `, ${day(b.decidedAt, doc.language)}` : ''})`) }
          : { text: l.noBallot, style: 'muted' },
      );
      if (step.comments.length) content.push({ text: l.answered, style: 'label' }, { ul: step.comments.map((c) => c.body) });
    }
  }
  const document = {
    info: { title: heading(doc), creator: 'Consulta' },
    pageSize: 'A4',
    pageMargins: [48, 56, 48, 56],
    defaultStyle: { font: 'Roboto', fontSize: 9.5, lineHeight: 1.2 },
    styles: {
      cover: { fontSize: 20, bold: true, margin: [0, 120, 0, 12] },
      h1: { fontSize: 16, bold: true, margin: [0, 0, 0, 10] },
      h2: { fontSize: 12, bold: true, margin: [0, 12, 0, 5] },
      h3: { fontSize: 10.5, bold: true, margin: [0, 6, 0, 3] },
      label: { bold: true, color: '#444444' },
      muted: { color: '#666666', italics: true },
    },
    footer: (currentPage: number, pageCount: number) =>
      drawable({ text: `${x.report.page} ${currentPage} ${x.report.of} ${pageCount}`, alignment: 'center', fontSize: 8, margin: [0, 20, 0, 0] }),
    content: drawable(content),
  };
  const stream = await pdfmake().createPdf(document).getStream();
  stream.end();
  return stream;
}

/** The release as a workbook: one sheet of indicators (a column per field), one of the changelog (a row per adopted version). */
export async function releaseXlsx(doc: ReleaseDocument, out: Writable): Promise<void> {
  const l = releaseLabels(doc.language);
  const x = exportLabels(doc.language);
  const { default: excel } = await import('exceljs');
  const workbook = new excel.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  workbook.creator = 'Consulta';
  const wrap = { wrapText: true, vertical: 'top' } as const;

  const fields = Object.keys(x.field);
  const indicators = workbook.addWorksheet(l.indicators.slice(0, 31), { views: [{ state: 'frozen', ySplit: 2 }] });
  indicators.columns = [{ width: 12 }, { width: 24 }, { width: 10 }, ...fields.map(() => ({ width: 40, style: { alignment: wrap } }))];
  const title = indicators.addRow([heading(doc)]);
  title.font = { bold: true };
  title.commit();
  const header = indicators.addRow([l.code, l.area, l.version, ...fields.map((f) => x.field[f])]);
  header.font = { bold: true };
  header.commit();
  for (const i of doc.indicators) {
    const byField = new Map(i.fields.map((f) => [f.field as string, f.text]));
    indicators.addRow([i.code, i.area ?? '', i.versionNumber, ...fields.map((f) => byField.get(f) ?? '')]).commit();
  }
  indicators.commit();

  const changelog = workbook.addWorksheet(l.changelog.slice(0, 31), { views: [{ state: 'frozen', ySplit: 1 }] });
  changelog.columns = [{ width: 12 }, { width: 14 }, { width: 8 }, { width: 8 }, { width: 10 }, { width: 40, style: { alignment: wrap } }, { width: 40, style: { alignment: wrap } }, { width: 60, style: { alignment: wrap } }];
  const head = changelog.addRow([l.code, '', l.from, l.to, l.version, l.approvedIn, l.answered, x.report.revision]);
  head.font = { bold: true };
  head.commit();
  for (const c of doc.changelog) {
    const diff = c.diff.map((d) => `${x.field[d.field]}: ${d.runs.filter((r) => r.kind !== DiffRunKind.DELETED).map((r) => r.text).join('')}`).join('\n');
    const steps = c.steps.length ? c.steps : [null];
    for (const s of steps) {
      changelog
        .addRow([
          c.code,
          l.kind[c.kind],
          c.fromVersion ?? '',
          c.toVersion ?? '',
          s?.versionNumber ?? '',
          s ? (s.ballots.length ? s.ballots.map((b) => b.title).join('\n') : l.noBallot) : '',
          s ? s.comments.map((m) => m.body).join('\n—\n') : '',
          s?.changeSummary ? `${s.changeSummary}\n${diff}` : diff,
        ])
        .commit();
    }
  }
  changelog.commit();
  await workbook.commit();
}
