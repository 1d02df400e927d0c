import type { GraphQLClient } from '../../support/client.js';

export const SCHEDULE = `mutation($input: ScheduleMeetingInput!) { scheduleMeeting(input: $input) { id capacity confirmedCount waitlistedCount calendarPath } }`;
export const REGISTER = `mutation($meetingId: ID!) { registerForMeeting(meetingId: $meetingId) { id status } }`;
export const CANCEL = `mutation($meetingId: ID!) { cancelMeetingRegistration(meetingId: $meetingId) { id confirmedCount waitlistedCount } }`;
export const ADD_ITEM = `mutation($input: AddAgendaItemInput!) { addAgendaItem(input: $input) { id position linkKind } }`;
export const ATTEND = `mutation($input: RecordAttendanceInput!) { recordAttendance(input: $input) { id organizationName country } }`;

const DAY = 86_400_000;

/** A meeting's input, `inDays` from now (negative: past), two hours long. */
export function meetingInput(overrides: Record<string, unknown> = {}, inDays = 30) {
  // Whole minutes: calendar files carry no milliseconds.
  const startsAt = new Date(Math.floor((Date.now() + inDays * DAY) / 60_000) * 60_000);
  return {
    title: { es: 'Llamada del grupo de trabajo', en: 'Working-group call' },
    kind: 'WORKING_GROUP_CALL',
    startsAt: startsAt.toISOString(),
    endsAt: new Date(startsAt.getTime() + 2 * 3_600_000).toISOString(),
    timeZone: 'America/Lima',
    place: 'Lima, COPEME',
    onlineUrl: 'https://meet.example.org/spwg',
    language: 'ES',
    audience: 'STAKEHOLDERS',
    capacity: null,
    ...overrides,
  };
}

/** Schedules a meeting as the facilitator given. */
export async function schedule(facilitator: GraphQLClient, overrides: Record<string, unknown> = {}, inDays = 30): Promise<{ id: string }> {
  return (await facilitator.data(SCHEDULE, { input: meetingInput(overrides, inDays) })).scheduleMeeting;
}

/** An agenda item with a title only. */
export async function addItem(facilitator: GraphQLClient, meetingId: string, extra: Record<string, unknown> = {}): Promise<{ id: string }> {
  return (await facilitator.data(ADD_ITEM, { input: { meetingId, title: { es: 'Punto', en: 'Item' }, timeBoxMinutes: 20, presenter: 'Facilitadora', ...extra } })).addAgendaItem;
}
