import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditEntry } from '../../../api/src/audit/audit-entry.entity.js';
import { Disposition } from '../../../api/src/dispositions/disposition.entity.js';
import { demo, startTestApi, type TestApi } from '../../support/api.js';
import type { GraphQLClient } from '../../support/client.js';
import { ADD_COMMENT, createFramework, openRound, type FrameworkFixture } from '../rounds/fixtures.js';

let api: TestApi;
let fw: FrameworkFixture;
let facilitator: GraphQLClient;
let stakeholder: GraphQLClient;
beforeAll(async () => {
  api = await startTestApi();
  fw = await createFramework(api.db.orm, { slug: 'dispositions', areas: 1, perArea: 2 });
  [facilitator, stakeholder] = await Promise.all([api.as(demo.facilitator), api.as(demo.stakeholder)]);
});
afterAll(() => api?.stop());

const DISPOSE = `mutation($input: DispositionInput!) { setDispositions(input: $input) { status duplicateOfId comment { id } } }`;
const dispositions = () => api.db.orm.em.fork().count(Disposition, {});

async function comments(roundId: string, n: number) {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const { addComment } = await stakeholder.data(ADD_COMMENT, { input: { roundId, targetKind: 'INDICATOR_VERSION', targetId: fw.versionIds[i % 2], type: 'GENERAL', body: `c${i}` } });
    ids.push(addComment.id);
  }
  return ids;
}

describe('dispositions', () => {
  it('are given in bulk, one audit entry per comment, and the per-indicator counters follow', async () => {
    const round = await openRound(facilitator, fw);
    const ids = await comments(round.id, 4);
    const { setDispositions } = await facilitator.data(DISPOSE, { input: { commentIds: ids.slice(0, 3), status: 'NOTED', response: 'Gracias' } });
    expect(setDispositions.map((d: any) => d.comment.id)).toEqual(ids.slice(0, 3));
    const { round: r } = await facilitator.data(`query($id: ID!) { round(id: $id) { undisposedCount indicators { undisposedCount commentCount } } }`, { id: round.id });
    expect(r).toEqual({ undisposedCount: 1, indicators: [{ commentCount: 2, undisposedCount: 0 }, { commentCount: 2, undisposedCount: 1 }] });
    expect(await api.db.orm.em.fork().count(AuditEntry, { scopeId: round.id, action: 'disposition.set' })).toBe(3);
    const { roundComments } = await facilitator.data(`query($id: ID!) { roundComments(roundId: $id, filter: { dispositions: [NONE] }) { totalCount edges { node { id } } } }`, { id: round.id });
    expect(roundComments).toEqual({ totalCount: 1, edges: [{ node: { id: ids[3] } }] });
  });

  it('a comment carries its disposition’s status, kept by the database as it is set, changed or removed; the list filters and counts by it', async () => {
    const round = await openRound(facilitator, fw);
    const [a, b] = await comments(round.id, 2);
    const statusOf = async (id: string) => (await api.db.orm.em.fork().execute<{ s: string }[]>('select disposition_status as s from comment where id = ?', [id]))[0].s;
    const listed = async (status: string) =>
      (await facilitator.data(`query($id: ID!, $d: [DispositionFacet!]) { roundComments(roundId: $id, filter: { dispositions: $d }) { totalCount facets { dispositions { value count } } } }`, { id: round.id, d: [status] })).roundComments;
    expect([await statusOf(a), await statusOf(b)]).toEqual(['NONE', 'NONE']);
    await facilitator.data(DISPOSE, { input: { commentIds: [a], status: 'NOTED', response: 'Gracias' } });
    expect(await statusOf(a)).toBe('NOTED');
    await facilitator.data(DISPOSE, { input: { commentIds: [a], status: 'REJECTED', response: 'No procede' } });
    expect([await statusOf(a), await statusOf(b)]).toEqual(['REJECTED', 'NONE']);
    // The disposition facet counts within the other criteria only: every disposition with its count.
    const both = { dispositions: expect.arrayContaining([{ value: 'REJECTED', count: 1 }, { value: 'NONE', count: 1 }]) };
    expect(await listed('REJECTED')).toEqual({ totalCount: 1, facets: both });
    expect(await listed('NONE')).toEqual({ totalCount: 1, facets: both });
    // Nothing in the API deletes a disposition; should a row go, its comment is undecided again.
    await api.db.orm.em.fork().execute('delete from disposition where comment_id = ?', [a]);
    expect(await statusOf(a)).toBe('NONE');
    expect(await listed('NONE')).toEqual({ totalCount: 2, facets: { dispositions: [{ value: 'NONE', count: 2 }] } });
  });

  it('DUPLICATE needs a comment of the same round to point at; wrong input stores nothing', async () => {
    const round = await openRound(facilitator, fw);
    const other = await openRound(facilitator, fw);
    const [a, b] = await comments(round.id, 2);
    const [elsewhere] = await comments(other.id, 1);
    const before = await dispositions();
    expect((await facilitator.error(DISPOSE, { input: { commentIds: [b], status: 'DUPLICATE' } })).extensions?.fields?.[0].field).toBe('duplicateOfId');
    expect((await facilitator.error(DISPOSE, { input: { commentIds: [b], status: 'DUPLICATE', duplicateOfId: elsewhere } })).extensions?.fields?.[0].field).toBe('duplicateOfId');
    expect((await facilitator.error(DISPOSE, { input: { commentIds: [b], status: 'DUPLICATE', duplicateOfId: b } })).extensions?.fields?.[0].field).toBe('duplicateOfId');
    expect((await facilitator.error(DISPOSE, { input: { commentIds: [b], status: 'NOTED', duplicateOfId: a } })).extensions?.fields?.[0].field).toBe('duplicateOfId');
    expect((await facilitator.error(DISPOSE, { input: { commentIds: [a, elsewhere], status: 'NOTED' } })).extensions?.fields?.[0].field).toBe('commentIds');
    expect(await dispositions()).toBe(before);
    const { setDispositions } = await facilitator.data(DISPOSE, { input: { commentIds: [b], status: 'DUPLICATE', duplicateOfId: a, response: 'Igual que el anterior' } });
    expect(setDispositions).toEqual([{ status: 'DUPLICATE', duplicateOfId: a, comment: { id: b } }]);
  });

  it('replies and withdrawn comments take no disposition; a resolved round refuses changes', async () => {
    const round = await openRound(facilitator, fw);
    const [a, b] = await comments(round.id, 2);
    const { replyToComment } = await facilitator.data(`mutation($p: ID!) { replyToComment(input: { parentId: $p, body: "r" }) { id } }`, { p: a });
    expect((await facilitator.error(DISPOSE, { input: { commentIds: [replyToComment.id], status: 'NOTED' } })).extensions?.fields?.[0].field).toBe('commentIds');
    await stakeholder.data(`mutation($id: ID!) { withdrawComment(id: $id) { id } }`, { id: b });
    expect((await facilitator.error(DISPOSE, { input: { commentIds: [b], status: 'NOTED' } })).extensions?.reason).toBe('COMMENT_WITHDRAWN');
    await facilitator.data(DISPOSE, { input: { commentIds: [a], status: 'ACCEPTED' } });
    await facilitator.data(`mutation($id: ID!) { closeRoundNow(id: $id) { id } }`, { id: round.id });
    await facilitator.data(`mutation($id: ID!) { resolveRound(id: $id) { id } }`, { id: round.id });
    expect((await facilitator.error(DISPOSE, { input: { commentIds: [a], status: 'REJECTED' } })).extensions?.reason).toBe('ROUND_RESOLVED');
  });
});
