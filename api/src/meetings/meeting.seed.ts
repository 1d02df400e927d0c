import { Viewer } from '../auth/viewer.js';
import { Ballot } from '../ballots/ballot.entity.js';
import { RoundVersion } from '../rounds/round-version.entity.js';
import { ConsultationRound } from '../rounds/round.entity.js';
import type { SeedStep } from '../seed/seed.service.js';
import { Locale, type User } from '../users/user.entity.js';
import { AgendaLinkKind, MeetingAudience, MeetingKind } from './meeting.entity.js';
import { recordAttendance, register, scheduleMeeting } from './meeting.service.js';
import { addActionItem, addAgendaItem, recordDecision, saveItemMinutes, signOffMinutes } from './minutes.service.js';

const DAY = 86_400_000;
const day = (offset: number) => new Date(Date.now() + offset * DAY).toISOString().slice(0, 10);
/** `hourUtc` o'clock (UTC) on the day `offset` days from now. */
const at = (offset: number, hourUtc: number) => new Date(Math.floor((Date.now() + offset * DAY) / DAY) * DAY + hourUtc * 3_600_000);

/**
 * The working group's meetings: the annual meeting in Lima six weeks ago, its minutes approved with
 * decisions on the closed ballot and the round's dispositions and three action items (one late, one
 * done); and the coming regional forum in Guatemala City, with registrations and an agenda that
 * walks through two indicators of the open round and the open ballot.
 */
export const meetingsStep: SeedStep = async (em, state) => {
  const as = (email: string) => {
    const user: User = state.users.get(email) ?? fail(`unknown user ${email}`);
    return new Viewer(user, 'seed');
  };
  const facilitator = as('facilitadora@consulta.demo');
  const members = ['miembro.redcamif@consulta.demo', 'miembro.rfr@consulta.demo', 'miembro.copeme@consulta.demo'].map(as);
  const round = (await em.findOne(ConsultationRound, { framework: { slug: 'spwg-lac-certification' }, draft: false }, { orderBy: { opensAt: 'desc' } })) ?? fail('no SPWG round');
  const [closed] = await em.find(Ballot, { closedAt: { $ne: null } }, { limit: 1 });
  const [open] = await em.find(Ballot, { closedAt: null, frozenAt: { $ne: null } }, { limit: 1 });
  const consulted = await em.find(RoundVersion, { round }, { orderBy: { position: 'asc' }, limit: 2, populate: ['indicator'] });

  const annual = await scheduleMeeting(em, facilitator, {
    title: { es: 'Reunión regional anual del SPWG LAC', en: 'SPWG LAC annual regional meeting', pt: 'Reunião regional anual do SPWG LAC', fr: 'Réunion régionale annuelle du SPWG LAC' },
    kind: MeetingKind.ANNUAL_MEETING,
    startsAt: at(-45, 14),
    endsAt: at(-45, 22),
    timeZone: 'America/Lima',
    place: 'Lima, Perú — sede de COPEME',
    language: Locale.ES,
    audience: MeetingAudience.PUBLIC,
    capacity: 30,
  });
  const plan = await addAgendaItem(em, facilitator, { meetingId: annual.id, title: { es: 'Plan de trabajo del año', en: 'The year’s work plan' }, timeBoxMinutes: 45, presenter: 'Facilitadora regional (REDCAMIF)' });
  const dispositions = await addAgendaItem(em, facilitator, { meetingId: annual.id, title: { es: 'Disposición de comentarios de la primera ronda', en: 'Disposition of comments of the first round' }, timeBoxMinutes: 60, presenter: 'RFR', linkKind: AgendaLinkKind.DISPOSITIONS, roundId: round.id });
  const ballotItem = closed ? await addAgendaItem(em, facilitator, { meetingId: annual.id, title: { es: 'Resultado de la votación de revisiones', en: 'Outcome of the revisions ballot' }, timeBoxMinutes: 30, presenter: 'COPEME', linkKind: AgendaLinkKind.BALLOT, ballotId: closed.id }) : null;
  await saveItemMinutes(em, facilitator, plan.id, 'Se revisaron los objetivos del año: indicadores finales por consulta, retroalimentación sobre los Estándares Universales, piloto de certificación, foro regional y reunión anual. Las redes confirmaron sus responsables.');
  await saveItemMinutes(em, facilitator, dispositions.id, 'RFR presentó la disposición de comentarios: la mayoría de los comentarios técnicos fueron aceptados total o parcialmente; los editoriales se incorporan en la próxima versión.');
  await recordDecision(em, facilitator, { agendaItemId: dispositions.id, text: 'Se adopta la disposición de comentarios de la primera ronda tal como fue presentada.' });
  if (ballotItem) {
    await saveItemMinutes(em, facilitator, ballotItem.id, 'Se informó el resultado de la votación cerrada y los próximos pasos para las revisiones aprobadas.');
    await recordDecision(em, facilitator, { agendaItemId: ballotItem.id, text: 'Las revisiones aprobadas pasan a la versión de trabajo siguiente.' });
  }
  const pilot = await addActionItem(em, facilitator, { agendaItemId: plan.id, description: 'Proponer tres instituciones para el piloto de certificación', responsiblePerson: 'Miembro de COPEME', responsibleOrganizationId: members[2].organizationId, dueOn: day(-10) });
  await addActionItem(em, facilitator, { agendaItemId: dispositions.id, description: 'Publicar el resumen de la disposición de comentarios', responsiblePerson: 'Facilitadora regional', responsibleOrganizationId: facilitator.organizationId, dueOn: day(-20) });
  await addActionItem(em, facilitator, { agendaItemId: plan.id, description: 'Enviar la agenda preliminar del foro regional', responsiblePerson: 'Miembro de REDCAMIF', responsibleOrganizationId: members[0].organizationId, dueOn: day(12) });
  for (const member of members) await recordAttendance(em, facilitator, { meetingId: annual.id, userId: member.id });
  await recordAttendance(em, facilitator, { meetingId: annual.id, userId: facilitator.id });
  await recordAttendance(em, facilitator, { meetingId: annual.id, personName: 'Invitada de una red nacional', organizationName: 'Red de microfinanzas de Bolivia', country: 'BO' });
  // Done before the approval here; once approved, marking done is the one change still allowed.
  pilot.doneAt = new Date(Date.now() - 12 * DAY);
  for (const member of members) await signOffMinutes(em, member, annual.id);

  const forum = await scheduleMeeting(em, facilitator, {
    title: { es: 'Foro Latinoamericano de Desempeño Social', en: 'Latin American Forum on Social Performance', pt: 'Fórum Latino-Americano de Desempenho Social', fr: 'Forum latino-américain sur la performance sociale' },
    kind: MeetingKind.REGIONAL_FORUM,
    startsAt: at(21, 15),
    endsAt: at(22, 23),
    timeZone: 'America/Guatemala',
    place: 'Ciudad de Guatemala',
    onlineUrl: 'https://meet.example.org/foro-desempeno-social',
    language: Locale.ES,
    audience: MeetingAudience.PUBLIC,
    capacity: 120,
  });
  await addAgendaItem(em, facilitator, { meetingId: forum.id, title: { es: 'Apertura y avances del sistema de certificación', en: 'Opening and progress of the certification system' }, timeBoxMinutes: 30, presenter: 'REDCAMIF', materials: [{ label: 'Plan de trabajo (PDF)', url: 'https://example.org/spwg/plan-de-trabajo.pdf' }] });
  for (const rv of consulted) {
    const code = rv.indicator.getEntity().code;
    await addAgendaItem(em, facilitator, { meetingId: forum.id, title: { es: `Indicador ${code} en consulta`, en: `Indicator ${code} under consultation` }, timeBoxMinutes: 40, presenter: 'Facilitadora regional', linkKind: AgendaLinkKind.INDICATOR, roundId: round.id, indicatorVersionId: rv.indicatorVersion.id });
  }
  if (open) await addAgendaItem(em, facilitator, { meetingId: forum.id, title: { es: 'Votación abierta de revisiones', en: 'Open ballot on revisions' }, timeBoxMinutes: 30, presenter: 'RFR', linkKind: AgendaLinkKind.BALLOT, ballotId: open.id });
  const registrants = [...members, as('actor@consulta.demo'), as('stakeholder@consulta.demo'), as('parceira@consulta.demo'), as('partenaire@consulta.demo')];
  for (const person of registrants) await register(em, person, forum.id);
  await em.flush();
  return { meetings: 2, registrations: registrants.length };
};

function fail(message: string): never {
  throw new Error(`meetings seed: ${message}`);
}
