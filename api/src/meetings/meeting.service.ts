import { createHmac, timingSafeEqual } from 'node:crypto';
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { sql } from 'kysely';
import { audit } from '../audit/audit.service.js';
import type { Viewer } from '../auth/viewer.js';
import type { Config } from '../config.js';
import { reads } from '../db/reads.js';
import { badInput, conflict, notFound, Refusal } from '../errors.js';
import { toLocalizedText } from '../i18n/localized-text.js';
import { Organization } from '../organizations/organization.entity.js';
import { Role, User } from '../users/user.entity.js';
import { Attendance, Meeting, MeetingAudience, Registration, RegistrationStatus } from './meeting.entity.js';
import type { RecordAttendanceInput, ScheduleMeetingInput } from './meeting.inputs.js';

/** Whether the viewer (null: signed out) may see the meeting at all. */
export function canSeeMeeting(meeting: Pick<Meeting, 'audience'>, viewer: Viewer | null): boolean {
  if (meeting.audience === MeetingAudience.PUBLIC) return true;
  if (!viewer) return false;
  return meeting.audience === MeetingAudience.STAKEHOLDERS || viewer.has(Role.MEMBER) || viewer.isFacilitator;
}

/** The meeting, if the viewer may see it: NOT_FOUND otherwise, as for an id that names none. */
export async function findMeeting(em: EntityManager, viewer: Viewer | null, id: string, lock?: LockMode.PESSIMISTIC_WRITE): Promise<Meeting> {
  const meeting = await em.findOne(Meeting, { id }, lock ? { lockMode: lock, refresh: true } : {});
  if (!meeting || !canSeeMeeting(meeting, viewer)) throw notFound('Meeting', id);
  return meeting;
}

/** The meetings the viewer may see: upcoming first by start, then past ones, latest first. */
export async function listMeetings(em: EntityManager, viewer: Viewer | null): Promise<Meeting[]> {
  const all = await em.find(Meeting, {}, { orderBy: { startsAt: 'asc', id: 'asc' } });
  const now = Date.now();
  const visible = all.filter((m) => canSeeMeeting(m, viewer));
  return [...visible.filter((m) => m.endsAt.getTime() >= now), ...visible.filter((m) => m.endsAt.getTime() < now).reverse()];
}

const isTimeZone = (zone: string) => {
  try {
    return Boolean(new Intl.DateTimeFormat('en', { timeZone: zone }).resolvedOptions().timeZone);
  } catch {
    return false;
  }
};

/** Schedules a meeting; every problem of the form is reported at once. */
export async function scheduleMeeting(em: EntityManager, viewer: Viewer, input: ScheduleMeetingInput): Promise<Meeting> {
  const title = toLocalizedText(input.title);
  const place = input.place?.trim() || null;
  const onlineUrl = input.onlineUrl?.trim() || null;
  const problems: Array<[string, string, Refusal]> = [];
  if (!title[input.language]) problems.push(['title', 'Give the title in the meeting’s language', Refusal.TITLE_SOURCE_LANGUAGE]);
  if (!(input.endsAt > input.startsAt)) problems.push(['endsAt', 'The end must come after the start', Refusal.DATES_OUT_OF_ORDER]);
  if (!isTimeZone(input.timeZone)) problems.push(['timeZone', 'Not an IANA time zone (e.g. America/Lima)', Refusal.MEETING_TIME_ZONE]);
  if (!place && !onlineUrl) problems.push(['place', 'Give a place, an online link, or both', Refusal.MEETING_PLACE_REQUIRED]);
  if (problems.length) throw badInput(problems[0][0], problems.map((p) => p[1]).join('; '), problems[0][2]);
  const meeting = em.create(Meeting, {
    title,
    kind: input.kind,
    startsAt: input.startsAt,
    endsAt: input.endsAt,
    timeZone: input.timeZone,
    place,
    onlineUrl,
    language: input.language,
    audience: input.audience,
    capacity: input.capacity ?? null,
    createdById: viewer.id,
  });
  audit(em, { actorId: viewer.id, action: 'meeting.scheduled', subjectType: 'Meeting', subjectId: meeting.id, scopeId: meeting.id, data: { kind: meeting.kind, startsAt: meeting.startsAt.toISOString(), timeZone: meeting.timeZone, audience: meeting.audience, capacity: meeting.capacity } });
  await em.flush();
  return meeting;
}

/** The viewer's standing registration (confirmed or waitlisted), if any. */
export function standingRegistration(em: EntityManager, meetingId: string, userId: string): Promise<Registration | null> {
  return em.findOne(Registration, { meeting: meetingId, userId, status: { $ne: RegistrationStatus.CANCELLED } });
}

/**
 * Registers the viewer: a place while there is one, else the waiting list. The meeting's row is
 * locked for the transaction, so registrations arriving together take places one at a time and the
 * meeting is never overbooked (the database's check on the counts stands behind it). Registering
 * again returns the standing registration.
 */
export async function register(em: EntityManager, viewer: Viewer, meetingId: string): Promise<Registration> {
  const meeting = await findMeeting(em, viewer, meetingId, LockMode.PESSIMISTIC_WRITE);
  if (meeting.endsAt <= new Date()) throw conflict('The meeting is over', { reason: Refusal.MEETING_OVER });
  const standing = await standingRegistration(em, meeting.id, viewer.id);
  if (standing) return standing;
  const hasPlace = meeting.capacity == null || meeting.confirmedCount < meeting.capacity;
  const registration = em.create(Registration, { meeting, userId: viewer.id, status: hasPlace ? RegistrationStatus.CONFIRMED : RegistrationStatus.WAITLISTED });
  if (hasPlace) meeting.confirmedCount += 1;
  else meeting.waitlistedCount += 1;
  await em.flush();
  return registration;
}

/** Cancels the viewer's registration; a place freed goes to the first on the waiting list, in the same transaction. */
export async function cancelRegistration(em: EntityManager, viewer: Viewer, meetingId: string): Promise<Meeting> {
  const meeting = await findMeeting(em, viewer, meetingId, LockMode.PESSIMISTIC_WRITE);
  const standing = await standingRegistration(em, meeting.id, viewer.id);
  if (!standing) throw conflict('You are not registered', { reason: Refusal.NOT_REGISTERED });
  const wasConfirmed = standing.status === RegistrationStatus.CONFIRMED;
  em.assign(standing, { status: RegistrationStatus.CANCELLED, cancelledAt: new Date() });
  if (wasConfirmed) {
    meeting.confirmedCount -= 1;
    const [next] = await em.find(Registration, { meeting, status: RegistrationStatus.WAITLISTED }, { orderBy: { registeredAt: 'asc', id: 'asc' }, limit: 1 });
    if (next) {
      em.assign(next, { status: RegistrationStatus.CONFIRMED, promotedAt: new Date() });
      meeting.confirmedCount += 1;
      meeting.waitlistedCount -= 1;
    }
  } else {
    meeting.waitlistedCount -= 1;
  }
  await em.flush();
  return meeting;
}

/** The meeting's registrations in order: confirmed and waitlisted, the waiting list by time of registration. */
export function registrationsOf(em: EntityManager, meetingId: string) {
  return reads(em)
    .selectFrom('meeting_registration as r')
    .innerJoin('app_user as u', 'u.id', 'r.user_id')
    .leftJoin('organization as o', 'o.id', 'u.organization_id')
    .select(['r.id', 'r.status', 'r.registered_at', 'r.promoted_at', 'u.name', 'o.name as organization_name', 'o.country'])
    .where('r.meeting_id', '=', meetingId)
    .where('r.status', '<>', RegistrationStatus.CANCELLED)
    .orderBy('r.status')
    .orderBy('r.registered_at')
    .orderBy('r.id')
    .execute();
}

/** Records someone present: a person with an account (their organization and country as they stand), or a name with an organization and country. */
export async function recordAttendance(em: EntityManager, viewer: Viewer, input: RecordAttendanceInput): Promise<Attendance> {
  const meeting = await findMeeting(em, viewer, input.meetingId);
  let person: { userId: string | null; personName: string; organizationId: string | null; organizationName: string; country: string };
  if (input.userId) {
    const user = await em.findOne(User, { id: input.userId });
    if (!user) throw badInput('userId', 'No such person', Refusal.NOT_FOUND);
    const organization = user.organization ? await em.findOne(Organization, { id: user.organization.id }) : null;
    const country = organization?.country ?? input.country?.toUpperCase();
    if (!organization && !(input.organizationName?.trim() && country)) throw badInput('organizationName', 'This person has no organization: give one and a country', Refusal.ATTENDANCE_INCOMPLETE);
    const existing = await em.findOne(Attendance, { meeting, userId: user.id });
    if (existing) return existing;
    person = { userId: user.id, personName: user.name, organizationId: organization?.id ?? null, organizationName: organization?.name ?? input.organizationName!.trim(), country: country! };
  } else {
    const personName = input.personName?.trim();
    const organizationName = input.organizationName?.trim();
    if (!personName || !organizationName || !input.country) throw badInput('personName', 'Give the person’s name, organization and country', Refusal.ATTENDANCE_INCOMPLETE);
    person = { userId: null, personName, organizationId: null, organizationName, country: input.country.toUpperCase() };
  }
  const attendance = em.create(Attendance, { meeting, ...person, recordedById: viewer.id });
  audit(em, { actorId: viewer.id, action: 'meeting.attendance_recorded', subjectType: 'Meeting', subjectId: meeting.id, scopeId: meeting.id, data: { personName: person.personName, organizationName: person.organizationName, country: person.country } });
  await em.flush();
  return attendance;
}

/** People present per organization and per country, most first. */
export async function attendanceCounts(em: EntityManager, meetingId: string) {
  const count = sql<number>`count(*)::int`;
  const [byOrganization, byCountry] = await Promise.all([
    reads(em).selectFrom('meeting_attendance').select(['organization_name as label', count.as('count')]).where('meeting_id', '=', meetingId).groupBy('organization_name').orderBy('count', 'desc').orderBy('organization_name').execute(),
    reads(em).selectFrom('meeting_attendance').select(['country as label', count.as('count')]).where('meeting_id', '=', meetingId).groupBy('country').orderBy('count', 'desc').orderBy('country').execute(),
  ]);
  return { byOrganization, byCountry, total: byCountry.reduce((n, c) => n + c.count, 0) };
}

const FEED = 'meeting-feed:';

/** The secret that signs calendar feed links: the one the database made for this instance (or the configured device secret, which every process shares). */
async function feedSecret(em: EntityManager, config: Config): Promise<string> {
  const row = await reads(em).selectFrom('instance_secret').select('value').where('name', '=', 'calendar_feed').executeTakeFirst();
  return row?.value ?? config.DEVICE_COOKIE_SECRET ?? '';
}

/** A person's calendar feed token: their id and its signature, so the link works in a calendar app without a session and cannot be guessed for someone else. */
export async function feedToken(em: EntityManager, config: Config, userId: string): Promise<string> {
  const signature = createHmac('sha256', await feedSecret(em, config)).update(FEED + userId).digest('base64url');
  return `${userId}.${signature}`;
}

/** The person a feed token names, or null when its signature does not hold. */
export async function userOfFeedToken(em: EntityManager, config: Config, token: string): Promise<string | null> {
  const [userId, signature] = token.split('.');
  if (!userId || !signature) return null;
  const expected = Buffer.from((await feedToken(em, config, userId)).split('.')[1]);
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given) ? userId : null;
}

/** The meetings a person has a standing registration for, soonest first. */
export async function registeredMeetings(em: EntityManager, userId: string): Promise<Meeting[]> {
  const registrations = await em.find(Registration, { userId, status: { $ne: RegistrationStatus.CANCELLED } });
  return em.find(Meeting, { id: { $in: registrations.map((r) => r.meeting.id) } }, { orderBy: { startsAt: 'asc' } });
}

/** Refuses a facilitator's write on a meeting whose minutes are approved. */
export function requireDraftMinutes(meeting: Meeting): void {
  if (meeting.minutesApprovedAt) throw conflict('The minutes are approved: they can no longer change', { reason: Refusal.MINUTES_APPROVED });
}
