import { createRequire } from 'node:module';
import type { Readable } from 'node:stream';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { CommentFilter } from '../comments/comment.inputs.js';
import { localize } from '../i18n/localized-text.js';
import { INDICATOR_FIELDS, type IndicatorTexts } from '../indicators/indicator-field.js';
import { diffTexts, DiffRunKind, type DiffRun } from '../indicators/version-diff.js';
import { dispositionPages, type DispositionRow } from './disposition-table.js';
import { exportLabels, type ExportLabels } from './export-labels.js';
import { drawable, FONT_DIR, REPORT_FONTS } from './pdf-fonts.js';
import { markdownContent } from './pdf-markdown.js';
import type { OutlineIndicator, RoundOutline } from '../rounds/round-outline.js';
import { ballotResults, roundRevisions, type BallotResult } from './round-summary.js';
import type { Selectable } from 'kysely';
import { reads } from '../db/reads.js';
import type { DB as Tables } from '../db/tables.js';

interface Pdfmake {
  setFonts(fonts: unknown): void;
  setUrlAccessPolicy(policy: (url: string) => boolean): void;
  setLocalAccessPolicy(policy: (path: string) => boolean): void;
  createPdf(definition: unknown): { getStream(): Promise<Readable & { end(): void }> };
}

let loaded: Pdfmake | undefined;

/** One field's word diff as a paragraph: inserted words green and underlined, deleted ones red and struck through. */
export function diffParagraph(label: string, runs: DiffRun[]) {
  return {
    text: [
      { text: `${label}: `, style: 'label' },
      ...runs.map((run) =>
        run.kind === DiffRunKind.INSERTED
          ? { text: run.text, color: '#1a7f37', decoration: 'underline' }
          : run.kind === DiffRunKind.DELETED
            ? { text: run.text, color: '#b42318', decoration: 'lineThrough' }
            : { text: run.text },
      ),
    ],
    margin: [0, 0, 0, 3],
  };
}

/** pdfmake and its fonts, loaded with the first report: a process that never writes one does not carry them. */
export function pdfmake(): Pdfmake {
  if (loaded) return loaded;
  // pdfmake ships no types for its 0.3 server build; the document definition is plain data.
  const pdf = createRequire(import.meta.url)('pdfmake') as Pdfmake;
  pdf.setFonts(REPORT_FONTS);
  // A report is built from our own data only: no fetching, no file but the fonts.
  pdf.setUrlAccessPolicy(() => false);
  pdf.setLocalAccessPolicy((path) => path.startsWith(FONT_DIR));
  return (loaded = pdf);
}

/** Comments listed per indicator; past that the report counts them and points to the table. */
const LISTED_PER_INDICATOR = 200;

type VersionRow = Pick<Selectable<Tables['indicator_version']>, 'id' | 'indicator_id' | 'number' | 'parent_id' | 'status' | 'texts' | 'change_summary'>;

interface IndicatorComments { rows: DispositionRow[]; total: number }

/**
 * The consolidated report of a round as a PDF stream: cover, contents, then per area and
 * indicator the consulted text, the comments with their dispositions, each revision's changes
 * word by word and its ballot result; page numbers in the footer. The comments come from the
 * same table as the other formats (and the same filter); comments and responses print their
 * Markdown as the web shows it.
 */
export async function pdfExport(em: EntityManager, outline: RoundOutline, filter: CommentFilter): Promise<Readable> {
  const labels = exportLabels(outline.language);
  const pinnedIds = outline.areas.flatMap((a) => a.indicators.map((i) => i.versionId));
  const db = reads(em);
  const versions = await db
    .selectFrom('indicator_version')
    .select(['id', 'indicator_id', 'number', 'parent_id', 'status', 'texts', 'change_summary'])
    .where((eb) => eb.or([...(pinnedIds.length ? [eb('id', 'in', pinnedIds)] : []), eb('id', 'in', roundRevisions(db, outline.roundId))]))
    .orderBy('number')
    .execute();
  const versionById = new Map(versions.map((v) => [v.id, v]));
  const ballots = await ballotResults(em, outline);

  const commentsOf = new Map<string, IndicatorComments>();
  const general: IndicatorComments = { rows: [], total: 0 };
  for await (const page of dispositionPages(em, outline, { filter })) {
    for (const row of page) {
      const key = String(row.indicatorCode);
      const bucket = key ? (commentsOf.get(key) ?? commentsOf.set(key, { rows: [], total: 0 }).get(key)!) : general;
      bucket.total++;
      if (bucket.rows.length < LISTED_PER_INDICATOR) bucket.rows.push(row);
    }
  }

  const content: unknown[] = [...cover(outline, labels), { toc: { title: { text: labels.report.contents, style: 'h1' } }, pageBreak: 'after' }];
  if (general.total) {
    content.push({ text: labels.noArea, style: 'h1', tocItem: true }, commentTable(general, labels));
  }
  for (const area of outline.areas) {
    content.push({ text: `${area.code} — ${area.title}`, style: 'h1', tocItem: true, pageBreak: content.length > 2 ? 'before' : undefined });
    for (const indicator of area.indicators) {
      const revisions = versions.filter((v) => v.indicator_id === indicator.indicatorId && v.id !== indicator.versionId);
      content.push(
        ...indicatorSection(outline, labels, indicator, versionById.get(indicator.versionId)?.texts ?? {}, commentsOf.get(indicator.code) ?? { rows: [], total: 0 }, revisions, versionById, ballots),
      );
    }
  }

  const document = {
    info: { title: `${labels.report.title} — ${outline.roundTitle}`, creator: 'Consulta' },
    pageSize: 'A4',
    pageMargins: [48, 56, 48, 56],
    defaultStyle: { font: 'Roboto', fontSize: 9.5, lineHeight: 1.2 },
    styles: {
      cover: { fontSize: 24, bold: true, margin: [0, 160, 0, 12] },
      h1: { fontSize: 16, bold: true, margin: [0, 0, 0, 10] },
      h2: { fontSize: 12.5, bold: true, margin: [0, 14, 0, 6] },
      h3: { fontSize: 10.5, bold: true, margin: [0, 8, 0, 4] },
      label: { bold: true, color: '#444444' },
      muted: { color: '#666666', italics: true },
      th: { bold: true, fillColor: '#eeeeee' },
    },
    footer: (currentPage: number, pageCount: number) =>
      drawable({
        text: `${labels.report.page} ${currentPage} ${labels.report.of} ${pageCount}`,
        alignment: 'center',
        fontSize: 8,
        margin: [0, 20, 0, 0],
      }),
    // Every text passes through the font's coverage: nothing prints as an empty box.
    content: drawable(content),
  };
  const stream = await pdfmake().createPdf(document).getStream();
  stream.end();
  return stream;
}

function cover(outline: RoundOutline, labels: ExportLabels): unknown[] {
  const day = (d: Date) => new Intl.DateTimeFormat(outline.language, { dateStyle: 'long', timeZone: 'UTC' }).format(d);
  return [
    { text: labels.report.title, style: 'cover' },
    { text: outline.roundTitle, fontSize: 16, margin: [0, 0, 0, 6] },
    { text: outline.frameworkName, fontSize: 12, margin: [0, 0, 0, 24] },
    { text: `${day(outline.opensAt)} – ${day(outline.closesAt)}` },
    { text: `${labels.report.generated} ${day(new Date())}`, style: 'muted', pageBreak: 'after' },
  ];
}

function indicatorSection(
  outline: RoundOutline,
  labels: ExportLabels,
  indicator: OutlineIndicator,
  texts: IndicatorTexts,
  comments: IndicatorComments,
  revisions: VersionRow[],
  versionById: Map<string, VersionRow>,
  ballots: BallotResult[],
): unknown[] {
  const out: unknown[] = [{ text: `${indicator.code} — ${indicator.title} (v${indicator.versionNumber})`, style: 'h2', tocItem: true, tocMargin: [12, 0, 0, 0] }];
  out.push({ text: labels.report.consultedText, style: 'h3' });
  for (const field of INDICATOR_FIELDS) {
    const text = localize(texts[field], outline.language, outline.sourceLanguage);
    if (text) out.push({ text: [{ text: `${labels.field[field]}: `, style: 'label' }, text.value], margin: [0, 0, 0, 3] });
  }
  out.push({ text: labels.report.comments, style: 'h3' });
  out.push(comments.total ? commentTable(comments, labels) : { text: labels.report.noComments, style: 'muted' });

  out.push({ text: labels.report.revision, style: 'h3' });
  if (!revisions.length) out.push({ text: labels.report.noRevision, style: 'muted' });
  for (const revision of revisions) {
    const base = versionById.get(revision.parent_id ?? indicator.versionId) ?? versionById.get(indicator.versionId);
    out.push({ text: `${indicator.code} v${revision.number}${revision.change_summary ? ` — ${revision.change_summary}` : ''}`, bold: true, margin: [0, 2, 0, 2] });
    for (const diff of diffTexts(base?.texts ?? {}, revision.texts, [outline.language]).filter((d) => d.changed)) {
      out.push(diffParagraph(labels.field[diff.field], diff.runs));
    }
    out.push({ text: labels.report.vote, style: 'h3' });
    const results = ballots.filter((b) => b.revisionId === revision.id);
    if (!results.length) out.push({ text: labels.report.noVote, style: 'muted' });
    for (const b of results) {
      const s = labels.summary;
      out.push({
        text: b.closed
          ? `${b.ballot}: ${labels.outcome[b.outcome ?? ''] ?? ''} — ${s.approve} ${b.approve}, ${s.reject} ${b.reject}, ${s.abstain} ${b.abstain}${b.eligible != null ? `, ${s.eligible} ${b.eligible}` : ''}`
          : `${b.ballot}: ${s.pending}`,
      });
    }
  }
  return out;
}

function commentTable(comments: IndicatorComments, labels: ExportLabels): unknown {
  const c = labels.columns;
  const body: unknown[][] = [[c.number, c.author, c.commentType, c.comment, c.disposition, c.response].map((text) => ({ text, style: 'th' }))];
  for (const row of comments.rows) {
    const who = [row.author, row.organization, row.country].filter(Boolean).join(', ');
    body.push([
      String(row.number),
      who,
      String(row.commentType),
      {
        stack: [
          ...markdownContent(String(row.comment)),
          ...(row.proposedChange ? [{ text: [{ text: `${c.proposedChange}: `, bold: true }, String(row.proposedChange)], italics: true }] : []),
        ],
      },
      row.withdrawn ? `${row.disposition}\n(${row.withdrawn})` : String(row.disposition),
      { stack: markdownContent(String(row.response)) },
    ]);
  }
  const table = { table: { headerRows: 1, widths: [20, 70, 45, '*', 55, '*'], body }, layout: 'lightHorizontalLines', fontSize: 8.5 };
  const more = comments.total - comments.rows.length;
  return more > 0 ? { stack: [table, { text: `+ ${more}`, style: 'muted' }] } : table;
}
