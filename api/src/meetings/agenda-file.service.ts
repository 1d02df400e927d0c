import type { EntityManager } from '@mikro-orm/postgresql';
import { audit } from '../audit/audit.service.js';
import type { Viewer } from '../auth/viewer.js';
import { checkedUpload, cleanFileName } from '../certification/evidence.service.js';
import { forbidden, notFound } from '../errors.js';
import { sha256Of, type FileStore } from '../storage/file-store.js';
import { UPLOAD_TYPES, type ArchiveLimits } from '../storage/upload-type.js';
import { AgendaFile } from './agenda-file.entity.js';
import { requireDraftMinutes } from './meeting.service.js';
import { findAgendaItem } from './minutes.service.js';

/**
 * Adds a file to an agenda item's materials (facilitators, while the minutes are a draft). The bytes
 * are checked as evidence is (size, type by the bytes, a name or declared type that lies, markup,
 * a spreadsheet's archive) before anything is written, so a refused file leaves neither bytes nor a row.
 */
export async function addAgendaFile(
  em: EntityManager,
  store: FileStore,
  viewer: Viewer,
  upload: { agendaItemId: string; fileName: string; declaredType?: string | null },
  bytes: Buffer,
  limits: ArchiveLimits & { maxBytes: number },
): Promise<AgendaFile> {
  if (!viewer.isFacilitator) throw forbidden('Facilitators add an agenda’s materials');
  const { item, meeting } = await findAgendaItem(em, viewer, upload.agendaItemId);
  requireDraftMinutes(meeting);
  const fileName = cleanFileName(upload.fileName);
  const type = checkedUpload(bytes, { fileName, declaredType: upload.declaredType }, limits);
  const sha256 = sha256Of(bytes);
  // Stored before the row commits: a failed commit leaves bytes no row names (harmless, content-addressed), never a row without its bytes.
  await store.put(sha256, bytes);
  const file = em.create(AgendaFile, { agendaItem: item, sha256, size: bytes.length, contentType: UPLOAD_TYPES[type].contentType, fileName, uploadedById: viewer.id });
  audit(em, { actorId: viewer.id, action: 'meeting.material_added', subjectType: 'Meeting', subjectId: meeting.id, scopeId: meeting.id, data: { agendaItemId: item.id, fileId: file.id, sha256, size: file.size, contentType: file.contentType } });
  await em.flush();
  return file;
}

/** The file, for whoever may see its meeting (signed out: a public meeting's); NOT_FOUND otherwise. */
export async function readAgendaFile(em: EntityManager, viewer: Viewer | null, id: string): Promise<AgendaFile> {
  const file = await em.findOne(AgendaFile, { id });
  if (!file) throw notFound('AgendaFile', id);
  await findAgendaItem(em, viewer, file.agendaItem.id);
  return file;
}

/** Where a browser downloads an agenda file (the web forwards /exports/ to the API). */
export const agendaFilePath = (id: string) => `/exports/meetings/materials/${id}`;
