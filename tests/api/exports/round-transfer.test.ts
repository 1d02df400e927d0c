import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DOCUMENT_TABLES } from '../../../api/src/exports/round-document.js';
import { Role, User } from '../../../api/src/users/user.entity.js';
import { DEMO_PASSWORD, demo, startTestApi, type TestApi } from '../../support/api.js';
import type { GraphQLClient } from '../../support/client.js';
import { createTestDatabase } from '../../support/database.js';
import { ADD_COMMENT, hours } from '../rounds/fixtures.js';
import { download, IMPORT_COUNTS, rowsByTable, withoutInstanceNumbers, type RoundDocument } from './fixtures.js';

const IMPORT = `mutation($d: JSONObject!) { importRound(document: $d) { roundId ${IMPORT_COUNTS} } }`;
const API_DIR = fileURLToPath(new URL('../../../api/', import.meta.url));

let source: TestApi;
let target: TestApi;
let targetAdmin: GraphQLClient;
let sourceFacilitator: GraphQLClient;
let dir: string;

/** The demo's round of this framework (the first one on it), exported as JSON. */
async function exportDemoRound(api: TestApi, as: GraphQLClient, frameworkSlug: string): Promise<{ document: RoundDocument; bytes: Buffer }> {
  const [{ id }] = await api.db.orm.em
    .fork()
    .execute<{ id: string }[]>('select r.id from consultation_round r join framework f on f.id = r.framework_id where f.slug = ? order by r.created_at limit 1', [frameworkSlug]);
  const res = await download(api, as, id, { format: 'json' });
  expect(res.status).toBe(200);
  return { document: res.json(), bytes: res.body };
}

/** Rows of every table a round's document touches, the audit log included: what a refused import must leave alone. */
async function rowCounts(api: TestApi) {
  const tables = DOCUMENT_TABLES.map((t) => t.name);
  const [row] = await api.db.orm.em.fork().execute<Record<string, number>[]>(`select ${tables.map((t) => `(select count(*)::int from "${t}") as "${t}"`).join(', ')}`);
  return row;
}

async function auditNumbers(api: TestApi) {
  const rows = await api.db.orm.em.fork().execute<{ id: string }[]>('select id from audit_entry order by id');
  return rows.map((r) => Number(r.id));
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'consulta-transfer-'));
  [source, target] = await Promise.all([startTestApi(), startTestApi({ seed: 'none' })]);
  sourceFacilitator = await source.as(demo.facilitator);
  // The second instance's own administrator: signing in is the first entry of its audit log.
  const em = target.db.orm.em.fork();
  em.create(User, { email: 'admin@segunda.test', name: 'Administradora', roles: [Role.ADMIN], passwordHash: await target.app.hasher.hash(DEMO_PASSWORD) });
  await em.flush();
  targetAdmin = await target.as('admin@segunda.test');
});
afterAll(async () => {
  await Promise.all([source?.stop(), target?.stop()]);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('a demo round moved to another instance', () => {
  it('imports into a fresh instance whose own log already has entries, and exports again equal but for the instance-specific audit numbers', async () => {
    const { document: original } = await exportDemoRound(source, sourceFacilitator, 'spwg-lac-certification');
    expect(original.tables.audit_entry.length).toBeGreaterThan(0);
    expect(original.tables.comment.length).toBeGreaterThan(0);
    // The target's own log (its admin signing in) grows until it has used the numbers the round's log has in the source.
    const firstOfRound = Math.min(...original.tables.audit_entry.map((e) => Number(e.id)));
    let ownLog = await auditNumbers(target);
    while (Math.max(...ownLog) < firstOfRound) {
      await target.as('admin@segunda.test');
      ownLog = await auditNumbers(target);
    }
    expect(original.tables.audit_entry.some((e) => ownLog.includes(Number(e.id)))).toBe(true);

    const { importRound } = await targetAdmin.data(IMPORT, { d: original });
    expect(importRound.roundId).toBe(original.roundId);
    expect(rowsByTable(importRound.counts)).toMatchObject({ comment: original.tables.comment.length, audit_entry: original.tables.audit_entry.length });

    const { document: again } = await exportDemoRound(target, targetAdmin, 'spwg-lac-certification');
    expect(withoutInstanceNumbers(again)).toEqual(withoutInstanceNumbers(original));
    // Each entry keeps its source number as provenance and takes a number of the target's own log.
    expect(again.tables.audit_entry.map((e) => e.source_id)).toEqual(original.tables.audit_entry.map((e) => e.id));
    const imported = again.tables.audit_entry.map((e) => Number(e.id));
    expect(Math.min(...imported)).toBeGreaterThan(Math.max(...ownLog));
    expect(new Set(imported).size).toBe(imported.length);

    // The target's log goes on after the imported entries.
    await target.as('admin@segunda.test');
    const after = await auditNumbers(target);
    expect(after.at(-1)).toBeGreaterThan(Math.max(...imported));
  });

  it('a round that is already here is refused with CONFLICT and nothing is written', async () => {
    const { document } = await exportDemoRound(source, sourceFacilitator, 'spwg-lac-certification');
    const before = await rowCounts(target);
    expect(await targetAdmin.error(IMPORT, { d: document })).toMatchObject({ code: 'CONFLICT', extensions: { reason: 'ROUND_EXISTS' } });
    expect(await rowCounts(target)).toEqual(before);
  });

  it('a second round of a framework already here imports beside the first; a framework changed apart in both instances is refused whole', async () => {
    const [{ id: frameworkId }] = await source.db.orm.em.fork().execute<{ id: string }[]>("select id from framework where slug = 'spwg-lac-certification'");
    const { createRound } = await sourceFacilitator.data(`mutation($input: CreateRoundInput!) { createRound(input: $input) { id } }`, {
      input: { frameworkId, title: { es: 'Segunda ronda' }, opensAt: hours(-1), closesAt: hours(24) },
    });
    const stakeholder = await source.as(demo.stakeholder);
    await stakeholder.data(ADD_COMMENT, { input: { roundId: createRound.id, targetKind: 'FRAMEWORK', type: 'GENERAL', body: 'Falta un glosario.' } });
    const res = await download(source, sourceFacilitator, createRound.id, { format: 'json' });
    const original: RoundDocument = res.json();
    // Both rounds pinned the version the demo ballot revises: its ballot comes with each.
    expect(original.tables.ballot.length).toBeGreaterThan(0);
    const ballotIds = original.tables.ballot.map((b) => String(b.id));
    const ballotLog = async (api: TestApi) =>
      (await api.db.orm.em.fork().execute<{ n: number }[]>(`select count(*)::int as n from audit_entry where scope_id in (${ballotIds.map(() => '?')})`, ballotIds))[0].n;
    expect(await ballotLog(target)).toBe(await ballotLog(source));

    // The same indicator's version number under another id: the framework went two ways.
    const diverged = structuredClone(original);
    diverged.tables.indicator_version[0].id = randomUUID();
    const before = await rowCounts(target);
    expect(await targetAdmin.error(IMPORT, { d: diverged })).toMatchObject({
      code: 'CONFLICT',
      extensions: { reason: 'ALREADY_EXISTS', fields: [{ field: 'tables.indicator_version' }] },
    });
    expect(await rowCounts(target)).toEqual(before);

    const { importRound } = await targetAdmin.data(IMPORT, { d: original });
    expect(rowsByTable(importRound.counts)).toMatchObject({ framework: 0, section: 0, indicator: 0, indicator_version: 0, ballot: 0, ballot_vote: 0, consultation_round: 1, comment: 1 });
    // The ballot's log came with it the first time and is not written twice.
    expect(await ballotLog(target)).toBe(await ballotLog(source));
    const again = (await download(target, targetAdmin, createRound.id, { format: 'json' })).json();
    expect(withoutInstanceNumbers(again)).toEqual(withoutInstanceNumbers(original));
  });

  it('the command-line import goes through the same service: the other demo round, with its actor left empty', async () => {
    const { document: original, bytes } = await exportDemoRound(source, sourceFacilitator, 'usspm');
    const file = join(dir, 'usspm.json');
    writeFileSync(file, bytes);
    const run = promisify(execFile);
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'src/exports/import.cli.ts', file], {
      cwd: API_DIR,
      env: { ...process.env, DATABASE_URL: target.db.url, NODE_ENV: 'test', LOG_LEVEL: 'silent' },
      timeout: 120_000,
    });
    expect(JSON.parse(stdout)).toMatchObject({ roundId: original.roundId, counts: { audit_entry: original.tables.audit_entry.length } });
    const { document: again } = await exportDemoRound(target, targetAdmin, 'usspm');
    expect(withoutInstanceNumbers(again)).toEqual(withoutInstanceNumbers(original));
    expect(again.tables.audit_entry.map((e) => e.source_id)).toEqual(original.tables.audit_entry.map((e) => e.id));
    const [imported] = await target.db.orm.em
      .fork()
      .execute<{ actor_id: string | null }[]>("select actor_id from audit_entry where action = 'round.imported' and subject_id = ?", [original.roundId]);
    expect(imported).toEqual({ actor_id: null });
    // Refused the second time too, through the same rule.
    await expect(run(process.execPath, ['--import', 'tsx', 'src/exports/import.cli.ts', file], { cwd: API_DIR, env: { ...process.env, DATABASE_URL: target.db.url }, timeout: 120_000 })).rejects.toMatchObject({
      stderr: expect.stringContaining('CONFLICT'),
    });
  }, 240_000);
});

describe('a document is not trusted for what is safe to show', () => {
  it('comment, earlier-text and response HTML is rendered again from the Markdown; Markdown nested too deep is refused naming the row', async () => {
    const [{ id: frameworkId }] = await source.db.orm.em.fork().execute<{ id: string }[]>("select id from framework where slug = 'spwg-lac-certification'");
    const { createRound } = await sourceFacilitator.data(`mutation($input: CreateRoundInput!) { createRound(input: $input) { id } }`, {
      input: { frameworkId, title: { es: 'Ronda con HTML' }, opensAt: hours(-1), closesAt: hours(24) },
    });
    const stakeholder = await source.as(demo.stakeholder);
    await stakeholder.data(ADD_COMMENT, { input: { roundId: createRound.id, targetKind: 'FRAMEWORK', type: 'GENERAL', body: 'Falta un **glosario**.' } });
    const original: RoundDocument = (await download(source, sourceFacilitator, createRound.id, { format: 'json' })).json();
    const renderedHere = original.tables.comment[0].body_html;
    expect(renderedHere).toContain('<strong>glosario</strong>');

    const tooDeep = structuredClone(original);
    tooDeep.tables.comment[0].body = `${'>'.repeat(4000)} hola`;
    const before = await rowCounts(target);
    expect(await targetAdmin.error(IMPORT, { d: tooDeep })).toMatchObject({
      code: 'BAD_USER_INPUT',
      extensions: { reason: 'MARKDOWN_TOO_DEEP', fields: [{ field: 'tables.comment[0].body' }] },
    });
    expect(await rowCounts(target)).toEqual(before);

    const crafted = structuredClone(original);
    crafted.tables.comment[0].body_html = '<script>alert(1)</script><img src=x onerror="alert(1)"><a href="javascript:alert(1)">x</a>';
    await targetAdmin.data(IMPORT, { d: crafted });
    const [stored] = await target.db.orm.em.fork().execute<{ body_html: string }[]>('select body_html from comment where round_id = ?', [createRound.id]);
    expect(stored.body_html).toBe(renderedHere);
    const again = (await download(target, targetAdmin, createRound.id, { format: 'json' })).json();
    expect(withoutInstanceNumbers(again)).toEqual(withoutInstanceNumbers(original));
  });
});

describe('into an instance that already holds the same people and a framework of the same name', () => {
  let demoTarget: TestApi;
  beforeAll(async () => {
    // Seeded afresh, not copied from the demo template: another demo instance's rows have ids of their own.
    demoTarget = await startTestApi({ db: await createTestDatabase() });
  });
  afterAll(() => demoTarget?.stop());

  it('imports another demo instance’s round: people with an account here are that account, and the framework takes a free slug', async () => {
    const { document: original } = await exportDemoRound(source, sourceFacilitator, 'spwg-lac-certification');
    const admin = await demoTarget.as(demo.admin);
    const { importRound } = await admin.data(IMPORT, { d: original });
    expect(rowsByTable(importRound.counts)).toMatchObject({ app_user: 0, comment: original.tables.comment.length });

    const accounts = await demoTarget.db.orm.em.fork().execute<{ id: string; email: string; organization_id: string | null }[]>('select id, email, organization_id from app_user');
    const byEmail = new Map(accounts.map((u) => [u.email, u]));
    expect(original.tables.app_user.every((u) => byEmail.has(String(u.email)))).toBe(true);
    const merged = new Map(original.tables.app_user.map((u) => [String(u.id), byEmail.get(String(u.email))!.id]));

    const facilitator = await demoTarget.as(demo.facilitator);
    const { document: again } = await exportDemoRound(demoTarget, facilitator, 'spwg-lac-certification-2');
    expect(again.tables.framework[0]).toMatchObject({ id: original.tables.framework[0].id, slug: 'spwg-lac-certification-2' });
    expect(again.tables.app_user.map((u) => u.email).sort()).toEqual(original.tables.app_user.map((u) => u.email).sort());

    // The organizations that come in through people are those people's here.
    const reachedOtherwise = organizationsNotThroughPeople(again);
    const accountOrganizations = new Set(accounts.filter((u) => [...merged.values()].includes(u.id)).map((u) => u.organization_id));
    expect(again.tables.organization.filter((o) => !reachedOtherwise.has(String(o.id))).every((o) => accountOrganizations.has(String(o.id)))).toBe(true);

    // What the format documents as instance-specific, and nothing else, differs.
    const expected = replaceIds(withoutInstanceNumbers(original), merged);
    const actual = withoutInstanceNumbers(again);
    for (const doc of [expected, actual]) {
      const otherwise = organizationsNotThroughPeople(doc);
      doc.tables.organization = doc.tables.organization.filter((o) => otherwise.has(String(o.id)));
      delete (doc.tables as Record<string, unknown>).app_user;
      delete doc.tables.framework[0].slug;
    }
    expect(actual.tables.organization.length).toBeGreaterThan(0);
    expect(actual).toEqual(expected);
  });
});

/** The organizations a document names other than as a person's: comment authors', the round's audience, ballot voters'. */
function organizationsNotThroughPeople(document: RoundDocument): Set<string> {
  const { comment, consultation_round, ballot_voter } = document.tables;
  return new Set(
    [...comment.map((c) => c.author_organization_id), ...consultation_round.flatMap((r) => r.audience_organization_ids as string[]), ...ballot_voter.map((v) => v.organization_id)]
      .filter((id): id is string => typeof id === 'string'),
  );
}

/** The document with every value equal to a key of `ids` replaced by its value, at any depth. */
function replaceIds<T>(value: T, ids: Map<string, string>): T {
  if (typeof value === 'string') return (ids.get(value) ?? value) as T;
  if (Array.isArray(value)) return value.map((v) => replaceIds(v, ids)) as T;
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, replaceIds(v, ids)])) as T;
  return value;
}
