import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DOCUMENT_TABLES } from '../../../api/src/exports/round-document.js';
import { Role, User } from '../../../api/src/users/user.entity.js';
import { DEMO_PASSWORD, demo, startTestApi, type TestApi } from '../../support/api.js';
import type { GraphQLClient } from '../../support/client.js';
import { download, IMPORT_COUNTS, rowsByTable, type RoundDocument } from './fixtures.js';

const PREVIEW = `query($d: JSONObject!) { roundImportPreview(document: $d) { roundId ${IMPORT_COUNTS} } }`;
const IMPORT = `mutation($d: JSONObject!) { importRound(document: $d) { roundId ${IMPORT_COUNTS} } }`;

let source: TestApi;
let target: TestApi;
let targetAdmin: GraphQLClient;
let document: RoundDocument;

/** Rows of every table a round's document touches, and the audit log's next number: what a preview must leave alone. */
async function rowCounts(api: TestApi) {
  const tables = DOCUMENT_TABLES.map((t) => t.name);
  const [row] = await api.db.orm.em.fork().execute<Record<string, number>[]>(`select ${tables.map((t) => `(select count(*)::int from "${t}") as "${t}"`).join(', ')}`);
  return row;
}

beforeAll(async () => {
  [source, target] = await Promise.all([startTestApi(), startTestApi({ seed: 'none' })]);
  const em = target.db.orm.em.fork();
  em.create(User, { email: 'admin@segunda.test', name: 'Administradora', roles: [Role.ADMIN], passwordHash: await target.app.hasher.hash(DEMO_PASSWORD) });
  await em.flush();
  targetAdmin = await target.as('admin@segunda.test');
  const [{ id }] = await source.db.orm.em.fork().execute<{ id: string }[]>('select id from consultation_round order by created_at limit 1');
  document = (await download(source, await source.as(demo.facilitator), id, { format: 'json' })).json();
});
afterAll(() => Promise.all([source?.stop(), target?.stop()]));

describe('previewing a round import', () => {
  it('answers the counts the import then loads, and writes nothing', async () => {
    const before = await rowCounts(target);
    const { roundImportPreview } = await targetAdmin.data(PREVIEW, { d: document });
    expect(roundImportPreview.roundId).toBe(document.roundId);
    expect(rowsByTable(roundImportPreview.counts)).toMatchObject({ consultation_round: 1, comment: document.tables.comment.length });
    expect(await rowCounts(target)).toEqual(before);
    // Twice: the first left nothing behind that would make the second a ROUND_EXISTS.
    expect((await targetAdmin.data(PREVIEW, { d: document })).roundImportPreview).toEqual(roundImportPreview);

    const { importRound } = await targetAdmin.data(IMPORT, { d: document });
    expect(importRound.counts).toEqual(roundImportPreview.counts);
  });

  it('refuses what the import refuses, with the same codes: a round already here, a document that is not one', async () => {
    const before = await rowCounts(target);
    expect(await targetAdmin.error(PREVIEW, { d: document })).toMatchObject({ code: 'CONFLICT', extensions: { reason: 'ROUND_EXISTS' } });
    expect(await targetAdmin.error(PREVIEW, { d: { format: 'something-else' } })).toMatchObject({ code: 'BAD_USER_INPUT', extensions: { fields: [{ field: 'format' }] } });
    const broken = structuredClone(document);
    broken.roundId = '00000000-0000-4000-8000-000000000001';
    broken.tables.consultation_round[0].id = broken.roundId;
    broken.tables.comment[0].body = 42;
    expect(await targetAdmin.error(PREVIEW, { d: broken })).toMatchObject({ code: 'BAD_USER_INPUT', extensions: { fields: [{ field: 'tables.comment[0].body' }] } });
    expect(await rowCounts(target)).toEqual(before);
  });
});
