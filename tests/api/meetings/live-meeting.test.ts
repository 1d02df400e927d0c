import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demo, startTestApi, type TestApi } from '../../support/api.js';
import type { GraphQLClient } from '../../support/client.js';
import { createFramework, openRound, propose, vote } from '../ballots/fixtures.js';
import { subscribe } from '../live/live-support.js';
import { addItem, schedule } from './fixtures.js';

const ACTIVITY = `subscription($meetingId: ID!, $afterSequence: Int) { meetingActivity(meetingId: $meetingId, afterSequence: $afterSequence) {
  event { kind sequence agendaItemId commentId } meeting { currentItem { id } speakingQueue { waiting { name } speaking { name } } } } }`;
const MOVE = `mutation($meetingId: ID!, $agendaItemId: ID) { setCurrentAgendaItem(meetingId: $meetingId, agendaItemId: $agendaItemId) { id currentItem { id } } }`;
const RAISE = `mutation($meetingId: ID!) { raiseHand(meetingId: $meetingId) { id speakingQueue { waiting { name } } } }`;
const NEXT = `mutation($meetingId: ID!) { callNextSpeaker(meetingId: $meetingId) { id speakingQueue { waiting { name } speaking { name } } } }`;
const QUICK = `mutation($agendaItemId: ID!, $minutes: Int!) { openQuickBallot(agendaItemId: $agendaItemId, minutes: $minutes) { id status secrecy questions { id } } }`;
const POINT = `mutation($input: RoomPointInput!) { recordRoomPoint(input: $input) { id author { name organizationName } } }`;

let api: TestApi;
let facilitator: GraphQLClient;
let stakeholder: GraphQLClient;
let member: GraphQLClient;

beforeAll(async () => {
  api = await startTestApi();
  [facilitator, stakeholder, member] = await Promise.all([api.as(demo.facilitator), api.as(demo.stakeholder), api.as(demo.member)]);
}, 60_000);
afterAll(() => api?.stop());

describe('live meeting mode', () => {
  it('participants follow the current item and the speaking queue live', async () => {
    const meeting = await schedule(facilitator, {}, 0);
    const [first, second] = [await addItem(facilitator, meeting.id), await addItem(facilitator, meeting.id)];
    const sub = subscribe(api.graphqlUrl, stakeholder.cookie, ACTIVITY, { meetingId: meeting.id, afterSequence: 0 });
    await facilitator.data(MOVE, { meetingId: meeting.id, agendaItemId: first.id });
    await facilitator.data(MOVE, { meetingId: meeting.id, agendaItemId: second.id });
    const moved = await sub.waitFor(2, 5000);
    expect(moved.map((r) => r.data.meetingActivity.event.agendaItemId)).toEqual([first.id, second.id]);
    expect(moved[1].data.meetingActivity.meeting.currentItem.id).toBe(second.id);

    await stakeholder.data(RAISE, { meetingId: meeting.id });
    await stakeholder.data(RAISE, { meetingId: meeting.id }); // once
    const raised = (await sub.waitFor(4, 5000))[3].data.meetingActivity;
    expect(raised.event.kind).toBe('SPEAKING_QUEUE_CHANGED');
    expect(raised.meeting.speakingQueue.waiting).toHaveLength(1);
    const called = (await facilitator.data(NEXT, { meetingId: meeting.id })).callNextSpeaker.speakingQueue;
    expect(called.waiting).toHaveLength(0);
    expect(called.speaking.name).toBe(raised.meeting.speakingQueue.waiting[0].name);
    await sub.close();
    // A participant cannot move the meeting.
    expect((await stakeholder.request(MOVE, { meetingId: meeting.id, agendaItemId: first.id })).errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });

  it('a quick ballot on the current item runs through the ballot engine, its tally open as votes arrive', async () => {
    const fw = await createFramework(api.db.orm, { slug: 'meeting-quick', areas: 1, perArea: 1 });
    const ind = fw.areas[0].indicators[0];
    const revision = await propose(facilitator, ind.id, ind.versionId);
    const meeting = await schedule(facilitator, {}, 0);
    const item = await addItem(facilitator, meeting.id, { linkKind: 'REVISION', indicatorVersionId: revision.id });
    expect((await facilitator.request(QUICK, { agendaItemId: item.id, minutes: 10 })).errors?.[0].extensions?.reason).toBe('NO_CURRENT_ITEM');
    await facilitator.data(MOVE, { meetingId: meeting.id, agendaItemId: item.id });
    const ballot = (await facilitator.data(QUICK, { agendaItemId: item.id, minutes: 10 })).openQuickBallot;
    expect(ballot.status).toBe('OPEN');
    expect(ballot.secrecy).toBe('OPEN');
    await vote(member, ballot.questions[0].id, 'APPROVE');
    const { meeting: m } = await stakeholder.data(`query($id: ID!) { meeting(id: $id) { currentItem { ballot { id questions { tally { approve } } } } } }`, { id: meeting.id });
    expect(m.currentItem.ballot.id).toBe(ballot.id);
    expect(m.currentItem.ballot.questions[0].tally.approve).toBe(1);
  });

  it('a point raised in the room becomes a comment on the item’s indicator, with the meeting as its source', async () => {
    const fw = await createFramework(api.db.orm, { slug: 'meeting-room', areas: 1, perArea: 1 });
    const round = await openRound(facilitator, fw);
    const meeting = await schedule(facilitator, {}, 0);
    const item = await addItem(facilitator, meeting.id, { linkKind: 'INDICATOR', roundId: round.id, indicatorVersionId: fw.versionIds[0] });
    const plain = await addItem(facilitator, meeting.id);
    await facilitator.data(MOVE, { meetingId: meeting.id, agendaItemId: plain.id });
    const refused = await facilitator.request(POINT, { input: { agendaItemId: plain.id, body: 'x', personName: 'Ana' } });
    expect(refused.errors?.[0].extensions?.reason, JSON.stringify(refused.errors)).toBe('ROOM_POINT_NEEDS_INDICATOR');
    await facilitator.data(MOVE, { meetingId: meeting.id, agendaItemId: item.id });
    const comment = (await facilitator.data(POINT, { input: { agendaItemId: item.id, body: 'El indicador debería contar también a las socias de grupos solidarios.', personName: 'Marta Díaz', organizationName: 'Cooperativa Andina' } })).recordRoomPoint;
    expect(comment.author).toEqual({ name: 'Marta Díaz', organizationName: 'Cooperativa Andina' });
    const [row] = await api.db.orm.em.fork().execute<{ kind: string; meeting_id: string }[]>('select kind, meeting_id from on_behalf_source where comment_id = ?', [comment.id]);
    expect(row).toEqual({ kind: 'MEETING', meeting_id: meeting.id });
    const { roundComments: comments } = await facilitator.data(`query($roundId: ID!) { roundComments(roundId: $roundId) { edges { node { id onBehalf { kind meetingId } } } } }`, { roundId: round.id });
    expect(comments.edges.find((e: { node: { id: string } }) => e.node.id === comment.id).node.onBehalf).toEqual({ kind: 'MEETING', meetingId: meeting.id });
  });
});
