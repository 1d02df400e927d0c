import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topics } from '../../../api/src/live/live-event.js';
import { demo, startTestApi, type TestApi } from '../../support/api.js';
import type { GraphQLClient } from '../../support/client.js';
import { countSql } from '../../support/sql-counter.js';
import { ROUND_ACTIVITY, subscribe } from '../live/live-support.js';
import { workingGroupRound, type WorkingGroupRound } from './working-group-round.js';

/**
 * A round for the working group (or for chosen organizations or countries) is read only by that
 * audience and facilitators, whichever way one comes: GraphQL over HTTP, the WebSocket, the export
 * downloads, search and ballots. Outside it the answer is FORBIDDEN `NOT_IN_AUDIENCE`.
 */
let api: TestApi;
let wg: WorkingGroupRound;
/** An MFI in Peru: outside the working group. */
let outsider: GraphQLClient;
/** RFR's member: inside it. */
let insider: GraphQLClient;
let facilitator: GraphQLClient;

beforeAll(async () => {
  api = await startTestApi();
  wg = await workingGroupRound(api);
  [outsider, insider, facilitator] = await Promise.all([api.as(demo.stakeholder), api.as(demo.member2), api.as(demo.facilitator)]);
});
afterAll(() => api?.stop());

const NOT_IN_AUDIENCE = { code: 'FORBIDDEN', extensions: { reason: 'NOT_IN_AUDIENCE' } };

const ROUND_PAGE = `query($id: ID!) { round(id: $id) { id title { value } viewerMayTakePart myProgress { commentedCount }
  indicators { id commentCount indicator { id code title { value } section { id code } } } } }`;
/** The web's indicator page inside a round: the pinned version and its comments. */
const INDICATOR_PAGE = `query($id: ID!, $indicatorId: ID!) {
  round(id: $id) { id indicator(indicatorId: $indicatorId) { id commentCount indicatorVersion { id fields { field text { value } } } } }
  roundComments(roundId: $id, filter: { indicatorIds: [$indicatorId] }, first: 20) { totalCount edges { node { id body author { name } } } } }`;
const COMMENTS = `query($roundId: ID!) { roundComments(roundId: $roundId, first: 5) { totalCount edges { node { id } } } }`;
const COMMENT = `query($id: ID!) { comment(id: $id) { id body round { id } } }`;
const PROGRESS = `query($roundId: ID!) { myRoundProgress(roundId: $roundId) { indicatorCount } }`;
const ROUNDS = `{ rounds { id } }`;
const SEQUENCE = `query($topic: String!) { liveSequence(topic: $topic) }`;
const SINCE = `query($topic: String!) { liveEventsSince(topic: $topic, afterSequence: 0) { sequence kind commentId } }`;

describe('over HTTP', () => {
  it('the round, its indicator page, its comments, a comment and one’s progress: refused outside the audience, answered inside it', async () => {
    const reads = [
      [ROUND_PAGE, { id: wg.roundId }],
      [INDICATOR_PAGE, { id: wg.roundId, indicatorId: wg.indicatorId }],
      [COMMENTS, { roundId: wg.roundId }],
      [COMMENT, { id: wg.commentId }],
      [PROGRESS, { roundId: wg.roundId }],
    ] as const;
    for (const [query, variables] of reads) {
      const refused = await outsider.request(query, variables);
      expect(refused.errors?.[0], query).toMatchObject({ extensions: NOT_IN_AUDIENCE.extensions });
      expect(refused.errors?.[0].extensions?.code).toBe('FORBIDDEN');
      expect(Object.values(refused.data ?? {}).filter(Boolean), 'nothing of the round is answered').toEqual([]);
      for (const reader of [insider, facilitator]) expect((await reader.request(query, variables)).errors, query).toBeUndefined();
    }
    const { roundComments } = await insider.data(INDICATOR_PAGE, { id: wg.roundId, indicatorId: wg.indicatorId });
    expect(roundComments.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual([wg.commentId]);
  });

  it('the list of rounds leaves out the rounds the viewer may not read', async () => {
    const ids = async (client: GraphQLClient) => (await client.data(ROUNDS)).rounds.map((r: { id: string }) => r.id);
    const [outside, inside, all] = await Promise.all([ids(outsider), ids(insider), ids(facilitator)]);
    expect(all).toContain(wg.roundId);
    expect(inside).toEqual(all);
    expect(outside).toEqual(all.filter((id: string) => id !== wg.roundId));
    expect(outside.length).toBeGreaterThan(0);
  });

  it('a round for chosen countries is read by the organizations of those countries', async () => {
    const { createRound } = await facilitator.data(`mutation($input: CreateRoundInput!) { createRound(input: $input) { id } }`, {
      input: {
        frameworkId: (await facilitator.data(`{ framework(slug: "spwg-lac-certification") { id } }`)).framework.id,
        title: { es: 'Ronda para Ecuador' },
        opensAt: new Date(Date.now() - 60_000).toISOString(),
        closesAt: new Date(Date.now() + 86_400_000).toISOString(),
        audience: { all: false, organizationIds: [], countries: ['EC'] },
      },
    });
    const ecuadorianMfi = await api.as('horizonte@consulta.demo');
    expect((await ecuadorianMfi.data(ROUND_PAGE, { id: createRound.id })).round.viewerMayTakePart).toBe(true);
    expect(await outsider.error(ROUND_PAGE, { id: createRound.id })).toMatchObject(NOT_IN_AUDIENCE);
  });

  it('the audience check sends no SQL of its own: the round page costs a member what it costs for a round open to all', async () => {
    const open = (await insider.data(ROUNDS)).rounds.find((r: { id: string }) => r.id !== wg.roundId).id;
    // Each round's tree is read once, then kept: count the requests after that.
    await insider.data(ROUND_PAGE, { id: open });
    await insider.data(ROUND_PAGE, { id: wg.roundId });
    const forAll = await countSql(() => insider.data(ROUND_PAGE, { id: open }));
    const forTheGroup = await countSql(() => insider.data(ROUND_PAGE, { id: wg.roundId }));
    expect(forTheGroup.count).toBe(forAll.count);
  });
});

describe('over the WebSocket', () => {
  it('following the round live: refused outside the audience; inside, a new comment arrives', async () => {
    const refused = subscribe(api.graphqlUrl, outsider.cookie, ROUND_ACTIVITY, { roundId: wg.roundId });
    const [refusal] = await refused.waitFor(1);
    expect(refusal.errors?.[0].extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'NOT_IN_AUDIENCE' });
    await refused.close();
    // Catching up over HTTP follows the same rule.
    expect(await outsider.error(SEQUENCE, { topic: topics.round(wg.roundId) })).toMatchObject(NOT_IN_AUDIENCE);
    expect(await outsider.error(SINCE, { topic: topics.indicator(wg.roundId, wg.versionId) })).toMatchObject(NOT_IN_AUDIENCE);

    // From the sequence the page loaded at: an event is replayed if it came before the socket was ready.
    const { liveSequence } = await insider.data(SEQUENCE, { topic: topics.round(wg.roundId) });
    const following = subscribe(api.graphqlUrl, insider.cookie, ROUND_ACTIVITY, { roundId: wg.roundId, afterSequence: liveSequence });
    const { addComment } = await insider.data(`mutation($input: AddCommentInput!) { addComment(input: $input) { id } }`, {
      input: { roundId: wg.roundId, targetKind: 'INDICATOR_VERSION', targetId: wg.versionId, type: 'GENERAL', body: 'RFR está de acuerdo.' },
    });
    const [event] = await following.waitFor(1);
    expect(event.data?.roundActivity).toMatchObject({ kind: 'COMMENT_ADDED', commentId: addComment.id });
    await following.close();
  });
});

describe('exports', () => {
  const download = async (client: GraphQLClient, roundId: string) => {
    const res = await fetch(`${api.url}/exports/rounds/${roundId}?format=csv`, { headers: { cookie: client.cookie } });
    return { status: res.status, body: await res.text() };
  };

  it('the download: refused outside the audience before anything else; inside, still for facilitators only', async () => {
    const refused = await download(outsider, wg.roundId);
    expect(refused.status).toBe(403);
    expect(JSON.parse(refused.body)).toMatchObject({ code: 'FORBIDDEN', reason: 'NOT_IN_AUDIENCE' });
    const member = await download(insider, wg.roundId);
    expect(member.status).toBe(403);
    expect(JSON.parse(member.body)).toMatchObject({ code: 'FORBIDDEN', reason: 'ROLE_REQUIRED' });
    const facilitatorCsv = await download(facilitator, wg.roundId);
    expect(facilitatorCsv.status).toBe(200);
    expect(facilitatorCsv.body).toContain('falta la fuente del dato');
  });

  it('the published disposition summary, the stakeholders’ export: refused outside the audience, read inside it', async () => {
    const networks = (await facilitator.data(`{ round(id: "${wg.roundId}") { audience { organizationIds } } }`)).round.audience.organizationIds;
    const create = await facilitator.data(`mutation($input: CreateRoundInput!) { createRound(input: $input) { id indicators { indicatorVersion { id } } } }`, {
      input: {
        frameworkId: (await facilitator.data(`{ framework(slug: "spwg-lac-certification") { id } }`)).framework.id,
        title: { es: 'Ronda cerrada del grupo de trabajo' },
        opensAt: new Date(Date.now() - 60_000).toISOString(),
        closesAt: new Date(Date.now() + 86_400_000).toISOString(),
        audience: { all: false, organizationIds: networks, countries: [] },
      },
    });
    const roundId = create.createRound.id;
    const { addComment } = await insider.data(`mutation($input: AddCommentInput!) { addComment(input: $input) { id } }`, {
      input: { roundId, targetKind: 'INDICATOR_VERSION', targetId: create.createRound.indicators[0].indicatorVersion.id, type: 'EDITORIAL', body: 'Una coma de más.' },
    });
    await facilitator.data(`mutation($id: ID!) { closeRoundNow(id: $id) { id } }`, { id: roundId });
    await facilitator.data(`mutation($input: DispositionInput!) { setDispositions(input: $input) { id } }`, { input: { commentIds: [addComment.id], status: 'ACCEPTED', response: 'Corregido.' } });
    await facilitator.data(`mutation($id: ID!) { resolveRound(id: $id) { id } }`, { id: roundId });
    await facilitator.data(`mutation($roundId: ID!) { publishRoundSummary(roundId: $roundId) { id } }`, { roundId });

    const SUMMARY = `query($roundId: ID!) { roundDispositionSummary(roundId: $roundId) { total } }`;
    expect(await outsider.error(SUMMARY, { roundId })).toMatchObject(NOT_IN_AUDIENCE);
    expect((await insider.data(SUMMARY, { roundId })).roundDispositionSummary.total).toBe(1);
  });
});

describe('search and ballots', () => {
  it('a revision answering the round’s comments shows them only to those who may read the round, found by search or on its ballot', async () => {
    const { indicator } = await facilitator.data(`query($id: ID!) { indicator(id: $id) { code currentVersion { id } } }`, { id: wg.indicatorId });
    const { proposeRevision } = await facilitator.data(`mutation($input: ProposeRevisionInput!) { proposeRevision(input: $input) { id } }`, {
      input: {
        indicatorId: wg.indicatorId,
        basedOnVersionId: indicator.currentVersion.id,
        texts: { dataSource: { es: 'SIG de la institución; fuente declarada en cada reporte.' } },
        changeSummary: 'Se declara la fuente del dato, como pidió el grupo de trabajo.',
        answersCommentIds: [wg.commentId],
      },
    });

    const SEARCH = `query($query: String!) { searchIndicators(query: $query, language: ES, frameworkSlug: "spwg-lac-certification") {
      indicator { code versions { id answersComments { id body round { id } } } } } }`;
    const answered = async (client: GraphQLClient) => {
      const { searchIndicators } = await client.data(SEARCH, { query: indicator.code });
      const hit = searchIndicators.find((h: { indicator: { code: string } }) => h.indicator.code === indicator.code);
      return hit.indicator.versions.find((v: { id: string }) => v.id === proposeRevision.id).answersComments.map((c: { id: string }) => c.id);
    };
    expect(await answered(outsider)).toEqual([]);
    expect(await answered(insider)).toEqual([wg.commentId]);

    const { createBallot } = await facilitator.data(`mutation($input: CreateBallotInput!) { createBallot(input: $input) { id } }`, {
      input: {
        title: { es: 'Votación de la fuente del dato' },
        revisionIds: [proposeRevision.id],
        eligibility: 'MEMBERS',
        opensAt: new Date(Date.now() - 60_000).toISOString(),
        closesAt: new Date(Date.now() + 86_400_000).toISOString(),
        quorum: { numerator: 1, denominator: 2 },
        rule: 'SIMPLE_MAJORITY',
        secrecy: 'OPEN',
      },
    });
    await facilitator.data(`mutation($id: ID!) { openBallot(id: $id) { id } }`, { id: createBallot.id });
    const BALLOT = `query($id: ID!) { ballot(id: $id) { questions { revision { answersComments { id } } } } }`;
    const onBallot = async (client: GraphQLClient) => (await client.data(BALLOT, { id: createBallot.id })).ballot.questions[0].revision.answersComments;
    expect(await onBallot(outsider)).toEqual([]);
    expect(await onBallot(insider)).toEqual([{ id: wg.commentId }]);
  });
});
