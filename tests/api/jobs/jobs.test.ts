import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditEntry } from '../../../api/src/audit/audit-entry.entity.js';
import { defineTask, enqueue } from '../../../api/src/jobs/tasks.js';
import { LiveEventKind, topics } from '../../../api/src/live/live-event.js';
import { appendLiveEvent, unsentTopics } from '../../../api/src/live/live-event.log.js';
import { liveSweep } from '../../../api/src/live/publish.js';
import { demo, startTestApi, type TestApi } from '../../support/api.js';
import type { GraphQLClient } from '../../support/client.js';
import { eventually, pendingJobs, settled } from '../../support/jobs.js';
import { CAMPAIGN_LETTER } from '../analysis/campaign.js';
import { BALLOT, ballotOn, createFramework, openRound, propose } from '../ballots/fixtures.js';
import type { FrameworkFixture } from '../rounds/fixtures.js';
import { ADD_COMMENT } from '../rounds/fixtures.js';
import { following, ROUND_ACTIVITY, subscribe } from '../live/live-support.js';

// Tasks of the tests' own, defined before the queue starts (as the features' are).
const flakyRuns: number[] = [];
const flaky = defineTask<{ failures: number }>('test:flaky', async ({ failures }, { attempt }) => {
  flakyRuns.push(attempt);
  if (attempt <= failures) throw new Error(`failing on purpose, attempt ${attempt}`);
});
const written: string[] = [];
const recorder = defineTask<{ mark: string }>('test:record', async ({ mark }) => void written.push(mark));

const BALLOT_TALLY = `subscription($ballotId: ID!) { ballotTally(ballotId: $ballotId) { event { kind sequence ballotId } ballot { id status } } }`;

let api: TestApi;
let facilitator: GraphQLClient;
let stakeholder: GraphQLClient;
let fw: FrameworkFixture;

beforeAll(async () => {
  api = await startTestApi();
  facilitator = await api.as(demo.facilitator);
  stakeholder = await api.as(demo.stakeholder);
  fw = await createFramework(api.db.orm, { slug: 'jobs', areas: 1, perArea: 6 });
});
afterAll(() => api?.stop());

const liveEvents = async (topic: string, kind: string) =>
  (await api.db.orm.em.fork().execute('select sequence from live_event where topic = ? and kind = ?', [topic, kind])).length;

describe('the job queue', () => {
  it('runs a job only once its transaction commits; a rolled-back one never exists', async () => {
    await api.db.orm.em.fork().transactional((tx) => enqueue(tx, recorder, { mark: 'committed' }));
    await expect(
      api.db.orm.em.fork().transactional(async (tx) => {
        await enqueue(tx, recorder, { mark: 'rolled back' });
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    await eventually(() => written.includes('committed'), () => `the committed job did not run: ${written}`);
    await settled(api.db.orm);
    expect(written).toEqual(['committed']);
  });

  it('retries a failing job until it succeeds, then forgets it', async () => {
    await api.db.orm.em.fork().transactional((tx) => enqueue(tx, flaky, { failures: 1 }));
    // graphile-worker waits e^1 ≈ 2.7 s before the second attempt.
    await eventually(() => flakyRuns.length === 2, () => `attempts so far: ${flakyRuns}`, 15_000);
    expect(flakyRuns).toEqual([1, 2]);
    await eventually(async () => (await pendingJobs(api.db.orm, flaky.name)) === 0, () => 'the succeeded job is still queued');
    const [{ n }] = await api.db.orm.em.fork().execute<{ n: number }[]>("select count(*)::int as n from graphile_worker.jobs where task_identifier = 'test:flaky'");
    expect(n).toBe(0);
  });

  it('a comment is placed by the job that follows its write, and a second delivery of that job changes no group', async () => {
    const round = await openRound(facilitator, fw);
    const versionId = fw.areas[0].indicators[0].versionId;
    const add = async (body: string) => (await stakeholder.data(ADD_COMMENT, { input: { roundId: round.id, targetKind: 'INDICATOR_VERSION', targetId: versionId, type: 'GENERAL', body } })).addComment.id as string;
    const first = await add(`${CAMPAIGN_LETTER}\n\nAna Quispe`);
    const second = await add(`${CAMPAIGN_LETTER}\n\nLuis Mamani`);
    const em = api.db.orm.em.fork();
    const groups = async () =>
      em.execute<{ group_id: string; comment_id: string; state: string }[]>(
        'select m.group_id, m.comment_id, m.state from near_duplicate_member m join near_duplicate_group g on g.id = m.group_id where g.round_id = ? order by m.comment_id',
        [round.id],
      );
    await eventually(async () => (await groups()).length === 2, () => 'the two letters were not grouped');
    const placed = await groups();
    expect(placed.map((m) => m.comment_id).sort()).toEqual([first, second].sort());

    // At-least-once delivery: the round's events dispatched again, as after a process died before recording them sent (fanned out and reacted to once more).
    await em.execute('update live_topic_sent set sequence = 0 where topic = ?', [topics.round(round.id)]);
    await em.execute("select graphile_worker.add_job('live:dispatch', json_build_object('topic', ?::text))", [topics.round(round.id)]);
    await settled(api.db.orm);
    expect(await groups()).toEqual(placed);
  });

  it('events committed by a process that stopped before adding their dispatch are sent by the sweep, once, and the sweep then finds nothing', async () => {
    const round = await openRound(facilitator, fw);
    const topic = topics.round(round.id);
    const sub = subscribe(api.graphqlUrl, facilitator.cookie, ROUND_ACTIVITY, { roundId: round.id });
    await following(api, topic, 1);
    const em = api.db.orm.em.fork();
    // The round's own opening is sent first: its dispatch job must not be taken for the sweep's.
    await settled(api.db.orm);
    // What a write commits, without the dispatch its process would add after the commit.
    await em.transactional((tx) => appendLiveEvent(tx, [topic], LiveEventKind.ROUND_STATUS_CHANGED, { roundId: round.id }));
    expect(await unsentTopics(em)).toContain(topic);
    const [{ n: waitingBefore }] = await em.execute<{ n: number }[]>("select count(*)::int as n from graphile_worker.jobs where key = ?", [`live:dispatch:${topic}`]);
    expect(waitingBefore).toBe(0);

    await enqueue(em, liveSweep, {});
    const [sent] = await sub.waitFor(1, 10_000);
    expect(sent.data.roundActivity).toMatchObject({ kind: 'ROUND_STATUS_CHANGED', roundId: round.id });
    await settled(api.db.orm);
    expect(await unsentTopics(em)).not.toContain(topic);
    await enqueue(em, liveSweep, {});
    await settled(api.db.orm);
    expect(sub.received).toHaveLength(1);
    await sub.close();
  });
});

describe('the clock', () => {
  it('a ballot read 1 ms after its closing time is CLOSED and nothing is written; its close job then decides it and tells its followers, once', async () => {
    const revision = await propose(facilitator, fw.areas[0].indicators[1].id, fw.areas[0].indicators[1].versionId);
    const closesAt = Date.now() + 1500;
    const ballot = await ballotOn(facilitator, [revision.id], { secrecy: 'OPEN', closesAt: new Date(closesAt).toISOString() });
    // Hold the ballot's row at once, so that the close job waits while the read happens (a slow machine may take the 1.5 s on what follows).
    const holder = new pg.Client({ connectionString: api.db.url });
    await holder.connect();
    await holder.query('begin');
    await holder.query('select 1 from ballot where id = $1 for update', [ballot.id]);
    const topic = topics.ballot(ballot.id);
    const sub = subscribe(api.graphqlUrl, stakeholder.cookie, BALLOT_TALLY, { ballotId: ballot.id });
    await following(api, topic, 1);
    const announcedBefore = await liveEvents(topic, 'BALLOT_STATUS_CHANGED');
    try {
      await eventually(() => Date.now() > closesAt, () => 'the clock stood still');
      const { ballot: read } = await stakeholder.data(BALLOT, { id: ballot.id });
      expect(read).toMatchObject({ status: 'CLOSED', tallyVisible: true, questions: [{ outcome: 'NO_QUORUM' }] });
      const em = api.db.orm.em.fork();
      const [row] = await em.execute('select closed_at from ballot where id = ?', [ballot.id]);
      expect(row.closed_at).toBeNull();
      expect(await em.count(AuditEntry, { action: 'ballot.closed', subjectId: ballot.id })).toBe(0);
      expect(await liveEvents(topic, 'BALLOT_STATUS_CHANGED')).toBe(announcedBefore);
      expect(sub.received).toEqual([]);
    } finally {
      await holder.query('rollback');
      await holder.end();
    }

    const [closed] = await sub.waitFor(1, 10_000);
    expect(closed.data.ballotTally).toMatchObject({ event: { kind: 'BALLOT_STATUS_CHANGED', ballotId: ballot.id }, ballot: { status: 'CLOSED' } });
    const em = api.db.orm.em.fork();
    expect(await em.count(AuditEntry, { action: 'ballot.closed', subjectId: ballot.id })).toBe(1);

    // A second delivery of the close job decides nothing and announces nothing more.
    await em.execute('select graphile_worker.add_job(?, ?::json)', ['ballots:closes', JSON.stringify({ ballotId: ballot.id })]);
    await settled(api.db.orm);
    expect(await em.count(AuditEntry, { action: 'ballot.closed', subjectId: ballot.id })).toBe(1);
    expect(await liveEvents(topic, 'BALLOT_STATUS_CHANGED')).toBe(announcedBefore + 1);
    await sub.close();
  });

  it('a round opening and closing at its set times tells its followers each time, as a facilitator’s action would', async () => {
    const opensAt = Date.now() + 1500;
    const closesAt = opensAt + 1500;
    const round = await openRound(facilitator, fw, { opensAt: new Date(opensAt).toISOString(), closesAt: new Date(closesAt).toISOString() });
    expect(round.status).toBe('SCHEDULED');
    const sub = subscribe(api.graphqlUrl, facilitator.cookie, ROUND_ACTIVITY, { roundId: round.id });
    await following(api, topics.round(round.id), 1);

    const events = await sub.waitFor(2, 15_000);
    expect(events.map((e) => e.data.roundActivity.kind)).toEqual(['ROUND_STATUS_CHANGED', 'ROUND_STATUS_CHANGED']);
    expect(events[0].at).toBeGreaterThanOrEqual(opensAt);
    expect(events[1].at).toBeGreaterThanOrEqual(closesAt);
    const { round: after } = await facilitator.data('query($id: ID!) { round(id: $id) { status } }', { id: round.id });
    expect(after.status).toBe('CLOSED');
    await sub.close();
  });
});
