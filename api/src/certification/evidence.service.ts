import type { EntityManager } from '@mikro-orm/postgresql';
import type { Viewer } from '../auth/viewer.js';
import type { Config } from '../config.js';
import { badInput, conflict, DomainError, ErrorCode, notFound, Refusal } from '../errors.js';
import type { FileStore } from '../storage/file-store.js';
import { sha256Of } from '../storage/file-store.js';
import { checkUpload, UPLOAD_TYPES, UploadRefused, type ArchiveLimits, type UploadType } from '../storage/upload-type.js';
import { assessmentFor, canRead, partyOf, type AssessmentParty } from './assessment-access.js';
import { Assessment, AssessmentStatus, EvidenceRequest } from './assessment.entity.js';
import { auditAssessment, indicatorOfAssessment } from './assessment.service.js';
import { EvidenceFile } from './evidence.entity.js';

/** The limits an upload is checked against, from config. */
export const uploadLimits = (config: Config): ArchiveLimits & { maxBytes: number } => ({
  maxBytes: config.EVIDENCE_MAX_BYTES,
  maxUnpackedBytes: config.XLSX_MAX_UNPACKED_BYTES,
  maxRatio: config.XLSX_MAX_RATIO,
});

/** An upload refused for what its bytes are, as the API's error (BAD_USER_INPUT, with the Refusal of the same name). */
export function refusedUpload(err: UploadRefused): DomainError {
  return new DomainError(ErrorCode.BAD_USER_INPUT, err.message, { reason: Refusal[err.problem], fields: [{ field: 'file', message: err.message }] });
}

/** What the bytes are, checked as every upload is (`checkUpload`); a refusal as the API's error. */
export function checkedUpload(bytes: Buffer, claim: { fileName: string; declaredType?: string | null }, limits: ArchiveLimits & { maxBytes: number }): UploadType {
  try {
    return checkUpload(bytes, claim, limits);
  } catch (err) {
    if (err instanceof UploadRefused) throw refusedUpload(err);
    throw err;
  }
}

export interface EvidenceUpload {
  assessmentId: string;
  schemeIndicatorId: string;
  /** The open evidence request the file answers, for an assessment already submitted. */
  evidenceRequestId?: string | null;
  fileName: string;
  /** The type the sender declared (the browser's), checked against the bytes when given. */
  declaredType?: string | null;
  note?: string | null;
}

/** A name safe to show and to send back in Content-Disposition: no folders, no control characters, at most 200 characters. */
export function cleanFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  return base.replace(/[\p{Cc}\p{Cf}]+/gu, '').replace(/\s+/g, ' ').trim().slice(-200);
}

/**
 * Adds an evidence file to an answer, for the institution's people: while the assessment is in
 * progress, or afterwards with an open evidence request on that indicator. The bytes are checked
 * before anything is written (size, type by magic bytes, a name or declared type that lies, markup,
 * a spreadsheet's archive), so a refused file leaves neither bytes in the store nor a row.
 */
export async function addEvidenceFile(em: EntityManager, store: FileStore, viewer: Viewer, upload: EvidenceUpload, bytes: Buffer, limits: ArchiveLimits & { maxBytes: number }): Promise<EvidenceFile> {
  const assessment = await assessmentFor(em, viewer, upload.assessmentId, 'institution');
  const indicator = await indicatorOfAssessment(em, assessment, upload.schemeIndicatorId);
  let request: EvidenceRequest | null = null;
  if (upload.evidenceRequestId) {
    request = await em.findOne(EvidenceRequest, { id: upload.evidenceRequestId, assessment, schemeIndicator: indicator });
    if (!request) throw notFound('EvidenceRequest', upload.evidenceRequestId);
  }
  if (assessment.status !== AssessmentStatus.IN_PROGRESS && (!request || request.respondedAt)) {
    throw conflict('The assessment is submitted: new evidence comes only with an open evidence request on that indicator', { reason: Refusal.EVIDENCE_FROZEN });
  }
  const fileName = cleanFileName(upload.fileName);
  const type = checkedUpload(bytes, { fileName, declaredType: upload.declaredType }, limits);
  const note = (upload.note ?? '').trim();
  if (note.length > 2000) throw badInput('note', 'At most 2000 characters');
  const sha256 = sha256Of(bytes);
  // Stored before the row commits: a failed commit leaves bytes no row names (harmless, content-addressed), never a row without its bytes.
  await store.put(sha256, bytes);
  const file = em.create(EvidenceFile, { assessment, schemeIndicator: indicator, evidenceRequest: request, sha256, size: bytes.length, contentType: UPLOAD_TYPES[type].contentType, fileName, note, uploadedById: viewer.id });
  auditAssessment(em, viewer.id, 'assessment.evidence_file_added', assessment, { fileId: file.id, code: indicator.code, sha256, size: bytes.length, contentType: file.contentType, evidenceRequestId: request?.id ?? null });
  await em.flush();
  return file;
}

/** Removes an evidence file (the institution's people), while it is not frozen with the submitted assessment. */
export async function removeEvidenceFile(em: EntityManager, viewer: Viewer, id: string): Promise<boolean> {
  const found = await em.findOne(EvidenceFile, { id });
  if (!found) throw notFound('EvidenceFile', id);
  const assessment = await assessmentFor(em, viewer, found.assessment.id, 'institution');
  if (assessment.status !== AssessmentStatus.IN_PROGRESS) throw conflict('The assessment is submitted: its evidence is frozen', { reason: Refusal.EVIDENCE_FROZEN });
  auditAssessment(em, viewer.id, 'assessment.evidence_file_removed', assessment, { fileId: found.id, sha256: found.sha256, fileName: found.fileName });
  em.remove(found);
  await em.flush();
  return true;
}

/** Who, outside the institution, is reading: written with the access record. */
const readerRole = (p: AssessmentParty) => (p.reviewer ? 'reviewer' : 'overseer');

/**
 * The evidence file the viewer may read (NOT_FOUND otherwise, so its existence does not leak). A read
 * by anyone outside the institution (a reviewer, the committee, a facilitator) is an access to
 * confidential evidence: the download route calls this in its own transaction and the access record
 * (`assessment.evidence_file_read`) commits before a byte is sent, so no copy leaves unrecorded.
 */
export async function readEvidenceFile(em: EntityManager, viewer: Viewer | null, id: string): Promise<EvidenceFile> {
  const file = await em.findOne(EvidenceFile, { id });
  const assessment = file && (await em.findOne(Assessment, { id: file.assessment.id }));
  const party = assessment ? await partyOf(em, viewer, assessment) : null;
  if (!file || !assessment || !party || !canRead(party)) throw notFound('EvidenceFile', id);
  if (!party.institution) {
    auditAssessment(em, viewer!.id, 'assessment.evidence_file_read', assessment, { fileId: file.id, sha256: file.sha256, fileName: file.fileName, as: readerRole(party) });
    await em.flush();
  }
  return file;
}

/** Where a signed-in browser downloads an evidence file (the web forwards /exports/ to the API). */
export const evidenceDownloadPath = (id: string) => `/exports/certification/evidence/${id}`;
