import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../../support/api.js';
import { campaignComment, distinctComment, seededRandom } from './campaign.js';
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
  const versions = round.fw.areas.flatMap((a) => a.indicators.map((i) => i.versionId));
  // 200 copies of a campaign letter among 500 distinct comments, in an arrival order mixing both.
  const plan = [...Array.from({ length: 200 }, () => ({ kind: 'campaign' as const, body: campaignComment(r) })), ...Array.from({ length: 500 }, () => ({ kind: 'distinct' as const, body: distinctComment(r).body }))];
  for (let i = plan.length - 1; i > 0; i--) {
    const j = r.int(i + 1);
    [plan[i], plan[j]] = [plan[j], plan[i]];
  }
  timings = await inBatches(plan, round.commenters.length, async (item, i) => {
    const started = performance.now();
    const id = await addComment(round.commenters[i % round.commenters.length], round.roundId, versions[i % versions.length], item.body);
    (item.kind === 'campaign' ? campaign : distinct).add(id);
    return performance.now() - started;
  });
}, 600_000);

afterAll(() => api?.stop());

const groups = async () => (await round.facilitator.data(GROUPS, { roundId: round.roundId })).nearDuplicateGroups as { id: string; size: number; confirmed: boolean; representative: { id: string }; members: { state: string; similarity: number; comment: { id: string } }[] }[];

describe('near-duplicate grouping as the round fills', () => {
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
    console.info(`near-duplicates: campaign group ${largest.size}/200, ${others.length} other group(s) of distinct comments; addComment median ${median(timings.slice(0, 100)).toFixed(1)} ms (first 100) → ${median(timings.slice(-100)).toFixed(1)} ms (last 100)`);
  });

  it('keeps the work of each insert bounded: the last comments cost about what the first did', () => {
    expect(median(timings.slice(-100))).toBeLessThan(median(timings.slice(0, 100)) * 3 + 20);
  });

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
