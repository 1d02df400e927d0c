import ICAL from 'ical.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isOverdue } from '../../../api/src/meetings/minutes.service.js';
import { demo, startTestApi, type TestApi } from '../../support/api.js';
import type { GraphQLClient } from '../../support/client.js';
import { addMembers } from '../ballots/fixtures.js';
import { ATTEND, CANCEL, REGISTER, addItem, schedule } from './fixtures.js';

const MEETING = `query($id: ID!) { meeting(id: $id) { id confirmedCount waitlistedCount minutesApprovedAt minutesPdfPath signOffCount membersPresent myRegistration { status }
  registrations { name status } attendance { total byOrganization { label count } byCountry { label count } }
  agenda { id position minutes } decisions { text ballotId } actionItems { id description dueOn overdue doneAt responsibleOrganization { acronym } } } }`;
const MINUTES = `mutation($agendaItemId: ID!, $minutes: String!) { saveItemMinutes(agendaItemId: $agendaItemId, minutes: $minutes) { id minutes } }`;
const DECIDE = `mutation($input: RecordDecisionInput!) { recordDecision(input: $input) { id text } }`;
const ACTION = `mutation($input: AddActionItemInput!) { addActionItem(input: $input) { id overdue } }`;
const MARK = `mutation($id: ID!, $done: Boolean!) { markActionItem(id: $id, done: $done) { id doneAt overdue } }`;
const SIGN = `mutation($meetingId: ID!) { signOffMinutes(meetingId: $meetingId) { id minutesApprovedAt } }`;
const FEED = `{ myCalendarFeedPath }`;
const MOVE = `mutation($agendaItemId: ID!, $direction: AgendaMove!) { moveAgendaItem(agendaItemId: $agendaItemId, direction: $direction) { id agenda { id position } } }`;

let api: TestApi;
let facilitator: GraphQLClient;
let member: GraphQLClient;
let people: GraphQLClient[];
const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

beforeAll(async () => {
  api = await startTestApi();
  [facilitator, member] = await Promise.all([api.as(demo.facilitator), api.as(demo.member)]);
  people = await addMembers(api, 12, 'COPEME', 'asistente');
}, 120_000);
afterAll(() => api?.stop());

describe('registration', () => {
  it('twelve people registering at once for five places: five confirmed, seven waiting, never more', async () => {
    const meeting = await schedule(facilitator, { capacity: 5 });
    const results = await Promise.all(people.map((p) => p.data(REGISTER, { meetingId: meeting.id })));
    const statuses = results.map((r) => r.registerForMeeting.status);
    expect(statuses.filter((s) => s === 'CONFIRMED')).toHaveLength(5);
    expect(statuses.filter((s) => s === 'WAITLISTED')).toHaveLength(7);
    const { meeting: m } = await facilitator.data(MEETING, { id: meeting.id });
    expect([m.confirmedCount, m.waitlistedCount]).toEqual([5, 7]);
    expect(m.registrations.filter((r: { status: string }) => r.status === 'CONFIRMED')).toHaveLength(5);
    // Registering again keeps the one registration.
    expect((await people[0].data(REGISTER, { meetingId: meeting.id })).registerForMeeting.id).toBe(results[0].registerForMeeting.id);
    const [{ n }] = await api.db.orm.em.fork().execute<{ n: number }[]>(`select count(*)::int as n from meeting_registration where meeting_id = ? and status = 'CONFIRMED'`, [meeting.id]);
    expect(n).toBe(5);
  });

  it('a cancellation gives the freed place to the first on the waiting list', async () => {
    const meeting = await schedule(facilitator, { capacity: 2 });
    for (const p of people.slice(0, 4)) await p.data(REGISTER, { meetingId: meeting.id });
    const cancelled = (await people[0].data(CANCEL, { meetingId: meeting.id })).cancelMeetingRegistration;
    expect([cancelled.confirmedCount, cancelled.waitlistedCount]).toEqual([2, 1]);
    expect((await people[2].data(MEETING, { id: meeting.id })).meeting.myRegistration.status).toBe('CONFIRMED');
    expect((await people[3].data(MEETING, { id: meeting.id })).meeting.myRegistration.status).toBe('WAITLISTED');
    expect((await people[0].data(MEETING, { id: meeting.id })).meeting.myRegistration).toBeNull();
    expect((await people[0].request(CANCEL, { meetingId: meeting.id })).errors?.[0].extensions?.reason).toBe('NOT_REGISTERED');
  });

  it('cancellations and registrations racing keep the counts true', async () => {
    const meeting = await schedule(facilitator, { capacity: 3 });
    for (const p of people.slice(0, 6)) await p.data(REGISTER, { meetingId: meeting.id });
    await Promise.all([...people.slice(0, 3).map((p) => p.data(CANCEL, { meetingId: meeting.id })), ...people.slice(6).map((p) => p.data(REGISTER, { meetingId: meeting.id }))]);
    const [row] = await api.db.orm.em.fork().execute<{ confirmed: number; waiting: number; cc: number; wc: number }[]>(
      `select count(*) filter (where r.status = 'CONFIRMED')::int as confirmed, count(*) filter (where r.status = 'WAITLISTED')::int as waiting, m.confirmed_count as cc, m.waitlisted_count as wc
       from meeting m join meeting_registration r on r.meeting_id = m.id where m.id = ? group by m.id`,
      [meeting.id],
    );
    expect(row.confirmed).toBe(3);
    expect(row.waiting).toBe(6);
    expect([row.cc, row.wc]).toEqual([3, 6]);
  });
});

describe('attendance', () => {
  it('counts the people present per organization and per country', async () => {
    const meeting = await schedule(facilitator, {}, -1);
    const users = (await facilitator.data(`{ peoplePage(first: 200) { nodes { id email } } }`)).peoplePage.nodes;
    const idOf = (email: string) => users.find((u: { email: string }) => u.email === email).id;
    const first = (await facilitator.data(ATTEND, { input: { meetingId: meeting.id, userId: idOf(demo.member) } })).recordAttendance;
    await facilitator.data(ATTEND, { input: { meetingId: meeting.id, userId: idOf(demo.member2) } });
    await facilitator.data(ATTEND, { input: { meetingId: meeting.id, userId: idOf(demo.member3) } });
    // Someone without an account, of the first member's organization.
    await facilitator.data(ATTEND, { input: { meetingId: meeting.id, personName: 'Rosa Quispe', organizationName: first.organizationName, country: first.country.toLowerCase() } });
    // The same person twice is one record.
    await facilitator.data(ATTEND, { input: { meetingId: meeting.id, userId: idOf(demo.member) } });
    const { attendance } = (await facilitator.data(MEETING, { id: meeting.id })).meeting;
    expect(attendance.total).toBe(4);
    const byCountry = Object.fromEntries(attendance.byCountry.map((c: { label: string; count: number }) => [c.label, c.count]));
    expect(byCountry[first.country]).toBeGreaterThanOrEqual(2);
    expect(Object.values(byCountry).reduce((a, b) => (a as number) + (b as number), 0)).toBe(4);
    expect(attendance.byOrganization[0]).toEqual({ label: first.organizationName, count: 2 });
    const incomplete = await facilitator.request(ATTEND, { input: { meetingId: meeting.id, personName: 'Sin organización' } });
    expect(incomplete.errors?.[0].extensions?.reason).toBe('ATTENDANCE_INCOMPLETE');
  });
});

describe('agenda order', () => {
  const order = async (meetingId: string) => (await facilitator.data(MEETING, { id: meetingId })).meeting.agenda.map((i: { id: string; position: number }) => [i.id, i.position]);

  it('a facilitator moves an item up or down, swapping places with its neighbour; at the top nothing moves; each move is audited; a member is refused and nothing moves', async () => {
    const meeting = await schedule(facilitator);
    const [a, b, c] = [await addItem(facilitator, meeting.id), await addItem(facilitator, meeting.id), await addItem(facilitator, meeting.id)];
    const moved = (await facilitator.data(MOVE, { agendaItemId: c.id, direction: 'UP' })).moveAgendaItem;
    expect(moved.agenda).toEqual([{ id: a.id, position: 1 }, { id: c.id, position: 2 }, { id: b.id, position: 3 }]);
    await facilitator.data(MOVE, { agendaItemId: a.id, direction: 'UP' });
    await facilitator.data(MOVE, { agendaItemId: a.id, direction: 'DOWN' });
    expect(await order(meeting.id)).toEqual([[c.id, 1], [a.id, 2], [b.id, 3]]);
    const audited = await api.db.orm.em.fork().execute<{ data: { moved: string; from: number; to: number } }[]>(
      `select data from audit_entry where action = 'meeting.agenda_changed' and subject_id = ? and data->>'moved' is not null order by id`,
      [meeting.id],
    );
    expect(audited.map((e) => [e.data.moved, e.data.from, e.data.to])).toEqual([[c.id, 3, 2], [a.id, 1, 2]]);
    const refused = await member.request(MOVE, { agendaItemId: b.id, direction: 'UP' });
    expect(refused.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(await order(meeting.id)).toEqual([[c.id, 1], [a.id, 2], [b.id, 3]]);
  });

  it('twenty moves and two additions at once leave every item in one place, 1 to n, none lost', async () => {
    const meeting = await schedule(facilitator);
    const items: { id: string }[] = [];
    for (let i = 0; i < 6; i++) items.push(await addItem(facilitator, meeting.id));
    const moves = Array.from({ length: 20 }, (_, i) => facilitator.request(MOVE, { agendaItemId: items[(i * 5) % 6].id, direction: i % 3 ? 'UP' : 'DOWN' }));
    const [results] = await Promise.all([Promise.all(moves), addItem(facilitator, meeting.id), addItem(facilitator, meeting.id)]);
    expect(results.flatMap((r) => r.errors ?? [])).toEqual([]);
    const after = await order(meeting.id);
    expect(after.map(([, position]: [string, number]) => position)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(new Set(after.map(([id]: [string, number]) => id)).size).toBe(8);
    expect(after.map(([id]: [string, number]) => id)).toEqual(expect.arrayContaining(items.map((i) => i.id)));
  });
});

describe('minutes', () => {
  it('are immutable once the members present have signed them off: the service and the database refuse changes; an action item may still be marked done', async () => {
    const meeting = await schedule(facilitator, {}, -1);
    const item = await addItem(facilitator, meeting.id);
    await facilitator.data(MINUTES, { agendaItemId: item.id, minutes: 'Se revisó el indicador GEN-01.' });
    await facilitator.data(DECIDE, { input: { agendaItemId: item.id, text: 'Se aprueba la redacción.' } });
    const { addActionItem: action } = await facilitator.data(ACTION, { input: { agendaItemId: item.id, description: 'Enviar la versión final', responsiblePerson: 'Ana', dueOn: day(10) } });
    const users = (await facilitator.data(`{ peoplePage(first: 200) { nodes { id email } } }`)).peoplePage.nodes;
    await facilitator.data(ATTEND, { input: { meetingId: meeting.id, userId: users.find((u: { email: string }) => u.email === demo.member).id } });

    // Someone not present cannot sign.
    const outsider = await api.as(demo.member2);
    expect((await outsider.request(SIGN, { meetingId: meeting.id })).errors?.[0].extensions?.reason).toBe('NOT_PRESENT');
    const signed = (await member.data(SIGN, { meetingId: meeting.id })).signOffMinutes;
    expect(signed.minutesApprovedAt).not.toBeNull();

    expect((await facilitator.request(MINUTES, { agendaItemId: item.id, minutes: 'Otro texto' })).errors?.[0].extensions?.reason).toBe('MINUTES_APPROVED');
    expect((await facilitator.request(DECIDE, { input: { agendaItemId: item.id, text: 'Otra' } })).errors?.[0].extensions?.reason).toBe('MINUTES_APPROVED');
    expect((await facilitator.request(`mutation($input: AddAgendaItemInput!) { addAgendaItem(input: $input) { id } }`, { input: { meetingId: meeting.id, title: { es: 'Más' } } })).errors?.[0].extensions?.reason).toBe('MINUTES_APPROVED');
    expect((await facilitator.request(MOVE, { agendaItemId: item.id, direction: 'DOWN' })).errors?.[0].extensions?.reason).toBe('MINUTES_APPROVED');

    const conn = api.db.orm.em.fork().getConnection();
    await expect(conn.execute(`update agenda_item set minutes = 'cambiado' where id = ?`, [item.id])).rejects.toThrow(/immutable/);
    await expect(conn.execute(`delete from meeting_decision where meeting_id = ?`, [meeting.id])).rejects.toThrow(/immutable/);
    await expect(conn.execute(`update action_item set due_on = '2030-01-01' where id = ?`, [action.id])).rejects.toThrow(/immutable/);
    await expect(conn.execute(`update meeting set minutes_approved_at = null where id = ?`, [meeting.id])).rejects.toThrow(/immutable/);

    const marked = (await facilitator.data(MARK, { id: action.id, done: true })).markActionItem;
    expect(marked.doneAt).not.toBeNull();
    const m = (await facilitator.data(MEETING, { id: meeting.id })).meeting;
    expect(m.agenda[0].minutes).toBe('Se revisó el indicador GEN-01.');
    expect(m.decisions).toHaveLength(1);

    const pdf = await fetch(`${api.url}${m.minutesPdfPath}`, { headers: { cookie: facilitator.cookie } });
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(Buffer.from(await pdf.arrayBuffer()).subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('action items are overdue by the clock when read, past their due date and not done', async () => {
    const meeting = await schedule(facilitator, {}, -3);
    const item = await addItem(facilitator, meeting.id);
    const late = (await facilitator.data(ACTION, { input: { agendaItemId: item.id, description: 'Tarde', responsiblePerson: 'Luis', dueOn: day(-1) } })).addActionItem;
    const today = (await facilitator.data(ACTION, { input: { agendaItemId: item.id, description: 'Hoy', responsiblePerson: 'Luis', dueOn: day(0) } })).addActionItem;
    expect(late.overdue).toBe(true);
    expect(today.overdue).toBe(false);
    expect((await facilitator.data(MARK, { id: late.id, done: true })).markActionItem.overdue).toBe(false);
    // Nothing stores "overdue": the same row is overdue or not by the clock it is read against.
    expect(isOverdue({ dueOn: day(0), doneAt: null }, new Date(Date.now() + 2 * 86_400_000))).toBe(true);
    expect(isOverdue({ dueOn: day(0), doneAt: null }, new Date())).toBe(false);
  });
});

describe('calendar files', () => {
  it('a meeting’s .ics parses back with its title, times and place', async () => {
    const meeting = await schedule(facilitator, { title: { es: 'Foro regional', en: 'Regional forum' }, kind: 'REGIONAL_FORUM' }, 20);
    const res = await fetch(`${api.url}/exports/meetings/${meeting.id}.ics`, { headers: { cookie: member.cookie } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/calendar/);
    const calendar = new ICAL.Component(ICAL.parse(await res.text()));
    const [event] = calendar.getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));
    expect(event.summary).toBe('Foro regional');
    expect(event.location).toBe('Lima, COPEME');
    const { meeting: m } = await member.data(`query($id: ID!) { meeting(id: $id) { startsAt endsAt } }`, { id: meeting.id });
    expect(event.startDate.toJSDate().toISOString()).toBe(m.startsAt);
    expect(event.endDate.toJSDate().toISOString()).toBe(m.endsAt);
    // Signed out, a meeting for stakeholders is not there.
    expect((await fetch(`${api.url}/exports/meetings/${meeting.id}.ics`)).status).toBe(404);
  });

  it('a person’s feed lists the meetings they registered for, by its signed link alone; a forged link finds nothing', async () => {
    const a = await schedule(facilitator, { title: { es: 'Reunión A' } }, 5);
    const b = await schedule(facilitator, { title: { es: 'Reunión B' } }, 6);
    await schedule(facilitator, { title: { es: 'Reunión C' } }, 7);
    const person = people[11];
    await person.data(REGISTER, { meetingId: a.id });
    await person.data(REGISTER, { meetingId: b.id });
    const path = (await person.data(FEED)).myCalendarFeedPath;
    const res = await fetch(`${api.url}${path}`);
    expect(res.status).toBe(200);
    const events = new ICAL.Component(ICAL.parse(await res.text())).getAllSubcomponents('vevent').map((v) => new ICAL.Event(v).summary);
    expect(events).toContain('Reunión A');
    expect(events).toContain('Reunión B');
    expect(events).not.toContain('Reunión C');
    const forged = path.replace(/\.[^.]+\.ics$/, '.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.ics');
    expect((await fetch(`${api.url}${forged}`)).status).toBe(404);
  });
});

describe('the demo', () => {
  it('has a past annual meeting with approved minutes and decisions, and an upcoming regional forum with registrations and an agenda on the open round and ballot', async () => {
    const { meetings } = await api.client().data(`{ meetings { kind minutesApprovedAt confirmedCount decisions { text ballotId roundId } actionItems { overdue doneAt } agenda { linkKind } } }`);
    const annual = meetings.find((m: { kind: string }) => m.kind === 'ANNUAL_MEETING');
    const forum = meetings.find((m: { kind: string }) => m.kind === 'REGIONAL_FORUM');
    expect(annual.minutesApprovedAt).not.toBeNull();
    expect(annual.decisions.some((d: { ballotId: string | null }) => d.ballotId)).toBe(true);
    expect(annual.decisions.some((d: { roundId: string | null }) => d.roundId)).toBe(true);
    expect(annual.actionItems.filter((a: { overdue: boolean }) => a.overdue)).toHaveLength(1);
    expect(forum.minutesApprovedAt).toBeNull();
    expect(forum.confirmedCount).toBe(7);
    expect(forum.agenda.map((i: { linkKind: string | null }) => i.linkKind)).toEqual([null, 'INDICATOR', 'INDICATOR', 'BALLOT']);
  });
});
