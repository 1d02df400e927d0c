import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Role, User } from '../../../api/src/users/user.entity.js';
import { DEMO_PASSWORD, demo, startTestApi, type TestApi } from '../../support/api.js';
import { ACCENTED, download, IMPORT_COUNTS, rowsByTable, seedExportRound, withoutInstanceNumbers, type SeededRound } from './fixtures.js';

let api: TestApi;
let seeded: SeededRound;
let dir: string;

beforeAll(async () => {
  api = await startTestApi();
  seeded = await seedExportRound(api);
  dir = mkdtempSync(join(tmpdir(), 'consulta-exports-'));
});
afterAll(async () => {
  await api?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** RFC 4180, as a spreadsheet reads it: quoted fields may hold commas, doubled quotes and line breaks. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') row.push(field), (field = '');
    else if (ch === '\r' && text[i + 1] === '\n') row.push(field), rows.push(row), (row = []), (field = ''), i++;
    else field += ch;
  }
  if (field || row.length) row.push(field), rows.push(row);
  return rows;
}

async function auditCount(action = 'export.downloaded') {
  const [row] = await api.db.orm.em.fork().execute<{ n: number }[]>('select count(*)::int as n from audit_entry where action = ? and scope_id = ?', [action, seeded.roundId]);
  return row.n;
}

async function dbCounts(sql: string) {
  const rows = await api.db.orm.em.fork().execute<{ k: string; n: number }[]>(sql, [seeded.roundId]);
  return Object.fromEntries(rows.map((r) => [r.k, r.n]));
}

const FORMATS = ['csv', 'xlsx', 'pdf', 'json'];

describe('who may export', () => {
  it('a stakeholder asking for any export gets FORBIDDEN, an anonymous visitor UNAUTHENTICATED, and neither is written to the log', async () => {
    const before = await auditCount();
    for (const format of FORMATS) {
      const asStakeholder = await download(api, seeded.stakeholder, seeded.roundId, { format });
      expect(asStakeholder.status).toBe(403);
      expect(asStakeholder.json()).toMatchObject({ code: 'FORBIDDEN' });
      const anonymous = await download(api, null, seeded.roundId, { format });
      expect(anonymous.status).toBe(401);
      expect(anonymous.json()).toMatchObject({ code: 'UNAUTHENTICATED' });
    }
    expect(await auditCount()).toBe(before);
  });

  it('bad parameters are BAD_USER_INPUT naming the parameter; an unknown round is NOT_FOUND', async () => {
    const cases: [Record<string, string>, string][] = [
      [{}, 'format'],
      [{ format: 'docx' }, 'format'],
      [{ format: 'csv', language: 'de' }, 'language'],
      [{ format: 'csv', types: 'TECHNICAL,OPINION' }, 'types'],
      [{ format: 'csv', dispositions: 'MAYBE' }, 'dispositions'],
      [{ format: 'csv', withdrawn: 'perhaps' }, 'withdrawn'],
      [{ format: 'csv', sectionIds: 'not-a-uuid' }, 'sectionIds'],
      [{ format: 'csv', countries: 'Peru' }, 'countries'],
      [{ format: 'csv', colour: 'red' }, 'colour'],
    ];
    for (const [params, field] of cases) {
      const res = await download(api, seeded.facilitator, seeded.roundId, params);
      expect(res.status, JSON.stringify(params)).toBe(400);
      expect(res.json()).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ field }] });
    }
    const missing = await download(api, seeded.facilitator, '00000000-0000-4000-8000-000000000000', { format: 'csv' });
    expect(missing.status).toBe(404);
    expect(missing.json()).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('each export is written to the round’s audit log with its format, language and filter', async () => {
    for (const format of FORMATS) {
      const before = await auditCount();
      const res = await download(api, seeded.facilitator, seeded.roundId, { format, language: 'en', types: 'TECHNICAL' });
      expect(res.status).toBe(200);
      expect(await auditCount()).toBe(before + 1);
    }
    const [last] = await api.db.orm.em.fork().execute<{ data: Record<string, unknown>; actor_id: string }[]>(
      "select data, actor_id from audit_entry where action = 'export.downloaded' and scope_id = ? order by id desc limit 1",
      [seeded.roundId],
    );
    expect(last.data).toMatchObject({ format: 'json', language: 'en', filter: { types: ['TECHNICAL'] } });
  });
});

describe('the CSV disposition table', () => {
  it('is RFC 4180 in UTF-8 with a byte-order mark, named in the round’s language, every comment in it and the withdrawn one marked', async () => {
    const res = await download(api, seeded.facilitator, seeded.roundId, { format: 'csv' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv; charset=utf-8/);
    expect(res.headers.get('content-disposition')).toBe(
      `attachment; filename="disposicion-de-comentarios - Ronda de prueba.csv"; filename*=UTF-8''disposicion-de-comentarios%20-%20Ronda%20de%20prueba.csv`,
    );
    expect([...res.body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = res.body.toString('utf8').slice(1);
    expect(text).toContain(ACCENTED);
    const [header, ...rows] = parseCsv(text);
    expect(header).toEqual([
      'N.º', 'Retirado', 'Área', 'Indicador', 'Campo', 'Pasaje citado', 'Tipo de comentario', 'Organización', 'País', 'Autor', 'Comentario',
      'Cambio propuesto', 'Respuestas', 'Disposición', 'Respuesta del facilitador', 'Revisión que lo recoge', 'Id del comentario',
      'Temas', 'Grupo de casi duplicados', 'Tamaño del grupo', 'Ingresado en nombre de otros (fuente)',
    ]);
    expect(rows).toHaveLength(5);
    expect(rows.every((r) => r.length === header.length)).toBe(true);
    const byId = new Map(rows.map((r) => [r[16], r]));
    const anchored = byId.get(seeded.commentIds.anchored)!;
    expect(anchored.slice(2, 16)).toEqual([
      'A0 — Área 0', 'A0-01', 'Enunciado', 'nuevas prestatarias mujeres', 'Técnico', 'Crecer Juntas Microfinanzas', 'Perú', 'Rosa Mamani', ACCENTED,
      'nuevas prestatarias mujeres, con "comillas", comas y\nun salto de línea', expect.stringContaining('Gracias; lo revisaremos'), 'Aceptado',
      'Se desagregará por género y zona; acción tomada.', 'A0-01 v2',
    ]);
    expect(byId.get(seeded.commentIds.withdrawn)![1]).toMatch(/^Retirado \d{4}-\d{2}-\d{2}$/);
    expect(byId.get(seeded.commentIds.withdrawn)![13]).toBe('Sin disposición');
    expect(rows.filter((r) => r[1] !== '')).toHaveLength(1);
    expect(byId.get(seeded.commentIds.framework)!.slice(2, 4)).toEqual(['Marco completo', '']);
    // Framework first, then area by area, indicator by indicator; numbered in that order.
    expect(rows.map((r) => r[0])).toEqual(['1', '2', '3', '4', '5']);
    expect(rows[0][16]).toBe(seeded.commentIds.framework);
  });

  it('takes the comment list’s filters and the language asked for', async () => {
    const ids = async (params: Record<string, string | string[]>) => {
      const res = await download(api, seeded.facilitator, seeded.roundId, { format: 'csv', ...params });
      expect(res.status).toBe(200);
      return parseCsv(res.body.toString('utf8').slice(1)).slice(1).map((r) => r[16]).sort();
    };
    expect(await ids({ types: 'TECHNICAL' })).toEqual([seeded.commentIds.anchored]);
    expect(await ids({ withdrawn: 'true' })).toEqual([seeded.commentIds.withdrawn]);
    expect(await ids({ dispositions: ['NOTED', 'REJECTED'] })).toEqual([seeded.commentIds.second, seeded.commentIds.section, seeded.commentIds.framework].sort());
    expect(await ids({ sectionIds: seeded.fw.areas[1].id })).toEqual([seeded.commentIds.second, seeded.commentIds.section].sort());
    const peruvian = await api.db.orm.em.fork().execute<{ id: string }[]>(
      "select id from comment where round_id = ? and parent_id is null and author_country = 'PE' and withdrawn_at is null order by id",
      [seeded.roundId],
    );
    expect(peruvian.length).toBeGreaterThan(0);
    expect(await ids({ countries: 'pe', withdrawn: 'false' })).toEqual(peruvian.map((r) => r.id).sort());

    const en = await download(api, seeded.facilitator, seeded.roundId, { format: 'csv', language: 'en' });
    expect(en.headers.get('content-disposition')).toContain(`filename*=UTF-8''disposition-of-comments%20-%20Test%20round.csv`);
    expect(parseCsv(en.body.toString('utf8').slice(1))[0].slice(0, 3)).toEqual(['No.', 'Withdrawn', 'Area']);
  });
});

describe('the XLSX workbook', () => {
  let file: string;
  beforeAll(async () => {
    const res = await download(api, seeded.facilitator, seeded.roundId, { format: 'xlsx' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(res.headers.get('content-disposition')).toContain('.xlsx');
    file = join(dir, 'round.xlsx');
    writeFileSync(file, res.body);
  });

  it('opens in LibreOffice, and the counts of its summary sheet match the database', async () => {
    execFileSync('libreoffice', ['--headless', `-env:UserInstallation=file://${join(dir, 'lo-profile')}`, '--convert-to', 'csv:Text - txt - csv (StarCalc):44,34,76', '--outdir', dir, file], { stdio: 'pipe', timeout: 120_000 });
    const summary = parseCsv(readFileSync(join(dir, 'round.csv'), 'utf8').replaceAll(/\r?\n/g, '\r\n'));
    const block = (title: string) => {
      const start = summary.findIndex((r) => r[0] === title);
      expect(start, title).toBeGreaterThanOrEqual(0);
      const out: Record<string, number> = {};
      for (const r of summary.slice(start + 1)) {
        if (!r[0]) break;
        out[r[0]] = Number(r[1]);
      }
      return out;
    };
    const total = summary.find((r) => r[0] === 'Total')!;
    const db = await dbCounts("select 'all' as k, count(*)::int as n from comment where round_id = ? and parent_id is null");
    expect(Number(total[1])).toBe(db.all);
    const byDisposition = await dbCounts(
      "select coalesce(d.status, 'NONE') as k, count(*)::int as n from comment c left join disposition d on d.comment_id = c.id where c.round_id = ? and c.parent_id is null group by 1",
    );
    const labels: Record<string, string> = { ACCEPTED: 'Aceptado', NOTED: 'Tomado en cuenta', REJECTED: 'No aceptado', NONE: 'Sin disposición' };
    expect(block('Por disposición')).toEqual(Object.fromEntries(Object.entries(byDisposition).map(([k, n]) => [labels[k], n])));
    const byType = await dbCounts('select type as k, count(*)::int as n from comment where round_id = ? and parent_id is null group by 1');
    expect(block('Por tipo')).toEqual({ Técnico: byType.TECHNICAL, Editorial: byType.EDITORIAL, General: byType.GENERAL });
    const byIndicator = await dbCounts(
      "select coalesce(i.code, 'General') as k, count(*)::int as n from comment c left join indicator i on i.id = c.indicator_id where c.round_id = ? and c.parent_id is null group by 1",
    );
    expect(block('Por indicador')).toEqual(byIndicator);
    expect(block('Por área')).toEqual({ 'Marco completo': 1, 'A0 — Área 0': 2, 'A1 — Área 1': 2 });
    expect(block('Por país')).toEqual(
      await dbCounts("select case author_country when 'PE' then 'Perú' when 'NI' then 'Nicaragua' when 'EC' then 'Ecuador' else author_country end as k, count(*)::int as n from comment where round_id = ? and parent_id is null group by 1"),
    );
    const ratings = summary.slice(summary.findIndex((r) => r[0] === 'Valoración de prácticas') + 1).filter((r) => r[0] === 'A0-01');
    expect(ratings.map((r) => [r[1], Number(r[2])])).toEqual([['Esencial', 2], ['Útil, pero no esencial', 1]]);
    const ballots = summary.slice(summary.findIndex((r) => r[0] === 'Resultados de las votaciones') + 1);
    expect(ballots[0]).toEqual(expect.arrayContaining(['Votación de prueba', 'A0-01', 'v2', '2', '1', '0', 'Aprobada']));
  });

  it('has a summary sheet and one sheet per area with a frozen, filtered, wrapped header, and keeps the accents', async () => {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(file);
    expect(workbook.worksheets.map((s) => s.name)).toEqual(['Resumen', 'Marco completo', 'A0 Área 0', 'A1 Área 1']);
    const area0 = workbook.getWorksheet('A0 Área 0')!;
    expect(area0.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(area0.autoFilter).toBeTruthy();
    expect(area0.getColumn(11).width).toBe(50);
    expect(area0.getRow(1).getCell(1).value).toBe('N.º');
    const cells = area0.getColumn(11).values.map(String);
    expect(cells).toContain(ACCENTED);
    expect(area0.getRow(2).getCell(11).alignment).toMatchObject({ wrapText: true });
    expect(area0.getColumn(2).values.filter((v) => String(v).startsWith('Retirado '))).toHaveLength(1);
  });
});

describe('the PDF report', () => {
  it('renders to pages with a cover, contents, each indicator, page numbers and the accents', async () => {
    const res = await download(api, seeded.facilitator, seeded.roundId, { format: 'pdf' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.body.subarray(0, 5).toString()).toBe('%PDF-');
    const file = join(dir, 'report.pdf');
    writeFileSync(file, res.body);
    execFileSync('pdftoppm', ['-r', '20', '-png', file, join(dir, 'page')]);
    const pages = readdirSync(dir).filter((f) => /^page-\d+\.png$/.test(f));
    expect(pages.length).toBeGreaterThanOrEqual(4);
    const text = execFileSync('pdftotext', ['-layout', file, '-']).toString('utf8');
    const perPage = text.split('\f');
    expect(perPage[0]).toContain('Informe consolidado de comentarios');
    expect(perPage[0]).toContain('Ronda de prueba');
    expect(perPage[1]).toContain('Índice');
    for (const code of ['A0-01', 'A0-02', 'A1-01', 'A1-02']) expect(perPage[1], code).toContain(code);
    for (const code of ['A0-01', 'A0-02', 'A1-01', 'A1-02']) expect(perPage.slice(2).join('\n')).toContain(`${code} — Indicador ${code}`);
    expect(text).toContain(`Página 1 de ${pages.length}`);
    const flat = text.replace(/\s+/g, ' ');
    for (const word of ['Añadir', 'desagregación', 'género', 'ação', 'français', 'ça', 'ñandú', 'canción']) expect(flat).toContain(word);
    expect(flat).toContain('Resultado de la votación');
    expect(flat).toContain('Aprobada');
    expect(flat).toContain('Se desagrega por zona rural y urbana.');
  });
});

describe('the JSON document', () => {
  it('exports the whole round, imports into an empty instance with its ids, and exports again the same but for the audit entries’ numbers', async () => {
    const first = await download(api, seeded.facilitator, seeded.roundId, { format: 'json' });
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const document = first.json();
    expect(document).toMatchObject({ format: 'consulta-round', version: 1, roundId: seeded.roundId });
    expect(Object.keys(document.tables)).toEqual([
      'organization', 'app_user', 'framework', 'section', 'indicator', 'indicator_version', 'consultation_round', 'round_version', 'comment',
      'comment_revision', 'disposition', 'practice_rating', 'revision_comment', 'theme', 'comment_theme', 'near_duplicate_group',
      'near_duplicate_member', 'on_behalf_source', 'ballot', 'ballot_voter', 'ballot_question', 'ballot_vote', 'audit_entry',
    ]);
    expect(document.tables.comment).toHaveLength(6);
    expect(document.tables.comment.map((c: { body: string }) => c.body)).toContain(ACCENTED);
    expect(document.tables.ballot_vote).toHaveLength(3);
    expect(document.tables.app_user.every((u: Record<string, unknown>) => !('password_hash' in u))).toBe(true);
    expect(document.tables.audit_entry.some((e: { action: string }) => e.action.startsWith('export.'))).toBe(false);

    const other = await startTestApi({ seed: 'none' });
    try {
      const em = other.db.orm.em.fork();
      em.create(User, { email: 'importer@consulta.test', name: 'Importadora', roles: [Role.ADMIN], passwordHash: await other.app.hasher.hash(DEMO_PASSWORD) });
      await em.flush();
      const admin = await other.as('importer@consulta.test');
      const { importRound } = await admin.data(`mutation($d: JSONObject!) { importRound(document: $d) { roundId ${IMPORT_COUNTS} } }`, { d: document });
      expect({ ...importRound, counts: rowsByTable(importRound.counts) }).toMatchObject({ roundId: seeded.roundId, counts: { comment: 6, ballot_vote: 3 } });
      const second = await download(other, admin, seeded.roundId, { format: 'json' });
      expect(second.status).toBe(200);
      expect(withoutInstanceNumbers(second.json())).toEqual(withoutInstanceNumbers(document));
      expect(second.json().tables.audit_entry.map((e: { source_id: number }) => e.source_id)).toEqual(document.tables.audit_entry.map((e: { id: number }) => e.id));
    } finally {
      await other.stop();
    }
  });

  it('import is for admins only, all or nothing, and names the path of what is wrong', async () => {
    const IMPORT = `mutation($d: JSONObject!) { importRound(document: $d) { roundId } }`;
    const document = (await download(api, seeded.facilitator, seeded.roundId, { format: 'json' })).json();
    expect(await seeded.stakeholder.error(IMPORT, { d: document })).toMatchObject({ code: 'FORBIDDEN' });
    expect(await seeded.facilitator.error(IMPORT, { d: document })).toMatchObject({ code: 'FORBIDDEN' });
    expect(await api.client().error(IMPORT, { d: document })).toMatchObject({ code: 'UNAUTHENTICATED' });
    const admin = await api.as(demo.admin);
    expect(await admin.error(IMPORT, { d: document })).toMatchObject({ code: 'CONFLICT', extensions: { reason: 'ROUND_EXISTS' } });

    const other = await startTestApi({ seed: 'none' });
    try {
      const em = other.db.orm.em.fork();
      em.create(User, { email: 'importer@consulta.test', name: 'Importadora', roles: [Role.ADMIN], passwordHash: await other.app.hasher.hash(DEMO_PASSWORD) });
      await em.flush();
      const importer = await other.as('importer@consulta.test');
      const broken = structuredClone(document);
      delete broken.tables.comment[2].body;
      expect(await importer.error(IMPORT, { d: broken })).toMatchObject({ code: 'BAD_USER_INPUT', extensions: { fields: [{ field: 'tables.comment[2].body' }] } });
      const badType = structuredClone(document);
      badType.tables.disposition[0].decided_at = 'yesterday';
      expect(await importer.error(IMPORT, { d: badType })).toMatchObject({ code: 'BAD_USER_INPUT', extensions: { fields: [{ field: 'tables.disposition[0].decided_at' }] } });
      expect(await importer.error(IMPORT, { d: { ...document, version: 2 } })).toMatchObject({ code: 'BAD_USER_INPUT', extensions: { fields: [{ field: 'version' }] } });
      // Nothing of the failed imports stayed.
      const [{ n }] = await other.db.orm.em.fork().execute<{ n: number }[]>('select (select count(*) from comment) + (select count(*) from framework) + (select count(*) from organization) as n');
      expect(Number(n)).toBe(0);
    } finally {
      await other.stop();
    }
  });
});

describe('the published summary', () => {
  const SUMMARY = `query($id: ID!) { roundDispositionSummary(roundId: $id) { publishedAt total withdrawn byDisposition { key count } byArea { key label count } } }`;
  const PUBLISH = `mutation($id: ID!) { publishRoundSummary(roundId: $id) { id publishedSummaryAt } }`;

  it('stakeholders see what was done with the comments only once a facilitator publishes it', async () => {
    expect(await seeded.stakeholder.error(SUMMARY, { id: seeded.roundId })).toMatchObject({ code: 'FORBIDDEN', extensions: { reason: 'SUMMARY_NOT_PUBLISHED' } });
    expect(await seeded.stakeholder.error(PUBLISH, { id: seeded.roundId })).toMatchObject({ code: 'FORBIDDEN' });
    const before = await auditCount('round.summary_published');
    const { publishRoundSummary } = await seeded.facilitator.data(PUBLISH, { id: seeded.roundId });
    expect(publishRoundSummary.publishedSummaryAt).toBeTruthy();
    expect(await auditCount('round.summary_published')).toBe(before + 1);
    const { roundDispositionSummary: s } = await seeded.stakeholder.data(SUMMARY, { id: seeded.roundId });
    expect(s).toMatchObject({ total: 5, withdrawn: 1, publishedAt: publishRoundSummary.publishedSummaryAt });
    expect(Object.fromEntries(s.byDisposition.map((c: { key: string; count: number }) => [c.key, c.count]))).toEqual({ ACCEPTED: 1, NOTED: 2, REJECTED: 1, NONE: 1 });
    // What the summary page reads for each comment.
    const { roundComments } = await seeded.stakeholder.data(
      `query($id: ID!) { roundComments(roundId: $id, first: 50) { edges { node { id withdrawnAt disposition { status response } takenUpBy { number indicator { code } } } } } }`,
      { id: seeded.roundId },
    );
    const anchored = roundComments.edges.find((e: { node: { id: string } }) => e.node.id === seeded.commentIds.anchored).node;
    expect(anchored).toMatchObject({ disposition: { status: 'ACCEPTED' }, takenUpBy: [{ number: 2, indicator: { code: 'A0-01' } }] });
  });

  it('a round not yet resolved cannot be published', async () => {
    const { fw } = seeded;
    const { createRound } = await seeded.facilitator.data(`mutation($input: CreateRoundInput!) { createRound(input: $input) { id } }`, {
      input: { frameworkId: fw.id, title: { es: 'Otra ronda' }, opensAt: new Date(Date.now() - 3600_000).toISOString(), closesAt: new Date(Date.now() + 3600_000).toISOString() },
    });
    expect(await seeded.facilitator.error(PUBLISH, { id: createRound.id })).toMatchObject({ code: 'CONFLICT', extensions: { reason: 'ROUND_NOT_RESOLVED' } });
  });
});
