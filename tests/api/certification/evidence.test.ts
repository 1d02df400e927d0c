import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditEntry } from '../../../api/src/audit/audit-entry.entity.js';
import { EvidenceRequest } from '../../../api/src/certification/assessment.entity.js';
import { EvidenceFile } from '../../../api/src/certification/evidence.entity.js';
import { SchemeIndicator, type Scheme } from '../../../api/src/certification/scheme.entity.js';
import { User } from '../../../api/src/users/user.entity.js';
import { demo, startTestApi, type TestApi } from '../../support/api.js';
import type { GraphQLClient } from '../../support/client.js';
import { INSTITUTION, REVIEWER, asReviewer, assessment, certificationScheme, evidenceRequest } from './fixtures.js';
import { JPEG, PDF, PNG, declaredBomb, download, upload, xlsx, zipBomb, type Upload } from './evidence-files.js';

const MAX_BYTES = 64 * 1024;
const store = mkdtempSync(join(tmpdir(), 'consulta-evidence-'));
let api: TestApi;
let scheme: Scheme;
let institution: GraphQLClient;
let reviewer: GraphQLClient;
let outsider: GraphQLClient;
let facilitator: GraphQLClient;
let committee: GraphQLClient;

const indicatorId = async (code: string) => (await api.db.orm.em.fork().findOneOrFail(SchemeIndicator, { area: { scheme: scheme.id }, code })).id;
const rows = () => api.db.orm.em.fork().count(EvidenceFile, {});
const stored = () => readdirSync(store, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).length;
const reads = (fileId: string) => api.db.orm.em.fork().find(AuditEntry, { action: 'assessment.evidence_file_read', data: { fileId } } as never);

async function openAssessmentUpload(fileName = 'politica.pdf'): Promise<Upload> {
  const a = await assessment(api, scheme, { stage: 'opened' });
  return { assessmentId: a.id, schemeIndicatorId: await indicatorId('A0-02'), fileName };
}

beforeAll(async () => {
  api = await startTestApi({ env: { FILE_STORE_DIR: store, EVIDENCE_MAX_BYTES: String(MAX_BYTES) } });
  scheme = await certificationScheme(api);
  await api.db.orm.em.fork().nativeUpdate(User, { email: 'parceira@consulta.demo' }, { roles: ['STAKEHOLDER', 'CERTIFICATION_COMMITTEE'] as never });
  [institution, reviewer, outsider, facilitator, committee] = await Promise.all([INSTITUTION, REVIEWER, demo.member2, demo.facilitator, 'parceira@consulta.demo'].map((e) => api.as(e)));
});
afterAll(async () => {
  await api?.stop();
  rmSync(store, { recursive: true, force: true });
});

describe('uploading evidence', () => {
  it('stores a PDF, PNG, JPEG and XLSX by the SHA-256 of their bytes, and lists them with the answer', async () => {
    const target = await openAssessmentUpload();
    const files = [
      { bytes: PDF, fileName: 'Política de género.pdf', type: 'application/pdf' },
      { bytes: PNG, fileName: 'organigrama.PNG', type: 'image/png' },
      { bytes: JPEG, fileName: 'taller.jpeg', type: 'image/jpeg' },
      { bytes: await xlsx(), fileName: 'cartera.xlsx', type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' },
    ];
    for (const f of files) {
      const res = await upload(api, institution, f.bytes, { ...target, fileName: f.fileName, note: 'Aprobada en 2025' });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ fileName: f.fileName, contentType: f.type, size: f.bytes.length, sha256: createHash('sha256').update(f.bytes).digest('hex'), note: 'Aprobada en 2025' });
    }
    // The same bytes again are a second row over the one stored file.
    expect((await upload(api, institution, PDF, { ...target, fileName: 'copia.pdf' })).status).toBe(201);
    const sha = createHash('sha256').update(PDF).digest('hex');
    expect(readdirSync(join(store, sha.slice(0, 2)))).toEqual([sha]);

    await institution.data(`mutation($input: SaveAnswerInput!) { saveAnswer(input: $input) { id } }`, { input: { ...target, fileName: undefined, judgment: 'MET', expectedRevision: 0 } });
    const read = await institution.data(`query($id: ID!) { certificationAssessment(id: $id) { answers { evidenceFiles { fileName contentType size downloadPath schemeIndicator { code } } } evidenceFiles { id } } }`, { id: target.assessmentId });
    expect(read.certificationAssessment.answers[0].evidenceFiles.map((f: { fileName: string }) => f.fileName)).toEqual([...files.map((f) => f.fileName), 'copia.pdf']);
    expect(read.certificationAssessment.answers[0].evidenceFiles[0]).toMatchObject({ schemeIndicator: { code: 'A0-02' }, downloadPath: expect.stringMatching(/^\/exports\/certification\/evidence\/[0-9a-f-]{36}$/) });
    expect(read.certificationAssessment.evidenceFiles).toHaveLength(5);
  });

  describe('refuses every hostile file with its reason, storing neither bytes nor a row', () => {
    const hostile: Array<[string, () => Promise<{ bytes: Buffer; fileName: string; declaredType?: string }>, number, string]> = [
      ['a PNG named as a PDF', async () => ({ bytes: PNG, fileName: 'informe.pdf' }), 400, 'EVIDENCE_TYPE_MISMATCH'],
      ['a PDF declared as an image', async () => ({ bytes: PDF, fileName: 'informe.pdf', declaredType: 'image/png' }), 400, 'EVIDENCE_TYPE_MISMATCH'],
      ['a PDF with no extension', async () => ({ bytes: PDF, fileName: 'informe' }), 400, 'EVIDENCE_TYPE_MISMATCH'],
      ['HTML with script named as a PDF', async () => ({ bytes: Buffer.from('<!doctype html><html><script>fetch("/graphql")</script></html>'), fileName: 'informe.pdf' }), 400, 'EVIDENCE_ACTIVE_CONTENT'],
      ['an SVG with script named as a PNG', async () => ({ bytes: Buffer.from('<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'), fileName: 'logo.png' }), 400, 'EVIDENCE_ACTIVE_CONTENT'],
      ['a PDF that is also a page (a polyglot)', async () => ({ bytes: Buffer.from('%PDF-1.4\n<html><body><script>alert(1)</script>\n%%EOF'), fileName: 'poly.pdf' }), 400, 'EVIDENCE_ACTIVE_CONTENT'],
      ['a plain text file', async () => ({ bytes: Buffer.from('just words'), fileName: 'notas.txt' }), 400, 'EVIDENCE_TYPE_UNSUPPORTED'],
      ['a ZIP that is no spreadsheet', async () => ({ bytes: (await import('./evidence-files.js')).zip([{ name: 'a.txt', data: Buffer.from('x') }]), fileName: 'datos.xlsx' }), 400, 'EVIDENCE_TYPE_UNSUPPORTED'],
      ['a zip bomb dressed as XLSX', async () => ({ bytes: zipBomb(), fileName: 'cartera.xlsx' }), 400, 'EVIDENCE_ARCHIVE_SUSPICIOUS'],
      ['an XLSX that says it unpacks to 4 GB', async () => ({ bytes: declaredBomb(), fileName: 'cartera.xlsx' }), 400, 'EVIDENCE_ARCHIVE_SUSPICIOUS'],
      ['an empty file', async () => ({ bytes: Buffer.alloc(0), fileName: 'vacio.pdf' }), 400, 'EVIDENCE_EMPTY'],
      ['a file over the size limit', async () => ({ bytes: Buffer.concat([PDF, Buffer.alloc(MAX_BYTES)]), fileName: 'grande.pdf' }), 413, 'EVIDENCE_TOO_LARGE'],
    ];
    it.each(hostile)('%s', async (_name, make, status, reason) => {
      const target = await openAssessmentUpload();
      const [before, files] = [await rows(), stored()];
      const file = await make();
      const res = await upload(api, institution, file.bytes, { ...target, fileName: file.fileName, declaredType: file.declaredType });
      expect(res).toMatchObject({ status, body: { code: 'BAD_USER_INPUT', reason } });
      expect([await rows(), stored()]).toEqual([before, files]);
    });

    it('the zip bomb is under the size limit: its refusal is the archive’s, read from its directory before anything is unpacked', () => {
      expect(zipBomb().length).toBeLessThan(MAX_BYTES);
    });
  });

  it('refuses an upload without the upload header (a cross-site form), signed out, or by anyone but the institution’s people', async () => {
    const target = await openAssessmentUpload();
    const before = await rows();
    expect(await upload(api, institution, PDF, target, {})).toMatchObject({ status: 403, body: { code: 'FORBIDDEN', reason: 'UPLOAD_HEADER_REQUIRED' } });
    expect(await upload(api, null, PDF, target)).toMatchObject({ status: 401, body: { code: 'UNAUTHENTICATED' } });
    await asReviewer(api, target.assessmentId, REVIEWER);
    for (const someone of [outsider, reviewer, facilitator, committee]) {
      expect(await upload(api, someone, PDF, target)).toMatchObject({ status: 403, body: { code: 'FORBIDDEN', reason: 'NOT_ASSESSMENT_PARTY' } });
    }
    expect(await upload(api, institution, PDF, { ...target, schemeIndicatorId: 'nope' })).toMatchObject({ status: 400, body: { reason: 'INVALID_ID' } });
    expect(await rows()).toBe(before);
  });

  it('freezes the evidence of a submitted assessment, but takes files answering an open evidence request', async () => {
    const requestId = await evidenceRequest(api, scheme);
    const request = await api.db.orm.em.fork().findOneOrFail(EvidenceRequest, { id: requestId });
    const target = { assessmentId: request.assessment.id, schemeIndicatorId: request.schemeIndicator.id, fileName: 'acta.pdf' };
    expect(await upload(api, institution, PDF, target)).toMatchObject({ status: 409, body: { code: 'CONFLICT', reason: 'EVIDENCE_FROZEN' } });
    expect(await upload(api, institution, PDF, { ...target, schemeIndicatorId: await indicatorId('A0-04'), evidenceRequestId: requestId })).toMatchObject({ status: 404 });
    const added = await upload(api, institution, PDF, { ...target, evidenceRequestId: requestId });
    expect(added.status).toBe(201);
    const read = await institution.data(`query($id: ID!) { certificationAssessment(id: $id) { evidenceRequests { files { id evidenceRequestId } } } }`, { id: target.assessmentId });
    expect(read.certificationAssessment.evidenceRequests[0].files).toEqual([{ id: added.body.id, evidenceRequestId: requestId }]);
    const removed = await institution.error(`mutation($id: ID!) { removeEvidenceFile(id: $id) }`, { id: added.body.id });
    expect(removed).toMatchObject({ extensions: { code: 'CONFLICT', reason: 'EVIDENCE_FROZEN' } });
    // Answered, the request takes no more.
    await institution.data(`mutation($input: ProvideEvidenceInput!) { provideEvidence(input: $input) { id } }`, { input: { requestId, response: 'Adjunto el acta.' } });
    expect(await upload(api, institution, PDF, { ...target, evidenceRequestId: requestId })).toMatchObject({ status: 409, body: { reason: 'EVIDENCE_FROZEN' } });
  });

  it('removes a file while the assessment is in progress (its people only), audit-logged', async () => {
    const target = await openAssessmentUpload();
    const { body } = await upload(api, institution, PDF, target);
    expect(await outsider.error(`mutation($id: ID!) { removeEvidenceFile(id: $id) }`, { id: body.id })).toMatchObject({ extensions: { code: 'FORBIDDEN' } });
    expect(await institution.data(`mutation($id: ID!) { removeEvidenceFile(id: $id) }`, { id: body.id })).toEqual({ removeEvidenceFile: true });
    expect(await api.db.orm.em.fork().count(AuditEntry, { action: 'assessment.evidence_file_removed', subjectId: target.assessmentId })).toBe(1);
    expect(await api.db.orm.em.fork().count(EvidenceFile, { id: body.id })).toBe(0);
  });
});

describe('downloading evidence', () => {
  let fileId: string;
  let path: string;
  let assessmentId: string;
  beforeAll(async () => {
    const target = await openAssessmentUpload('politica.pdf');
    ({ id: fileId, downloadPath: path } = (await upload(api, institution, PDF, target)).body as { id: string; downloadPath: string });
    assessmentId = target.assessmentId;
  });

  it('serves the bytes as an attachment that never renders', async () => {
    const res = await download(api, institution, path);
    expect(res.status).toBe(200);
    expect(res.bytes.equals(PDF)).toBe(true);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="politica\.pdf"/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(res.headers.get('content-security-policy')).toContain('sandbox');
    expect(res.headers.get('cache-control')).toBe('private, no-store');
  });

  it('is read by the institution unlogged, and by its reviewer, the committee and facilitators with an access record each', async () => {
    await asReviewer(api, assessmentId, REVIEWER);
    expect((await download(api, institution, path)).status).toBe(200);
    expect(await reads(fileId)).toHaveLength(0);
    for (const someone of [reviewer, committee, facilitator]) expect((await download(api, someone, path)).status).toBe(200);
    const entries = await reads(fileId);
    expect(entries.map((e) => e.data.as).sort()).toEqual(['overseer', 'overseer', 'reviewer']);
    expect(entries.every((e) => e.scopeId && e.subjectId === assessmentId)).toBe(true);
  });

  it('is NOT_FOUND for anyone else, and for nobody signed in UNAUTHENTICATED, with nothing logged', async () => {
    const before = (await reads(fileId)).length;
    expect((await download(api, outsider, path)).status).toBe(404);
    const member = await api.as(demo.member);
    expect((await download(api, member, path)).status).toBe(404);
    expect((await download(api, null, path)).status).toBe(401);
    expect((await download(api, institution, '/exports/certification/evidence/00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await download(api, institution, '/exports/certification/evidence/x')).status).toBe(404);
    expect(await reads(fileId)).toHaveLength(before);
  });
});
