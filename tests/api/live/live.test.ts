import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { RequestContext } from '../../../api/src/context.js';
import { mutationTransaction } from '../../../api/src/db/transaction.js';
import { LiveEventKind, topics } from '../../../api/src/live/live-event.js';
import { pruneLiveEvents } from '../../../api/src/live/live-event.log.js';
import { publishLiveEvent, reactTo } from '../../../api/src/live/publish.js';
import { demo, type TestApi } from '../../support/api.js';
import type { GraphQLClient } from '../../support/client.js';
import { countSql } from '../../support/sql-counter.js';
import { ADD_COMMENT, openRound, type FrameworkFixture } from '../rounds/fixtures.js';
import { ROUND_ACTIVITY, twoProcessesWithRound, cookieSocket, following, sleep, startSecondApi, subscribe, wsUrl } from './live-support.js';

const SINCE = `query($topic: String!, $after: Int!) { liveEventsSince(topic: $topic, afterSequence: $after) { topic sequence kind commentId } }`;

let api: TestApi;
let second: Awaited<ReturnType<typeof startSecondApi>>;
let fw: FrameworkFixture;
let roundId: string;
let facilitator: GraphQLClient;
let stakeholderOnSecond: GraphQLClient;
const versionId = () => fw.areas[0].indicators[0].versionId;
const roundTopic = () => topics.round(roundId);

const comment = (client: GraphQLClient, body: string, targetId = versionId()) =>
  client.data(ADD_COMMENT, { input: { roundId, targetKind: 'INDICATOR_VERSION', targetId, type: 'GENERAL', body } }).then((r) => r.addComment as { id: string });

const liveRows = async (topic: string) =>
  (await api.db.orm.em.fork().execute<Array<{ sequence: string; kind: string }>>('select sequence, kind from live_event where topic = ? order by sequence', [topic])).map((r) => [Number(r.sequence), r.kind]);

beforeAll(async () => {
  ({ api, second, facilitator, stakeholderOnSecond, fw, roundId } = await twoProcessesWithRound('live', 3));
});
afterAll(async () => {
  await second?.stop();
  await api?.stop();
});

describe('across API processes (PostgreSQL LISTEN/NOTIFY)', () => {
  it('uses LISTEN/NOTIFY when no REDIS_URL is set', () => {
    expect([api.app.live.transport, second.app.live.transport]).toEqual(['postgresql', 'postgresql']);
  });

  it('a subscriber on the first process receives, within a second, a comment posted through the second', async () => {
    const sub = subscribe(api.graphqlUrl, facilitator.cookie, ROUND_ACTIVITY, { roundId });
    await following(api, roundTopic(), 1);
    const sent = Date.now();
    const posted = await comment(stakeholderOnSecond, 'Conviene medir también la retención.');
    const [event] = await sub.waitFor(1, 1000);
    expect(event.data.roundActivity).toMatchObject({ topic: topics.round(roundId), kind: 'COMMENT_ADDED', roundId, indicatorVersionId: versionId(), commentId: posted.id, threadId: posted.id });
    expect(event.at - sent).toBeLessThan(1000);
    await sub.close();
    await following(api, roundTopic(), 0);
  });

  it('a dropped LISTEN connection reconnects and delivers what was committed meanwhile', async () => {
    const sub = subscribe(api.graphqlUrl, facilitator.cookie, ROUND_ACTIVITY, { roundId });
    await following(api, roundTopic(), 1);
    const killed = await api.db.orm.em.fork().execute<unknown[]>(
      "select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'consulta-live' and datname = current_database()",
    );
    expect(killed.length).toBe(2);
    const meanwhile = await comment(stakeholderOnSecond, 'Escrito mientras la conexión LISTEN estaba caída.');
    const [event] = await sub.waitFor(1, 5000);
    expect(event.data.roundActivity).toMatchObject({ kind: 'COMMENT_ADDED', commentId: meanwhile.id });
    await sub.close();
    await following(api, roundTopic(), 0);
  });

  it('the indicator topic carries only its own version’s activity; edits, replies and withdrawals follow in sequence', async () => {
    const sub = subscribe(second.graphqlUrl, facilitator.cookie, ROUND_ACTIVITY, { roundId, indicatorVersionId: versionId() });
    await following(second, topics.indicator(roundId, versionId()), 1);
    const mine = await comment(stakeholderOnSecond, 'Primera versión del comentario.');
    await comment(stakeholderOnSecond, 'Sobre otro indicador.', fw.areas[0].indicators[1].versionId);
    await stakeholderOnSecond.data(`mutation($id: ID!, $input: EditCommentInput!) { editComment(id: $id, input: $input) { id } }`, { id: mine.id, input: { body: 'Versión corregida.' } });
    await facilitator.data(`mutation($input: ReplyInput!) { replyToComment(input: $input) { id } }`, { input: { parentId: mine.id, body: 'Gracias, lo revisamos.', official: true } });
    await stakeholderOnSecond.data(`mutation($id: ID!) { withdrawComment(id: $id) { id } }`, { id: mine.id });
    const events = (await sub.waitFor(4)).map((r) => r.data.roundActivity);
    expect(events.map((e) => e.kind)).toEqual(['COMMENT_ADDED', 'COMMENT_EDITED', 'REPLY_ADDED', 'COMMENT_WITHDRAWN']);
    expect(events.every((e) => e.indicatorVersionId === versionId() && e.threadId === mine.id)).toBe(true);
    const sequences = events.map((e) => e.sequence);
    expect(sequences).toEqual(sequences.map((_, i) => sequences[0] + i));
    // The next comment on this version comes fifth: nothing else arrived in between or after.
    const later = await comment(stakeholderOnSecond, 'Un comentario posterior.');
    expect((await sub.waitFor(5)).map((r) => r.data.roundActivity.commentId)).toEqual([mine.id, mine.id, expect.any(String), mine.id, later.id]);
    await sub.close();
    await following(second, topics.indicator(roundId, versionId()), 0);
  });

  it('dispositions and round status changes reach the round’s subscribers', async () => {
    const c = await comment(stakeholderOnSecond, 'Falta la fuente de datos.');
    const sub = subscribe(api.graphqlUrl, facilitator.cookie, ROUND_ACTIVITY, { roundId });
    await following(api, roundTopic(), 1);
    await facilitator.data(`mutation($input: DispositionInput!) { setDispositions(input: $input) { status } }`, { input: { commentIds: [c.id], status: 'ACCEPTED', response: 'Se agrega.' } });
    await facilitator.data(`mutation($id: ID!, $at: DateTimeISO!) { extendRound(id: $id, closesAt: $at) { id } }`, { id: roundId, at: new Date(Date.now() + 48 * 3600_000).toISOString() });
    const events = (await sub.waitFor(2)).map((r) => r.data.roundActivity);
    expect(events).toMatchObject([{ kind: 'DISPOSITION_CHANGED', commentId: c.id }, { kind: 'ROUND_STATUS_CHANGED', commentId: null }]);
    await sub.close();
    await following(api, roundTopic(), 0);
  });

  it('reactions still running do not hold back the topic’s next events, however many are waiting', async () => {
    // Every comment of this test gets a reaction that lasts until the test ends: more of them than the two processes have job slots (4 each).
    const slow = new Set<string>();
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    reactTo(LiveEventKind.COMMENT_ADDED, async ({ commentId }) => {
      if (commentId && slow.has(commentId)) await released;
    });
    const sub = subscribe(api.graphqlUrl, facilitator.cookie, ROUND_ACTIVITY, { roundId });
    await following(api, roundTopic(), 1);
    try {
      for (let i = 1; i <= 10; i++) {
        const { id } = await comment(stakeholderOnSecond, `Comentario ${i} de una ráfaga cuya reacción tarda.`);
        slow.add(id);
        // Each waits for its event before the next is written: a dispatch (and its reactions) of its own.
        const events = await sub.waitFor(i, 5000);
        expect(events[i - 1].data.roundActivity.commentId).toBe(id);
      }
    } finally {
      release();
      await sub.close();
      await following(api, roundTopic(), 0);
    }
  });
});

describe('after commit only', () => {
  it('a mutation that rolls back after publishing leaves no event row and sends nothing; the next event keeps the sequence gap-free', async () => {
    const topic = topics.round(roundId);
    const before = await liveRows(topic);
    const sub = subscribe(api.graphqlUrl, facilitator.cookie, ROUND_ACTIVITY, { roundId });
    await following(api, topic, 1);
    // The real transaction middleware around a "mutation" that publishes and then fails.
    const ctx = { em: api.db.orm.em.fork(), app: api.app } as unknown as RequestContext;
    const failing = mutationTransaction({ extensions: {} } as never)({ context: ctx } as never, async () => {
      await publishLiveEvent(ctx, LiveEventKind.COMMENT_ADDED, { roundId, commentId: '00000000-0000-4000-8000-000000000000' });
      throw new Error('the write fails after the event was recorded');
    });
    await expect(failing).rejects.toThrow('the write fails');
    // And through GraphQL: a refused comment (no such version in the round) publishes nothing either.
    const refused = await stakeholderOnSecond.error(ADD_COMMENT, { input: { roundId, targetKind: 'INDICATOR_VERSION', targetId: fw.areas[0].id, type: 'GENERAL', body: 'x' } });
    expect(refused.code).toBe('BAD_USER_INPUT');
    expect(await liveRows(topic)).toEqual(before);

    // Events reach a subscriber in sequence order: had either sent one, it would come before this comment's.
    const kept = await comment(stakeholderOnSecond, 'Este sí se guarda.');
    await sub.waitFor(1);
    expect(sub.received.map((r) => r.data.roundActivity)).toMatchObject([{ commentId: kept.id, sequence: (before.at(-1)?.[0] as number) + 1 }]);
    await sub.close();
    await following(api, topic, 0);
  });
});

describe('catch-up', () => {
  it('a client that reconnects gets what it missed, by query or by subscribing with afterSequence', async () => {
    const topic = topics.round(roundId);
    const [last] = (await liveRows(topic)).at(-1) as [number, string];
    const missed = [await comment(stakeholderOnSecond, 'Escrito mientras el lector no estaba.'), await comment(stakeholderOnSecond, 'Y otro más.')];
    const { liveEventsSince } = await facilitator.data(SINCE, { topic, after: last });
    expect(liveEventsSince).toEqual(missed.map((m, i) => ({ topic, sequence: last + 1 + i, kind: 'COMMENT_ADDED', commentId: m.id })));

    const sub = subscribe(second.graphqlUrl, facilitator.cookie, ROUND_ACTIVITY, { roundId, afterSequence: last });
    const replayed = (await sub.waitFor(2)).map((r) => r.data.roundActivity.commentId);
    expect(replayed).toEqual(missed.map((m) => m.id));
    const live = await comment(stakeholderOnSecond, 'Y uno en vivo, después de ponerse al día.');
    expect((await sub.waitFor(3))[2].data.roundActivity).toMatchObject({ commentId: live.id, sequence: last + 3 });
    await sub.close();
  });

  it('catch-up checks the topic like a subscription does', async () => {
    expect((await facilitator.error(SINCE, { topic: 'everything', after: 0 })).code).toBe('BAD_USER_INPUT');
    expect((await facilitator.error(SINCE, { topic: topics.round('00000000-0000-4000-8000-000000000000'), after: 0 })).code).toBe('NOT_FOUND');
    expect((await api.client().error(SINCE, { topic: topics.round(roundId), after: 0 })).code).toBe('UNAUTHENTICATED');
  });
});

describe('where a page starts following', () => {
  const SEQUENCE = `query($topic: String!) { liveSequence(topic: $topic) }`;
  const PINNED = `query($roundId: ID!, $indicatorId: ID!) { round(id: $roundId) { indicator(indicatorId: $indicatorId) { liveSequence } } }`;

  it('an indicator’s page reads its version’s topic sequence by the indicator’s id, behind the round’s gate', async () => {
    const indicatorId = fw.areas[0].indicators[0].id;
    const before = (await facilitator.data(PINNED, { roundId, indicatorId })).round.indicator.liveSequence as number;
    expect(before).toBe((await facilitator.data(SEQUENCE, { topic: topics.indicator(roundId, versionId()) })).liveSequence);
    await comment(stakeholderOnSecond, 'Escrito después de que la página leyera dónde estaba.');
    expect((await facilitator.data(PINNED, { roundId, indicatorId })).round.indicator.liveSequence).toBe(before + 1);

    const narrow = await openRound(facilitator, fw, { audience: { all: false, organizationIds: [], countries: ['HT'] } });
    const stakeholder = await api.as(demo.stakeholder);
    expect(await stakeholder.error(PINNED, { roundId: narrow.id, indicatorId })).toMatchObject({ code: 'FORBIDDEN' });
    expect((await stakeholder.error(SEQUENCE, { topic: topics.indicator(narrow.id, versionId()) })).code).toBe('FORBIDDEN');
  });

  it('every indicator’s sequence of a round costs the statements of one', async () => {
    const ALL = `query($roundId: ID!) { round(id: $roundId) { indicators { liveSequence } } }`;
    const client = await api.as(demo.facilitator);
    const one = await countSql(() => client.data(PINNED, { roundId, indicatorId: fw.areas[0].indicators[0].id }));
    const all = await countSql(() => client.data(ALL, { roundId }));
    expect(all.result.round.indicators.length).toBeGreaterThan(1);
    expect(all.count).toBeLessThanOrEqual(one.count);
  });
});

describe('who may subscribe', () => {
  it('a stakeholder outside a round’s audience is refused with FORBIDDEN and the socket stays usable', async () => {
    const narrow = await openRound(facilitator, fw, { audience: { all: false, organizationIds: [], countries: ['HT'] } });
    const stakeholder = await api.as(demo.stakeholder);
    const refused = subscribe(api.graphqlUrl, stakeholder.cookie, ROUND_ACTIVITY, { roundId: narrow.id });
    const [result] = await refused.waitFor(1);
    expect(result.errors?.[0].extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'NOT_IN_AUDIENCE' });
    // The server closed nothing: only the client's own normal closure once it has no subscription left.
    expect(refused.closed?.code ?? 1000).toBe(1000);
    await refused.close();
  });

  it('without a session the socket is closed with 4401 Unauthorized; a signed-out session too', async () => {
    const anonymous = subscribe(api.graphqlUrl, '', ROUND_ACTIVITY, { roundId });
    expect((await anonymous.waitForClose()).code).toBe(4401);
    expect(anonymous.received.filter((r) => r.data)).toEqual([]);

    const signedOut = await api.as(demo.stakeholder);
    const cookie = signedOut.cookie;
    await signedOut.data('mutation { signOut }');
    const stale = subscribe(api.graphqlUrl, cookie, ROUND_ACTIVITY, { roundId });
    expect((await stale.waitForClose()).code).toBe(4401);
    expect(stale.received.filter((r) => r.data)).toEqual([]);
  });

  it('a page on another site cannot open a socket with the visitor’s cookie', async () => {
    const stakeholder = await api.as(demo.stakeholder);
    for (const origin of ['https://evil.example', 'null']) {
      const Socket = cookieSocket(stakeholder.cookie, { origin });
      const ws = new Socket(wsUrl(api.graphqlUrl), 'graphql-transport-ws');
      const status = await new Promise<number>((resolve) => ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0)).on('open', () => resolve(101)));
      expect(status).toBe(401);
    }
  });
});

describe('the graphql-transport-ws protocol', () => {
  it('acknowledges the connection, answers ping with pong, streams and completes a subscription', async () => {
    const Socket = cookieSocket(facilitator.cookie);
    const ws = new Socket(wsUrl(api.graphqlUrl), 'graphql-transport-ws');
    const inbox: any[] = [];
    ws.on('message', (m) => inbox.push(JSON.parse(String(m))));
    await new Promise((r) => ws.once('open', r));
    const next = async (type: string) => {
      const until = Date.now() + 3000;
      for (;;) {
        const i = inbox.findIndex((m) => m.type === type);
        if (i >= 0) return inbox.splice(i, 1)[0];
        if (Date.now() > until) throw new Error(`no ${type} in ${JSON.stringify(inbox)}`);
        await sleep(10);
      }
    };
    expect(ws.protocol).toBe('graphql-transport-ws');
    ws.send(JSON.stringify({ type: 'connection_init' }));
    expect(await next('connection_ack')).toEqual({ type: 'connection_ack' });
    ws.send(JSON.stringify({ type: 'ping', payload: { n: 1 } }));
    expect(await next('pong')).toEqual({ type: 'pong', payload: { n: 1 } });

    ws.send(JSON.stringify({ id: 'a', type: 'subscribe', payload: { query: ROUND_ACTIVITY, variables: { roundId } } }));
    await following(api, roundTopic(), 1);
    const c = await comment(stakeholderOnSecond, 'Por el protocolo.');
    expect(await next('next')).toMatchObject({ id: 'a', payload: { data: { roundActivity: { kind: 'COMMENT_ADDED', commentId: c.id } } } });
    ws.send(JSON.stringify({ id: 'a', type: 'complete' }));
    await following(api, roundTopic(), 0);
    // A second subscription on the same socket receives the next comment; the completed one does not.
    ws.send(JSON.stringify({ id: 'c', type: 'subscribe', payload: { query: ROUND_ACTIVITY, variables: { roundId } } }));
    await following(api, roundTopic(), 1);
    const after = await comment(stakeholderOnSecond, 'Después de completar: solo llega a la otra.');
    expect(await next('next')).toMatchObject({ id: 'c', payload: { data: { roundActivity: { commentId: after.id } } } });
    expect(inbox.filter((m) => m.type === 'next')).toEqual([]);
    ws.send(JSON.stringify({ id: 'c', type: 'complete' }));
    await following(api, roundTopic(), 0);

    // A query over the socket runs once and completes.
    ws.send(JSON.stringify({ id: 'b', type: 'subscribe', payload: { query: '{ __typename }' } }));
    expect(await next('next')).toEqual({ id: 'b', type: 'next', payload: { data: { __typename: 'Query' } } });
    expect(await next('complete')).toEqual({ id: 'b', type: 'complete' });
    ws.close(1000);
  });
});

// Last in this file: pruning deletes the older events of every topic.
describe('pruning the event log', () => {
  it('deletes the events older than the cut-off in every topic, keeps the rest, and sequences go on', async () => {
    const topic = topics.round(roundId);
    await comment(stakeholderOnSecond, 'Escrito antes del corte.');
    const em = api.db.orm.em.fork();
    const [{ cutoff }] = await em.execute<Array<{ cutoff: Date }>>('select clock_timestamp() as cutoff');
    const kept = await comment(stakeholderOnSecond, 'Escrito después del corte.');
    const [last] = (await liveRows(topic)).at(-1) as [number, string];

    expect(await pruneLiveEvents(em, new Date(cutoff))).toBeGreaterThan(0);
    expect(await liveRows(topic)).toEqual([[last, 'COMMENT_ADDED']]);
    const [{ n }] = await em.execute<Array<{ n: number }>>('select count(*)::int as n from live_event where at < ?', [cutoff]);
    expect(n).toBe(0);
    // A client coming back from further than the log reaches reads what is left.
    const { liveEventsSince } = await facilitator.data(SINCE, { topic, after: 0 });
    expect(liveEventsSince).toEqual([{ topic, sequence: last, kind: 'COMMENT_ADDED', commentId: kept.id }]);
    await comment(stakeholderOnSecond, 'Y el siguiente sigue la numeración.');
    expect((await liveRows(topic)).at(-1)).toEqual([last + 1, 'COMMENT_ADDED']);
  });
});
