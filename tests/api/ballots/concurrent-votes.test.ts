import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditEntry } from '../../../api/src/audit/audit-entry.entity.js';
import { demo, startTestApi, type TestApi } from '../../support/api.js';
import type { GraphQLClient } from '../../support/client.js';
import { countSql } from '../../support/sql-counter.js';
import { BALLOT, addMembers, ballotOn, createFramework, propose, vote } from './fixtures.js';

const TALLY = `query($id: ID!) { ballot(id: $id) { questions { tally { approve reject abstain participants } myVote { choice } } } }`;

let api: TestApi;
let facilitator: GraphQLClient;
let members: GraphQLClient[];

beforeAll(async () => {
  api = await startTestApi();
  facilitator = await api.as(demo.facilitator);
  members = await addMembers(api, 100);
}, 180_000);
afterAll(() => api?.stop());

const CHOICES = ['APPROVE', 'REJECT', 'ABSTAIN'] as const;

describe('100 members voting at once', () => {
  it('the final tally is each member’s last vote, nobody counted twice, every cast in the audit log', async () => {
    const fw = await createFramework(api.db.orm, { slug: 'concurrent', areas: 1, perArea: 1 });
    const ind = fw.areas[0].indicators[0];
    const revision = await propose(facilitator, ind.id, ind.versionId);
    const ballot = await ballotOn(facilitator, [revision.id], { quorum: { numerator: 1, denominator: 2 } });
    const q = ballot.questions[0].id;

    // Member i votes CHOICES[i % 3]; every third member then changes twice, ending on CHOICES[(i + 2) % 3].
    // Each member's own requests are sequential (so "last" is defined); the 100 members run in parallel.
    const plans = members.map((_, i) => (i % 3 === 0 ? [CHOICES[i % 3], CHOICES[(i + 1) % 3], CHOICES[(i + 2) % 3]] : [CHOICES[i % 3]]));
    const started = performance.now();
    await Promise.all(members.map(async (m, i) => { for (const choice of plans[i]) await vote(m, q, choice); }));
    const elapsed = performance.now() - started;
    // And a few members fire two different votes at the very same moment: exactly one of them stands.
    const racers = [1, 2, 4];
    await Promise.all(racers.flatMap((i) => [vote(members[i], q, 'APPROVE'), vote(members[i], q, 'ABSTAIN')]));

    const conn = api.db.orm.em.getConnection();
    const rows: { voter_id: string; choice: string; cast_by_name: string }[] = await conn.execute('select voter_id, choice, cast_by_name from ballot_vote where question_id = ?', [q]);
    expect(rows).toHaveLength(100);
    expect(new Set(rows.map((r) => r.voter_id)).size).toBe(100);
    const byName = new Map(rows.map((r) => [r.cast_by_name, r.choice]));
    const expected = { APPROVE: 0, REJECT: 0, ABSTAIN: 0 };
    members.forEach((_, i) => {
      const name = `Votante ${String(i).padStart(3, '0')}`;
      if (racers.includes(i)) expect(['APPROVE', 'ABSTAIN']).toContain(byName.get(name));
      else expect(byName.get(name)).toBe(plans[i].at(-1));
      expected[byName.get(name) as keyof typeof expected]++;
    });

    const { ballot: seen } = await facilitator.data(BALLOT, { id: ballot.id });
    expect(seen.questions[0].tally).toMatchObject({ approve: expected.APPROVE, reject: expected.REJECT, abstain: expected.ABSTAIN, participants: 100, eligible: 103 });
    const requests = plans.reduce((n, p) => n + p.length, 0) + racers.length * 2;
    expect(await api.db.orm.em.fork().count(AuditEntry, { action: 'vote.cast', scopeId: ballot.id })).toBe(requests);
    console.log(`${requests - racers.length * 2} votes from 100 members in ${Math.round(elapsed)} ms`);
  }, 180_000);

  it('a vote and a tally cost the same statements with 1 or 100 votes already cast', async () => {
    const fw = await createFramework(api.db.orm, { slug: 'statements', areas: 1, perArea: 2 });
    const [small, big] = await Promise.all(fw.areas[0].indicators.map((ind) => propose(facilitator, ind.id, ind.versionId)));
    const [smallBallot, bigBallot] = [await ballotOn(facilitator, [small.id]), await ballotOn(facilitator, [big.id])];
    await vote(members[1], smallBallot.questions[0].id, 'APPROVE');
    for (let i = 1; i < 100; i += 10) await Promise.all(members.slice(i, i + 10).map((m) => vote(m, bigBallot.questions[0].id, 'APPROVE')));

    const castSmall = await countSql(() => vote(members[0], smallBallot.questions[0].id, 'REJECT', 'motivo'));
    const castBig = await countSql(() => vote(members[0], bigBallot.questions[0].id, 'REJECT', 'motivo'));
    expect(castBig.count).toBe(castSmall.count);
    // The vote, its audit entry and its live event are one statement, with no BEGIN or COMMIT around it.
    expect(castBig.statements.filter((s) => /^\s*(begin|commit)\b/i.test(s))).toEqual([]);
    expect(castBig.statements.filter((s) => /insert into (ballot_vote|audit_entry|live_event)/.test(s))).toHaveLength(1);
    const readSmall = await countSql(() => members[0].data(TALLY, { id: smallBallot.id }));
    const readBig = await countSql(() => members[0].data(TALLY, { id: bigBallot.id }));
    expect(readBig.count).toBe(readSmall.count);
    console.log(`castVote: ${castBig.count} statements; ballot with tally and my vote: ${readBig.count}`);
  }, 120_000);
});
