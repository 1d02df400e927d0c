import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AgendaFile } from '../../../api/src/meetings/agenda-file.entity.js';
import { demo, startTestApi, type TestApi } from '../../support/api.js';
import type { GraphQLClient } from '../../support/client.js';
import { download, PDF, PNG } from '../certification/evidence-files.js';
import { addItem, schedule } from './fixtures.js';

const MAX_BYTES = 64 * 1024;
const FILES = `query($id: ID!) { meeting(id: $id) { agenda { files { id fileName size contentType downloadPath } } } }`;
const store = mkdtempSync(join(tmpdir(), 'consulta-agenda-files-'));
let api: TestApi;
let facilitator: GraphQLClient;
let member: GraphQLClient;
let stakeholder: GraphQLClient;

const rows = () => api.db.orm.em.fork().count(AgendaFile, {});
const stored = () => readdirSync(store, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).length;

/** Posts bytes as the web's form action does. */
async function upload(client: GraphQLClient | null, agendaItemId: string, bytes: Buffer, fileName: string, headers: Record<string, string> = { 'x-consulta-upload': '1' }) {
  const res = await fetch(`${api.url}/meetings/materials?${new URLSearchParams({ agendaItemId, fileName })}`, {
    method: 'POST',
    body: new Uint8Array(bytes),
    headers: { 'content-type': 'application/octet-stream', ...headers, ...(client?.cookie ? { cookie: client.cookie } : {}) },
  });
  return { status: res.status, body: (await res.json()) as Record<string, any> };
}

beforeAll(async () => {
  api = await startTestApi({ env: { FILE_STORE_DIR: store, EVIDENCE_MAX_BYTES: String(MAX_BYTES) } });
  [facilitator, member, stakeholder] = await Promise.all([demo.facilitator, demo.member, demo.stakeholder].map((e) => api.as(e)));
}, 120_000);
afterAll(async () => {
  await api?.stop();
  rmSync(store, { recursive: true, force: true });
});

describe('files among an agenda item’s materials', () => {
  it('a facilitator attaches a PDF; the working group downloads it as an attachment, a stakeholder and a signed-out reader of a working-group meeting find nothing; the addition is audited', async () => {
    const meeting = await schedule(facilitator, { audience: 'WORKING_GROUP' });
    const item = await addItem(facilitator, meeting.id);
    const added = await upload(facilitator, item.id, PDF, 'Propuesta de indicadores.pdf');
    expect(added).toMatchObject({ status: 201, body: { fileName: 'Propuesta de indicadores.pdf', contentType: 'application/pdf', size: PDF.length } });
    const [listed] = (await member.data(FILES, { id: meeting.id })).meeting.agenda[0].files;
    expect(listed).toMatchObject({ id: added.body.id, downloadPath: added.body.downloadPath });

    const got = await download(api, member, listed.downloadPath);
    expect(got.status).toBe(200);
    expect(got.bytes).toEqual(PDF);
    expect(got.headers.get('content-type')).toBe('application/pdf');
    expect(got.headers.get('content-disposition')).toMatch(/^attachment/);
    expect(got.headers.get('x-content-type-options')).toBe('nosniff');
    expect((await download(api, stakeholder, listed.downloadPath)).status).toBe(404);
    expect((await download(api, null, listed.downloadPath)).status).toBe(404);

    const [entry] = await api.db.orm.em.fork().execute<{ data: { fileId: string; agendaItemId: string } }[]>(`select data from audit_entry where action = 'meeting.material_added' and subject_id = ?`, [meeting.id]);
    expect(entry.data).toMatchObject({ fileId: added.body.id, agendaItemId: item.id });
  });

  it('a public meeting’s file downloads signed out', async () => {
    const meeting = await schedule(facilitator, { audience: 'PUBLIC' });
    const item = await addItem(facilitator, meeting.id);
    const added = await upload(facilitator, item.id, PNG, 'mapa.png');
    expect((await download(api, null, added.body.downloadPath)).bytes).toEqual(PNG);
  });

  it('refuses, storing nothing: a member (not a facilitator), no upload header, a file over the limit, a type its name denies, markup', async () => {
    const meeting = await schedule(facilitator);
    const item = await addItem(facilitator, meeting.id);
    const [before, files] = [await rows(), stored()];
    expect(await upload(member, item.id, PDF, 'acta.pdf')).toMatchObject({ status: 403, body: { code: 'FORBIDDEN' } });
    expect(await upload(facilitator, item.id, PDF, 'acta.pdf', {})).toMatchObject({ status: 403, body: { reason: 'UPLOAD_HEADER_REQUIRED' } });
    expect(await upload(facilitator, item.id, Buffer.concat([PDF, Buffer.alloc(MAX_BYTES)]), 'grande.pdf')).toMatchObject({ status: 413, body: { reason: 'EVIDENCE_TOO_LARGE' } });
    expect(await upload(facilitator, item.id, PNG, 'acta.pdf')).toMatchObject({ status: 400, body: { reason: 'EVIDENCE_TYPE_MISMATCH' } });
    expect(await upload(facilitator, item.id, Buffer.from('<!doctype html><script>alert(1)</script>'), 'acta.pdf')).toMatchObject({ status: 400, body: { reason: 'EVIDENCE_ACTIVE_CONTENT' } });
    expect([await rows(), stored()]).toEqual([before, files]);
  });
});
