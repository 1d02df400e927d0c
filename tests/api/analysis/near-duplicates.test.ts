import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { Comment, CommentTargetKind, CommentType } from '../../../api/src/comments/comment.entity.js';
import { IndicatorVersion, Indicator } from '../../../api/src/indicators/indicator.entity.js';
import { ConsultationRound } from '../../../api/src/rounds/round.entity.js';
import { User } from '../../../api/src/users/user.entity.js';
import { demo, startTestApi, type TestApi } from '../../support/api.js';
import { settled } from '../../support/jobs.js';
import { countSql } from '../../support/sql-counter.js';
import { campaignComment, distinctComment, seededRandom } from './campaign.js';
import { download } from '../exports/fixtures.js';
import { addComment, analysisRound, DISPOSE_GROUP, GROUPS, inBatches, type AnalysisRound } from './fixtures.js';

let api: TestApi;
let round: AnalysisRound;
const campaign = new Set<string>();
const distinct = new Set<string>();
let timings: number[] = [];

beforeAll(async () => {
  api = await startTestApi();
  round = await analysisRound(api, 'campaign-fw');
  const r = seededRandom(2026);
  const versions = round.fw.areas.flatMap((a) => a.indicators);
  // 500 distinct comments already in the round (written straight to the database, for speed),
  // then 200 copies of a campaign letter arriving through the API, as the round fills.
  const em = api.db.orm.em.fork();
  const authors = await em.find(User, { email: { $in: [demo.stakeholder, demo.member, demo.member2, demo.member3] } }, { populate: ['organization'] });
  const roundRef = em.getReference(ConsultationRound, round.roundId);
  for (let i = 0; i < 500; i++) {
    const author = authors[i % authors.length];
    const target = versions[r.int(versions.length)];
    const id = randomUUID();
    const body = distinctComment(r).body;
    em.create(Comment, {
      id, round: roundRef, threadId: id, targetKind: CommentTargetKind.INDICATOR_VERSION, indicatorVersion: em.getReference(IndicatorVersion, target.versionId),
      indicator: em.getReference(Indicator, target.id), type: CommentType.GENERAL, body, bodyHtml: `<p>${body}</p>`,
      authorId: author.id, authorName: author.name, authorOrganizationId: author.organization?.id ?? null, authorOrganizationName: author.organization?.getEntity().name ?? null,
      authorCountry: author.organization?.getEntity().country ?? null, createdAt: new Date(Date.now() - (500 - i) * 1000),
    });
    distinct.add(id);
  }
  await em.flush();
  await em.execute('update consultation_round set comment_count = comment_count + 500, undisposed_count = undisposed_count + 500 where id = ?', [round.roundId]);
  const letters = Array.from({ length: 200 }, () => campaignComment(r));
  timings = await inBatches(letters, round.commenters.length, async (body, i) => {
    const started = performance.now();
    campaign.add(await addComment(round.commenters[i % round.commenters.length], round.roundId, versions[i % versions.length].versionId, body));
    return performance.now() - started;
  });
  // Each copy is placed by a job after its write: the groups below are what the jobs made.
  await settled(api.db.orm, 120_000);
}, 600_000);

afterAll(() => api?.stop());

const groups = async () => (await round.facilitator.data(GROUPS, { roundId: round.roundId })).nearDuplicateGroups as { id: string; size: number; confirmed: boolean; representative: { id: string }; members: { state: string; similarity: number; comment: { id: string } }[] }[];

describe('near-duplicate grouping as the round fills', { timeout: 120_000 }, () => {
  it('puts the 200 copies of a campaign letter in one group and pulls in no distinct comment', async () => {
    const all = await groups();
    const [largest, ...others] = all;
    const active = largest.members.filter((m) => m.state !== 'REMOVED').map((m) => m.comment.id);
    expect(largest.size).toBe(active.length);
    expect(largest.size).toBeGreaterThanOrEqual(195);
    expect(active.every((id) => campaign.has(id))).toBe(true);
    expect(campaign.has(largest.representative.id)).toBe(true);
    expect(largest.confirmed).toBe(false);
    // Whatever else formed holds distinct comments only, and small.
    for (const g of others) {
      expect(g.members.some((m) => campaign.has(m.comment.id))).toBe(false);
      expect(g.size).toBeLessThanOrEqual(3);
    }
    expect(largest.members.every((m) => m.similarity >= 0.7)).toBe(true);
    console.info(`near-duplicates: campaign group ${largest.size}/200, ${others.length} other group(s) of distinct comments; addComment median ${median(timings.slice(0, 50)).toFixed(1)} ms (first 50) → ${median(timings.slice(-50)).toFixed(1)} ms (last 50)`);
  });

  it('keeps the work of each insert bounded: the last copies cost about what the first did', () => {
    expect(median(timings.slice(-50))).toBeLessThan(median(timings.slice(0, 50)) * 3 + 50);
  });

  it('regroups the whole round from scratch to the same campaign group', async () => {
    const before = await groups();
    const { regroupRound } = await round.facilitator.data(`mutation($roundId: ID!) { regroupRound(roundId: $roundId) }`, { roundId: round.roundId });
    const after = await groups();
    expect(regroupRound).toBe(after.length);
    expect(after[0].size).toBe(before[0].size);
    expect(after[0].members.every((m) => campaign.has(m.comment.id))).toBe(true);
    for (const g of after.slice(1)) expect(g.members.some((m) => campaign.has(m.comment.id))).toBe(false);
  }, 300_000);

  it('lets a stakeholder neither see nor regroup nor dispose of groups, and writes nothing when refused', async () => {
    const [group] = await groups();
    expect((await round.stakeholder.error(GROUPS, { roundId: round.roundId })).code).toBe('FORBIDDEN');
    expect((await round.stakeholder.error(`mutation($roundId: ID!) { regroupRound(roundId: $roundId) }`, { roundId: round.roundId })).code).toBe('FORBIDDEN');
    expect((await round.stakeholder.error(`mutation($id: ID!) { confirmNearDuplicateGroup(id: $id) { id } }`, { id: group.id })).code).toBe('FORBIDDEN');
    expect((await round.stakeholder.error(DISPOSE_GROUP, { input: { groupId: group.id, status: 'NOTED', response: 'x' } })).code).toBe('FORBIDDEN');
    const [{ n }] = await api.db.orm.em.fork().execute<{ n: number }[]>('select count(*)::int as n from disposition where round_id = ?', [round.roundId]);
    expect(n).toBe(0);
    const { comment } = await round.stakeholder.data(`query($id: ID!) { comment(id: $id) { id nearDuplicateGroup { id } } }`, { id: group.representative.id });
    expect(comment.nearDuplicateGroup).toBeNull();
  });

  it('takes a member out for good: regrouping never puts it back', async () => {
    const [group] = await groups();
    const leaving = group.members[group.members.length - 1].comment.id;
    const { removeFromNearDuplicateGroup } = await round.facilitator.data(
      `mutation($input: RemoveFromGroupInput!) { removeFromNearDuplicateGroup(input: $input) { id size } }`,
      { input: { groupId: group.id, commentIds: [leaving] } },
    );
    expect(removeFromNearDuplicateGroup.size).toBe(group.size - 1);
    const { regroupRound } = await round.facilitator.data(`mutation($roundId: ID!) { regroupRound(roundId: $roundId) }`, { roundId: round.roundId });
    expect(regroupRound).toBeGreaterThanOrEqual(1);
    const [again] = await groups();
    expect(again.size).toBe(group.size - 1);
    expect(again.members.find((m) => m.comment.id === leaving)?.state).toBe('REMOVED');
    expect(again.members.filter((m) => m.state !== 'REMOVED').every((m) => campaign.has(m.comment.id))).toBe(true);
    const { comment } = await round.facilitator.data(`query($id: ID!) { comment(id: $id) { nearDuplicateGroup { id } } }`, { id: leaving });
    expect(comment.nearDuplicateGroup).toBeNull();
    // The queue reads a group's size through each comment: counted, without the members taken out.
    const staying = await round.facilitator.data(`query($id: ID!) { comment(id: $id) { nearDuplicateGroup { id size } } }`, { id: group.representative.id });
    expect(staying.comment.nearDuplicateGroup).toEqual({ id: group.id, size: group.size - 1 });
    // The export's group and size columns count the same way.
    const csv = (await download(api, round.facilitator, round.roundId, { format: 'csv' })).body.toString('utf8');
    expect(csv).toContain(`,G-${group.id.slice(0, 8)},${group.size - 1},`);
  });

  it('shows each comment of a page its group, counted, in one statement for the whole page', async () => {
    const all = await groups();
    const PAGE = (withGroups: boolean) =>
      `query($roundId: ID!, $after: String) { roundComments(roundId: $roundId, first: 200, after: $after) { pageInfo { endCursor } edges { node { id ${withGroups ? 'nearDuplicateGroup { id size confirmed }' : ''} } } } }`;
    // Past the 500 older distinct comments: a page of 100 of them and 100 copies of the letter.
    let after: string | null = null;
    for (let k = 0; k < 2; k++) after = (await round.facilitator.data(PAGE(false), { roundId: round.roundId, after })).roundComments.pageInfo.endCursor;
    const { result, count } = await countSql(() => round.facilitator.data(PAGE(true), { roundId: round.roundId, after }));
    const { count: without } = await countSql(() => round.facilitator.data(PAGE(false), { roundId: round.roundId, after }));
    // The queue's question: the group and its size come in one statement (they took three, one of them per group).
    expect(count - without).toBe(1);
    const nodes = result.roundComments.edges.map((e: { node: { id: string; nearDuplicateGroup: unknown } }) => e.node);
    const grouped = nodes.filter((n: { nearDuplicateGroup: unknown }) => n.nearDuplicateGroup);
    expect(grouped.length).toBeGreaterThan(0);
    expect(grouped.length).toBeLessThan(nodes.length);
    for (const node of nodes) {
      const group = all.find((g) => g.members.some((m) => m.comment.id === node.id && m.state !== 'REMOVED'));
      expect(node.nearDuplicateGroup, node.id).toEqual(group ? { id: group.id, size: group.size, confirmed: group.confirmed } : null);
    }
  });

  it('disposes of a whole group in one action: every member gets its own disposition, and the counters follow', async () => {
    const [group] = await groups();
    const before = (await round.facilitator.data(`query($id: ID!) { round(id: $id) { undisposedCount } }`, { id: round.roundId })).round.undisposedCount;
    const { disposeNearDuplicateGroup } = await round.facilitator.data(DISPOSE_GROUP, {
      input: { groupId: group.id, status: 'PARTIALLY_ACCEPTED', response: 'Se medirá por ciclo agrícola donde la institución lo documente.' },
    });
    const members = group.members.filter((m) => m.state !== 'REMOVED').map((m) => m.comment.id).sort();
    expect(disposeNearDuplicateGroup).toHaveLength(group.size);
    expect(disposeNearDuplicateGroup.map((d: { comment: { id: string } }) => d.comment.id).sort()).toEqual(members);
    const em = api.db.orm.em.fork();
    const rows = await em.execute<{ comment_id: string; status: string; author_id: string }[]>(
      'select d.comment_id, d.status, c.author_id from disposition d join comment c on c.id = d.comment_id where d.round_id = ?',
      [round.roundId],
    );
    expect(rows.map((r) => r.comment_id).sort()).toEqual(members);
    expect(rows.every((r) => r.status === 'PARTIALLY_ACCEPTED')).toBe(true);
    expect(new Set(rows.map((r) => r.author_id)).size).toBe(round.commenters.length);
    const after = (await round.facilitator.data(`query($id: ID!) { round(id: $id) { undisposedCount } }`, { id: round.roundId })).round.undisposedCount;
    expect(before - after).toBe(group.size);
    const [{ n }] = await em.execute<{ n: number }[]>("select count(*)::int as n from audit_entry where scope_id = ? and action = 'disposition.set'", [round.roundId]);
    expect(n).toBe(group.size);
    const [confirmed] = await groups();
    expect(confirmed.confirmed).toBe(true);
    expect(confirmed.members.filter((m) => m.state !== 'REMOVED').every((m) => m.state === 'CONFIRMED')).toBe(true);
  });

  it('marks the rest as duplicates of the representative, which keeps its own disposition', async () => {
    const [group] = await groups();
    const { disposeNearDuplicateGroup } = await round.facilitator.data(DISPOSE_GROUP, {
      input: { groupId: group.id, status: 'DUPLICATE', response: 'Igual que la carta de la campaña.', duplicateOfId: group.representative.id },
    });
    expect(disposeNearDuplicateGroup).toHaveLength(group.size - 1);
    const [rep] = await api.db.orm.em.fork().execute<{ status: string }[]>('select status from disposition where comment_id = ?', [group.representative.id]);
    expect(rep.status).toBe('PARTIALLY_ACCEPTED');
  });
});

function median(xs: number[]) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}
