import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditEntry } from '../../../api/src/audit/audit-entry.entity.js';
import { Indicator, IndicatorStatus } from '../../../api/src/indicators/indicator.entity.js';
import { Release, ReleaseIndicator } from '../../../api/src/releases/release.entity.js';
import { demo, startTestApi, type TestApi } from '../../support/api.js';
import type { GraphQLClient } from '../../support/client.js';
import { ADD_COMMENT, CLOSE_BALLOT, ballotOn, createFramework, openRound, propose, vote } from '../ballots/fixtures.js';
import type { FrameworkFixture } from '../rounds/fixtures.js';
import { MARK_FINAL, RELEASE, RELEASE_FRAMEWORK, downloadRelease } from './fixtures.js';

let api: TestApi;
let facilitator: GraphQLClient;
let member: GraphQLClient;
let member2: GraphQLClient;
let stakeholder: GraphQLClient;
let fw: FrameworkFixture;
let commentId: string;
let revisionId: string;
let ballotId: string;
let first: { id: string };
let second: { id: string };
const dir = mkdtempSync(join(tmpdir(), 'releases-'));
const indicator = (i: number) => fw.areas[0].indicators[i];

const stored = async () => {
  const em = api.db.orm.em.fork();
  return { releases: await em.count(Release, {}), snapshot: await em.count(ReleaseIndicator, {}), audit: await em.count(AuditEntry, { action: { $like: 'release.%' } }) };
};

beforeAll(async () => {
  api = await startTestApi();
  [facilitator, member, member2, stakeholder] = await Promise.all([demo.facilitator, demo.member, demo.member2, demo.stakeholder].map((e) => api.as(e)));
  fw = await createFramework(api.db.orm, { slug: 'releases', areas: 1, perArea: 3 });
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await api?.stop();
});

describe('releasing a framework', () => {
  it('a first release snapshots every indicator at its current version, each ADDED in the changelog', async () => {
    const { releaseFramework } = await facilitator.data(RELEASE_FRAMEWORK, { input: { frameworkId: fw.id, number: '2026.1', notes: { es: 'Primera versión para consulta.' } } });
    first = releaseFramework;
    expect(releaseFramework).toMatchObject({ number: '2026.1', sequence: 1, final: false, finalAt: null, previous: null, supersededBy: null });
    expect(releaseFramework.indicators.map((i: any) => [i.code, i.version.id])).toEqual(fw.areas[0].indicators.map((i) => [i.code, i.versionId]));
    expect(releaseFramework.changelog.map((c: any) => [c.kind, c.code, c.from, c.to.number])).toEqual(fw.areas[0].indicators.map((i) => ['ADDED', i.code, null, 1]));
    expect(releaseFramework.changelog[0].steps).toMatchObject([{ version: { number: 1 }, approvedBy: [], answeredComments: [] }]);
    // Anyone signed in reads it, by framework and number.
    const { release } = await stakeholder.data(RELEASE, { frameworkSlug: 'releases', number: '2026.1' });
    expect(release.id).toBe(first.id);
  });

  it('a release with no changes, a malformed number or a taken one is refused at its field and stores nothing', async () => {
    const before = await stored();
    const none = await facilitator.error(RELEASE_FRAMEWORK, { input: { frameworkId: fw.id, number: '2026.2' } });
    expect(none).toMatchObject({ code: 'BAD_USER_INPUT', extensions: { reason: 'RELEASE_NO_CHANGES', fields: [{ field: 'changes' }] } });
    for (const number of ['2026', 'v2', '2026.0', '26.1', '2026.1.1', '']) {
      const bad = await facilitator.error(RELEASE_FRAMEWORK, { input: { frameworkId: fw.id, number } });
      expect(bad, number).toMatchObject({ code: 'BAD_USER_INPUT', extensions: { reason: 'RELEASE_NUMBER_FORMAT', fields: [{ field: 'number' }] } });
    }
    const taken = await facilitator.error(RELEASE_FRAMEWORK, { input: { frameworkId: fw.id, number: ' 2026.1 ' } });
    expect(taken).toMatchObject({ code: 'BAD_USER_INPUT', extensions: { reason: 'RELEASE_NUMBER_TAKEN', fields: [{ field: 'number' }] } });
    expect((await member.error(RELEASE_FRAMEWORK, { input: { frameworkId: fw.id, number: '2026.9' } })).code).toBe('FORBIDDEN');
    expect(await stored()).toEqual(before);
  });

  it('marking a release final makes the framework FINAL; the database refuses any other change to it or its snapshot', async () => {
    const { markReleaseFinal } = await facilitator.data(MARK_FINAL, { id: first.id });
    expect(markReleaseFinal).toMatchObject({ final: true, framework: { status: 'FINAL' } });
    expect(markReleaseFinal.finalAt).toBeTruthy();
    const again = await facilitator.error(MARK_FINAL, { id: first.id });
    expect(again).toMatchObject({ code: 'CONFLICT', extensions: { reason: 'RELEASE_ALREADY_FINAL' } });

    const sql = api.db.orm.em.getConnection();
    await expect(sql.execute(`update framework_release set number = '2026.7' where id = ?`, [first.id])).rejects.toThrow(/immutable/);
    await expect(sql.execute(`update framework_release set final_at = null, final_by_id = null where id = ?`, [first.id])).rejects.toThrow(/immutable/);
    await expect(sql.execute(`delete from framework_release where id = ?`, [first.id])).rejects.toThrow(/immutable/);
    await expect(sql.execute(`update release_indicator set version_id = version_id where release_id = ?`, [first.id])).rejects.toThrow(/immutable/);
    await expect(sql.execute(`delete from release_indicator where release_id = ?`, [first.id])).rejects.toThrow(/immutable/);
    // Cascading, because the certification schemes refer to the snapshot: the trigger must still refuse.
    await expect(sql.execute(`truncate release_indicator cascade`)).rejects.toThrow(/immutable/);
    expect(await api.db.orm.em.fork().count(ReleaseIndicator, { release: first.id })).toBe(3);
  });

  it('the next release lists the revision a ballot approved, with the ballot and the comment it answered, leaves out a retired indicator and supersedes the final one', async () => {
    const round = await openRound(facilitator, fw);
    const { addComment } = await stakeholder.data(ADD_COMMENT, {
      input: { roundId: round.id, targetKind: 'INDICATOR_VERSION', targetId: indicator(0).versionId, type: 'TECHNICAL', body: 'Conviene desagregar por zona rural.' },
    });
    commentId = addComment.id;
    revisionId = (await propose(facilitator, indicator(0).id, indicator(0).versionId, { answers: [commentId], statement: 'La institución reporta las nuevas prestatarias por zona rural y urbana.' })).id;
    const ballot = await ballotOn(facilitator, [revisionId]);
    ballotId = ballot.id;
    await vote(member, ballot.questions[0].id, 'APPROVE');
    await vote(member2, ballot.questions[0].id, 'APPROVE');
    await facilitator.data(CLOSE_BALLOT, { id: ballot.id });
    await api.db.orm.em.fork().nativeUpdate(Indicator, { id: indicator(2).id }, { status: IndicatorStatus.RETIRED });

    const { releasePreview } = await facilitator.data(`query($s: String!) { releasePreview(frameworkSlug: $s) { kind code } }`, { s: 'releases' });
    expect(releasePreview).toEqual([{ kind: 'CHANGED', code: indicator(0).code }, { kind: 'RETIRED', code: indicator(2).code }]);

    const { releaseFramework } = await facilitator.data(RELEASE_FRAMEWORK, { input: { frameworkId: fw.id, number: '2026.2', final: true } });
    second = releaseFramework;
    expect(releaseFramework).toMatchObject({ sequence: 2, final: true, previous: { number: '2026.1' }, framework: { status: 'FINAL' } });
    expect(releaseFramework.indicators.map((i: any) => [i.code, i.version.number])).toEqual([[indicator(0).code, 2], [indicator(1).code, 1]]);
    const [changed, retired] = releaseFramework.changelog;
    expect(releaseFramework.changelog).toHaveLength(2);
    expect(changed).toMatchObject({ kind: 'CHANGED', code: indicator(0).code, from: { id: indicator(0).versionId, number: 1 }, to: { id: revisionId, number: 2 } });
    expect(changed.steps).toEqual([{ version: { id: revisionId, number: 2 }, approvedBy: [{ question: { id: ballot.questions[0].id, outcome: 'APPROVED' }, ballot: { id: ballotId } }], answeredComments: [{ id: commentId, body: 'Conviene desagregar por zona rural.' }] }]);
    const statement = changed.diff.find((d: any) => d.field === 'STATEMENT');
    expect(statement.runs.filter((r: any) => r.kind !== 'DELETED').map((r: any) => r.text).join('')).toBe('La institución reporta las nuevas prestatarias por zona rural y urbana.');
    expect(statement.runs.some((r: any) => r.kind === 'INSERTED' && r.text.includes('rural'))).toBe(true);
    expect(retired).toMatchObject({ kind: 'RETIRED', code: indicator(2).code, from: { number: 1 }, to: null, steps: [] });

    // The old release keeps the retired indicator, and now names its successor.
    const { release } = await member.data(RELEASE, { frameworkSlug: 'releases', number: '2026.1' });
    expect(release.indicators.map((i: any) => i.code)).toEqual(fw.areas[0].indicators.map((i) => i.code));
    expect(release.supersededBy).toEqual({ number: '2026.2' });
    // Its changelog is computed from immutable rows: it reads the same as when it was released.
    expect(release.changelog.map((c: any) => c.kind)).toEqual(['ADDED', 'ADDED', 'ADDED']);
    const { framework } = await member.data(`query { framework(slug: "releases") { finalRelease { number } } }`);
    expect(framework.finalRelease).toEqual({ number: '2026.2' });
  });
});

describe('superseding', () => {
  it('an older working release cannot be marked final once a later release is final; the latest final one is the standard', async () => {
    const other = await createFramework(api.db.orm, { slug: 'releases-supersede', areas: 1, perArea: 2 });
    const older = (await facilitator.data(RELEASE_FRAMEWORK, { input: { frameworkId: other.id, number: '2030.1' } })).releaseFramework;
    await api.db.orm.em.fork().nativeUpdate(Indicator, { id: other.areas[0].indicators[1].id }, { status: IndicatorStatus.RETIRED });
    const later = (await facilitator.data(RELEASE_FRAMEWORK, { input: { frameworkId: other.id, number: '2030.2', final: true } })).releaseFramework;
    expect(later).toMatchObject({ final: true, previous: { number: '2030.1' }, changelog: [{ kind: 'RETIRED', code: other.areas[0].indicators[1].code }] });
    const refused = await facilitator.error(MARK_FINAL, { id: older.id });
    expect(refused).toMatchObject({ code: 'CONFLICT', extensions: { reason: 'RELEASE_SUPERSEDED' } });
    const { release } = await member.data(RELEASE, { frameworkSlug: 'releases-supersede', number: '2030.1' });
    expect(release).toMatchObject({ final: false, finalAt: null, supersededBy: { number: '2030.2' } });
    const { framework } = await member.data(`query { framework(slug: "releases-supersede") { status finalRelease { number } } }`);
    expect(framework).toEqual({ status: 'FINAL', finalRelease: { number: '2030.2' } });
  });
});

describe('downloading a release', () => {
  it.each(['es', 'en'] as const)('as JSON in %s: the snapshot and the changelog with ballots and comments', async (language) => {
    const res = await downloadRelease(api, member, second.id, 'json', `?language=${language}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    expect(res.headers.get('content-disposition')).toMatch(language === 'es' ? /version-publicada-2026\.2/ : /release-2026\.2/);
    const doc = res.json();
    expect(doc).toMatchObject({ format: 'consulta-release', language, release: { number: '2026.2', final: true } });
    expect(doc.indicators.map((i: any) => i.code)).toEqual([indicator(0).code, indicator(1).code]);
    const title = doc.indicators[1].fields.find((f: any) => f.field === 'TITLE');
    expect(title).toEqual({ field: 'TITLE', text: language === 'es' ? `Indicador ${indicator(1).code}` : `Indicator ${indicator(1).code}`, language });
    expect(doc.changelog[0].steps[0]).toMatchObject({ versionNumber: 2, ballots: [{ ballotId, outcome: 'APPROVED' }], comments: [{ commentId }] });
  });

  it.each([['es', 'Registro de cambios'], ['en', 'Changelog']] as const)('as PDF in %s', async (language, heading) => {
    const res = await downloadRelease(api, member, second.id, 'pdf', `?language=${language}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    const file = join(dir, `release-${language}.pdf`);
    writeFileSync(file, res.body);
    const text = execFileSync('pdftotext', [file, '-']).toString('utf8');
    expect(text).toContain('2026.2');
    expect(text).toContain(heading);
    expect(text).toContain(indicator(0).code);
    expect(text).toContain('Conviene desagregar por zona rural.');
  });

  it.each([['es', 'Indicadores', 'Registro de cambios'], ['fr', 'Indicateurs', 'Journal des modifications']] as const)('as XLSX in %s', async (language, indicators, changelog) => {
    const res = await downloadRelease(api, member, second.id, 'xlsx', `?language=${language}`);
    expect(res.status).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(res.body as unknown as ArrayBuffer);
    expect(workbook.worksheets.map((w) => w.name)).toEqual([indicators, changelog]);
    const codes = workbook.worksheets[0].getColumn(1).values.slice(3);
    expect(codes).toEqual([indicator(0).code, indicator(1).code]);
    expect(workbook.worksheets[1].getRow(2).getCell(1).value).toBe(indicator(0).code);
  });

  it('is public signed out (cacheable, not audit-logged); needs a known format and language and an existing release; each signed-in download is audit-logged', async () => {
    const downloads = () => api.db.orm.em.fork().count(AuditEntry, { action: 'release.downloaded', subjectId: second.id });
    const before = await downloads();
    const signedOut = await downloadRelease(api, null, second.id, 'json');
    expect(signedOut.status).toBe(200);
    expect(signedOut.headers.get('cache-control')).toBe('public, max-age=300');
    expect(await downloads()).toBe(before);
    expect((await downloadRelease(api, member, second.id, 'csv')).json()).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ field: 'format' }] });
    expect((await downloadRelease(api, member, second.id, 'json', '?language=de')).status).toBe(400);
    expect((await downloadRelease(api, member, '00000000-0000-4000-8000-000000000000', 'json')).status).toBe(404);
    const em = api.db.orm.em.fork();
    expect(await em.count(AuditEntry, { action: 'release.downloaded', subjectId: second.id })).toBeGreaterThanOrEqual(6);
  });
});
