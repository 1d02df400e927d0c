/**
 * The meeting operations' rows of the authorization matrix (authorization/authorization-matrix.ts).
 * Each row schedules its own meeting as the facilitator; a public one where signed-out readers are allowed.
 */
import { Role, User } from '../../../api/src/users/user.entity.js';
import type { Caller, Fixtures, OperationRow } from '../authorization/operation-row.js';
import { callers } from '../authorization/operation-row.js';
import { createFramework, openRound, propose } from '../ballots/fixtures.js';
import { ATTEND, REGISTER, addItem, schedule } from './fixtures.js';

const MOVE = `mutation($meetingId: ID!, $agendaItemId: ID) { setCurrentAgendaItem(meetingId: $meetingId, agendaItemId: $agendaItemId) { id } }`;

/** A meeting on now whose current item is about `link` (a revision, or an indicator in an open round). */
async function liveItem(fx: Fixtures, link: 'REVISION' | 'INDICATOR') {
  const facilitator = await fx.setup('facilitator');
  const fw = await createFramework(fx.api.db.orm, { slug: `meeting-${fx.unique()}`, areas: 1, perArea: 1 });
  const indicator = fw.areas[0].indicators[0];
  const extra = link === 'REVISION' ? { linkKind: link, indicatorVersionId: (await propose(facilitator, indicator.id, indicator.versionId)).id } : { linkKind: link, roundId: (await openRound(facilitator, fw)).id, indicatorVersionId: indicator.versionId };
  const meeting = await schedule(facilitator, {}, 0);
  const item = await addItem(facilitator, meeting.id, extra);
  await facilitator.data(MOVE, { meetingId: meeting.id, agendaItemId: item.id });
  return item.id;
}

async function meetingWithItem(fx: Fixtures, audience = 'STAKEHOLDERS', inDays = 30) {
  const facilitator = await fx.setup('facilitator');
  const meeting = await schedule(facilitator, { audience }, inDays);
  return { facilitator, meetingId: meeting.id, agendaItemId: (await addItem(facilitator, meeting.id)).id };
}

export const meetingQueries: Record<string, OperationRow> = {
  meetings: { minimum: 'public', rule: 'lists only the meetings the viewer may see (signed out: the public ones)', document: `{ meetings { id } }` },
  meeting: {
    minimum: 'public',
    rule: 'a public meeting for anyone; others for their audience (NOT_FOUND otherwise, tested in meetings/meetings.test.ts)',
    document: `query($id: ID!) { meeting(id: $id) { id agenda { id } attendance { total } } }`,
    variables: async (fx) => ({ id: (await schedule(await fx.setup('facilitator'), { audience: 'PUBLIC' })).id }),
  },
  myCalendarFeedPath: { minimum: 'signedIn', document: `{ myCalendarFeedPath }` },
};

export const meetingMutations: Record<string, OperationRow> = {
  scheduleMeeting: {
    minimum: Role.FACILITATOR,
    document: `mutation($input: ScheduleMeetingInput!) { scheduleMeeting(input: $input) { id } }`,
    variables: () => ({ input: { title: { es: 'Reunión' }, kind: 'WORKSHOP', startsAt: new Date(Date.now() + 86_400_000).toISOString(), endsAt: new Date(Date.now() + 90_000_000).toISOString(), timeZone: 'America/Lima', place: 'Lima', language: 'ES', audience: 'STAKEHOLDERS' } }),
  },
  registerForMeeting: {
    minimum: 'signedIn',
    unaudited: 'a person’s own registration, kept with its times in meeting_registration',
    document: `mutation($meetingId: ID!) { registerForMeeting(meetingId: $meetingId) { id status } }`,
    variables: async (fx) => ({ meetingId: (await schedule(await fx.setup('facilitator'))).id }),
  },
  cancelMeetingRegistration: {
    minimum: 'signedIn',
    rule: 'one’s own registration (CONFLICT NOT_REGISTERED without one)',
    unaudited: 'a person’s own registration, kept with its cancellation time in meeting_registration',
    document: `mutation($meetingId: ID!) { cancelMeetingRegistration(meetingId: $meetingId) { id } }`,
    variables: async (fx, caller: Caller) => {
      const meetingId = (await schedule(await fx.setup('facilitator'))).id;
      if (caller !== 'anonymous') await (await fx.setup(caller)).data(REGISTER, { meetingId });
      return { meetingId };
    },
  },
  recordAttendance: {
    minimum: Role.FACILITATOR,
    document: `mutation($input: RecordAttendanceInput!) { recordAttendance(input: $input) { id } }`,
    variables: async (fx) => ({ input: { meetingId: (await meetingWithItem(fx)).meetingId, personName: 'Rosa Quispe', organizationName: 'COPEME', country: 'PE' } }),
  },
  addAgendaItem: {
    minimum: Role.FACILITATOR,
    document: `mutation($input: AddAgendaItemInput!) { addAgendaItem(input: $input) { id } }`,
    variables: async (fx) => ({ input: { meetingId: (await meetingWithItem(fx)).meetingId, title: { es: 'Punto' } } }),
  },
  moveAgendaItem: {
    minimum: Role.FACILITATOR,
    document: `mutation($agendaItemId: ID!, $direction: AgendaMove!) { moveAgendaItem(agendaItemId: $agendaItemId, direction: $direction) { id } }`,
    variables: async (fx) => {
      const { facilitator, meetingId } = await meetingWithItem(fx);
      return { agendaItemId: (await addItem(facilitator, meetingId)).id, direction: 'UP' };
    },
  },
  saveItemMinutes: {
    minimum: Role.FACILITATOR,
    document: `mutation($agendaItemId: ID!, $minutes: String!) { saveItemMinutes(agendaItemId: $agendaItemId, minutes: $minutes) { id } }`,
    variables: async (fx) => ({ agendaItemId: (await meetingWithItem(fx)).agendaItemId, minutes: 'Acta del punto.' }),
  },
  recordDecision: {
    minimum: Role.FACILITATOR,
    document: `mutation($input: RecordDecisionInput!) { recordDecision(input: $input) { id } }`,
    variables: async (fx) => ({ input: { agendaItemId: (await meetingWithItem(fx)).agendaItemId, text: 'Se aprueba.' } }),
  },
  addActionItem: {
    minimum: Role.FACILITATOR,
    document: `mutation($input: AddActionItemInput!) { addActionItem(input: $input) { id } }`,
    variables: async (fx) => ({ input: { agendaItemId: (await meetingWithItem(fx)).agendaItemId, description: 'Enviar', responsiblePerson: 'Ana', dueOn: '2030-01-01' } }),
  },
  markActionItem: {
    minimum: Role.FACILITATOR,
    document: `mutation($id: ID!, $done: Boolean!) { markActionItem(id: $id, done: $done) { id } }`,
    variables: async (fx) => {
      const { facilitator, agendaItemId } = await meetingWithItem(fx);
      const { addActionItem } = await facilitator.data(`mutation($input: AddActionItemInput!) { addActionItem(input: $input) { id } }`, { input: { agendaItemId, description: 'Enviar', responsiblePerson: 'Ana', dueOn: '2030-01-01' } });
      return { id: addActionItem.id, done: true };
    },
  },
  signOffMinutes: {
    minimum: Role.MEMBER,
    rule: 'the working-group members recorded present (FORBIDDEN NOT_PRESENT otherwise, tested in meetings/meetings.test.ts)',
    document: `mutation($meetingId: ID!) { signOffMinutes(meetingId: $meetingId) { id } }`,
    variables: async (fx, caller: Caller) => {
      const { facilitator, meetingId } = await meetingWithItem(fx, 'STAKEHOLDERS', -1);
      if (caller !== 'anonymous') await facilitator.data(ATTEND, { input: { meetingId, userId: await fx.id(User, { email: callers[caller].email }) } });
      return { meetingId };
    },
  },
  setCurrentAgendaItem: {
    minimum: Role.FACILITATOR,
    document: MOVE,
    variables: async (fx) => {
      const { meetingId, agendaItemId } = await meetingWithItem(fx, 'STAKEHOLDERS', 0);
      return { meetingId, agendaItemId };
    },
  },
  raiseHand: {
    minimum: 'signedIn',
    rule: 'whoever may see the meeting',
    unaudited: 'a hand in the speaking queue, kept with its time in speaking_hand',
    document: `mutation($meetingId: ID!) { raiseHand(meetingId: $meetingId) { id } }`,
    variables: async (fx) => ({ meetingId: (await meetingWithItem(fx, 'STAKEHOLDERS', 0)).meetingId }),
  },
  lowerHand: {
    minimum: 'signedIn',
    rule: 'one’s own hand',
    unaudited: 'a hand in the speaking queue, kept with its time in speaking_hand',
    document: `mutation($meetingId: ID!) { lowerHand(meetingId: $meetingId) { id } }`,
    variables: async (fx) => ({ meetingId: (await meetingWithItem(fx, 'STAKEHOLDERS', 0)).meetingId }),
  },
  callNextSpeaker: {
    minimum: Role.FACILITATOR,
    unaudited: 'the floor given, kept with its time in speaking_hand',
    document: `mutation($meetingId: ID!) { callNextSpeaker(meetingId: $meetingId) { id } }`,
    variables: async (fx) => ({ meetingId: (await meetingWithItem(fx, 'STAKEHOLDERS', 0)).meetingId }),
  },
  openQuickBallot: {
    minimum: Role.FACILITATOR,
    rule: 'on the current item, about a revision (CONFLICT NO_CURRENT_ITEM / QUICK_BALLOT_NEEDS_REVISION, tested in meetings/live-meeting.test.ts)',
    document: `mutation($agendaItemId: ID!, $minutes: Int!) { openQuickBallot(agendaItemId: $agendaItemId, minutes: $minutes) { id } }`,
    variables: async (fx) => ({ agendaItemId: await liveItem(fx, 'REVISION'), minutes: 10 }),
  },
  recordRoomPoint: {
    minimum: Role.FACILITATOR,
    rule: 'on the current item, about an indicator in an open round',
    document: `mutation($input: RoomPointInput!) { recordRoomPoint(input: $input) { id } }`,
    variables: async (fx) => ({ input: { agendaItemId: await liveItem(fx, 'INDICATOR'), body: 'Un punto de la sala.', personName: 'Marta Díaz' } }),
  },
};
