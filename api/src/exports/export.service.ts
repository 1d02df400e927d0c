import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { IsolationLevel } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { audit } from '../audit/audit.service.js';
import type { Viewer } from '../auth/viewer.js';
import { badInput } from '../errors.js';
import { requireRoundReader } from '../rounds/round-readers.js';
import { getRound } from '../rounds/round.service.js';
import { Role } from '../users/user.entity.js';
import { csvExport } from './csv.export.js';
import { exportLabels } from './export-labels.js';
import { ExportFormat, type ExportRequest } from './export-request.js';
import { pdfExport } from './pdf.export.js';
import { roundDocument } from './round-document.js';
import { loadRoundOutline, type RoundOutline } from '../rounds/round-outline.js';
import { xlsxExport } from './xlsx.export.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface PreparedExport {
  outline: RoundOutline;
  request: ExportRequest;
  fileName: string;
}

/**
 * Checks who asks (whoever may read the round, and of them facilitators and admins only), finds
 * the round, and records the download in the round's audit log before a byte is sent: an export
 * that fails half-way still shows who tried.
 */
export async function prepareExport(em: EntityManager, viewer: Viewer, roundId: string, request: ExportRequest): Promise<PreparedExport> {
  if (!UUID.test(roundId)) throw badInput('roundId', 'Not a round id');
  await requireRoundReader(viewer, await getRound(em, roundId));
  viewer.require(Role.FACILITATOR, 'Only facilitators export a round');
  const outline = await loadRoundOutline(em, roundId, request.language);
  audit(em, {
    actorId: viewer.id,
    action: 'export.downloaded',
    subjectType: 'ConsultationRound',
    subjectId: roundId,
    scopeId: roundId,
    data: { format: request.format, language: outline.language, filter: { ...request.filter } },
  });
  await em.flush();
  return { outline, request, fileName: exportFileName(outline, request.format) };
}

/** e.g. `disposicion-de-comentarios - Primera ronda de consulta.csv`, in the export's language. */
function exportFileName(outline: RoundOutline, format: ExportFormat): string {
  const stems = exportLabels(outline.language).fileStem;
  const stem = format === ExportFormat.PDF ? stems.report : format === ExportFormat.JSON ? stems.data : stems.table;
  // Characters file systems refuse, and control characters, become spaces.
  const title = outline.roundTitle.replace(/[\\/:*?"<>|\p{Cc}]+/gu, ' ').replace(/\s+/g, ' ').trim().slice(0, 120);
  return `${stem}${title ? ` - ${title}` : ''}.${format}`;
}

/**
 * Writes the export into `out` from one read-only snapshot (REPEATABLE READ), so a summary's
 * counts and the table beside it describe the same moment. Every format but the PDF streams:
 * rows are read in batches as the client takes them.
 */
export async function writeExport(em: EntityManager, { outline, request }: PreparedExport, out: Writable): Promise<void> {
  // Bytes, not objects: a chunk becomes a Buffer as it is read, and the stream holds about 16 KB
  // ahead of the client rather than 16 chunks of a page each (which lived long enough to be
  // promoted to V8's old generation).
  const bytes = (chunks: AsyncIterable<string | Buffer>) => Readable.from(chunks, { objectMode: false });
  await em.fork().transactional(
    async (tx) => {
      // The JSON document writes timestamps as the database renders them: always in UTC.
      await tx.execute("set local time zone 'UTC'");
      switch (request.format) {
        case ExportFormat.CSV:
          return pipeline(bytes(csvExport(tx, outline, request.filter)), out);
        case ExportFormat.JSON:
          return pipeline(bytes(roundDocument(tx, outline.roundId)), out);
        case ExportFormat.XLSX:
          return xlsxExport(tx, outline, request.filter, out);
        case ExportFormat.PDF:
          return pipeline(await pdfExport(tx, outline, request.filter), out);
      }
    },
    { isolationLevel: IsolationLevel.REPEATABLE_READ, readOnly: true },
  );
}
