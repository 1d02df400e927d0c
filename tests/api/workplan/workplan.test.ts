import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isOverdue } from '../../../api/src/workplan/workplan.service.js';
import { ActivityStatus } from '../../../api/src/workplan/workplan.entity.js';
import { demo, startTestApi, type TestApi } from '../../support/api.js';
import type { GraphQLClient } from '../../support/client.js';
import { ballotOn, createFramework, openRound, propose } from '../ballots/fixtures.js';
import { schedule } from '../meetings/fixtures.js';
import { ADD_ACTIVITY, ADD_OBJECTIVE, CREATE_PLAN, LINK, PLAN, UNLINK, UPDATE_ACTIVITY, activity, activityFields, freshYear, planWithObjective } from './fixtures.js';

let api: TestApi;
let facilitator: GraphQLClient;
let member: GraphQLClient;
let stakeholder: GraphQLClient;
const today = () => new Date().toISOString().slice(0, 10);
const dayOffset = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
const organizationId = async (acronym: string) => (await api.db.orm.em.fork().execute<{ id: string }[]>('select id from organization where acronym = ?', [acronym]))[0].id;
const auditCount = async (action: string) => (await api.db.orm.em.fork().execute<{ n: number }[]>('select count(*)::int as n from audit_entry where action = ?', [action]))[0].n;

beforeAll(async () => {
  api = await startTestApi();
  [facilitator, member, stakeholder] = await Promise.all([api.as(demo.facilitator), api.as(demo.member), api.as(demo.stakeholder)]);
}, 120_000);
afterAll(() => api?.stop());

describe('a year’s plan', () => {
  it('a facilitator builds it (objectives and activities in order, with partners), and a working-group member reads it', async () => {
    const year = freshYear();
    const plan = (await facilitator.data(CREATE_PLAN, { input: { year, title: { es: `Plan de trabajo ${year}`, en: `Work plan ${year}` } } })).createWorkPlan;
    const first = (await facilitator.data(ADD_OBJECTIVE, { input: { planId: plan.id, title: { es: 'Indicadores finales' } } })).addWorkObjective;
    const second = (await facilitator.data(ADD_OBJECTIVE, { input: { planId: plan.id, title: { es: 'Piloto' } } })).addWorkObjective;
    expect([first.position, second.position]).toEqual([1, 2]);
    const [rfr, copeme] = await Promise.all([organizationId('RFR'), organizationId('COPEME')]);
    await facilitator.data(ADD_ACTIVITY, { input: { objectiveId: first.id, ...activityFields(year, { title: { es: 'Rondas de consulta' }, partnerIds: [rfr, copeme], status: 'IN_PROGRESS', progress: 30 }) } });
    const done = (await facilitator.data(ADD_ACTIVITY, { input: { objectiveId: first.id, ...activityFields(year, { title: { es: 'Versión final' }, status: 'DONE' }) } })).addWorkActivity;
    expect(done).toMatchObject({ position: 2, status: 'DONE', progress: 100 });

    const { workPlan } = await member.data(PLAN, { year });
    expect(workPlan.title.value).toBe(`Plan de trabajo ${year}`);
    expect(workPlan.xlsxPath).toBe(`/exports/workplan/${year}.xlsx`);
    expect(workPlan.objectives.map((o: any) => [o.position, o.title.value])).toEqual([[1, 'Indicadores finales'], [2, 'Piloto']]);
    const [consult, final] = workPlan.objectives[0].activities;
    expect(consult).toMatchObject({ position: 1, title: { value: 'Rondas de consulta' }, status: 'IN_PROGRESS', progress: 30, responsiblePerson: 'Facilitadora', startsOn: `${year}-03-01`, endsOn: `${year}-05-31` });
    expect(consult.partners.map((p: any) => p.acronym).sort()).toEqual(['COPEME', 'RFR']);
    expect(final.position).toBe(2);
    expect((await member.data(`{ workPlans { year } }`)).workPlans.map((p: any) => p.year)).toEqual(expect.arrayContaining([year, 2012]));
  });

  it('is the working group’s: a stakeholder is refused, signed out is asked to sign in, a member may not write, and a refused write leaves nothing', async () => {
    const { year, planId, objectiveId } = await planWithObjective(facilitator);
    expect(await stakeholder.error(PLAN, { year })).toMatchObject({ code: 'FORBIDDEN', extensions: { reason: 'WORKING_GROUP_ONLY' } });
    expect((await stakeholder.error(`{ workPlans { id } }`)).code).toBe('FORBIDDEN');
    expect((await api.client().error(PLAN, { year })).code).toBe('UNAUTHENTICATED');
    const before = await auditCount('work_plan.objective_added');
    expect((await member.error(ADD_OBJECTIVE, { input: { planId, title: { es: 'No' } } })).code).toBe('FORBIDDEN');
    expect((await member.error(ADD_ACTIVITY, { input: { objectiveId, ...activityFields(year) } })).code).toBe('FORBIDDEN');
    expect((await stakeholder.error(CREATE_PLAN, { input: { year: freshYear(), title: { es: 'No' } } })).code).toBe('FORBIDDEN');
    expect(await auditCount('work_plan.objective_added')).toBe(before);
    const { workPlan } = await facilitator.data(PLAN, { year });
    expect(workPlan.objectives).toHaveLength(1);
    expect(workPlan.objectives[0].activities).toHaveLength(0);
    expect((await member.error(PLAN, { year: 2001 })).code).toBe('NOT_FOUND');
  });

  it('a year takes one plan, also when two facilitators start it at once', async () => {
    const year = freshYear();
    const admin = await api.as(demo.admin);
    const results = await Promise.all([facilitator, admin].map((c) => c.request(CREATE_PLAN, { input: { year, title: { es: 'Plan' } } })));
    expect(results.filter((r) => r.data?.createWorkPlan)).toHaveLength(1);
    expect(results.flatMap((r) => r.errors ?? []).map((e) => e.extensions?.reason)).toEqual(['WORK_PLAN_EXISTS']);
    expect(await facilitator.error(CREATE_PLAN, { input: { year: 2012, title: { es: 'Otra vez' } } })).toMatchObject({ extensions: { reason: 'WORK_PLAN_EXISTS' } });
  });

  it('activities added together each take their own place', async () => {
    const { year, objectiveId } = await planWithObjective(facilitator);
    const made = await Promise.all(Array.from({ length: 8 }, (_, i) => facilitator.data(ADD_ACTIVITY, { input: { objectiveId, ...activityFields(year, { title: { es: `Actividad ${i}` } }) } })));
    expect(made.map((m) => m.addWorkActivity.position).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('refuses dates out of order, a done activity short of 100, an unknown partner and a title in no language, naming the field', async () => {
    const { year, objectiveId } = await planWithObjective(facilitator);
    const refusal = async (overrides: Record<string, unknown>) => {
      const e = await facilitator.error(ADD_ACTIVITY, { input: { objectiveId, ...activityFields(year, overrides) } });
      return [e.code, e.extensions?.reason, (e.extensions?.fields as { field: string }[] | undefined)?.[0]?.field];
    };
    expect(await refusal({ startsOn: `${year}-06-01`, endsOn: `${year}-05-01` })).toEqual(['BAD_USER_INPUT', 'DATES_OUT_OF_ORDER', 'endsOn']);
    expect(await refusal({ endsOn: `${year}-02-30` })).toEqual(['BAD_USER_INPUT', 'DATES_OUT_OF_ORDER', 'endsOn']);
    expect(await refusal({ status: 'DONE', progress: 60 })).toEqual(['BAD_USER_INPUT', 'ACTIVITY_DONE_PROGRESS', 'progress']);
    expect(await refusal({ partnerIds: ['00000000-0000-4000-8000-000000000000'] })).toEqual(['BAD_USER_INPUT', 'UNKNOWN_ORGANIZATION', 'partnerIds']);
    expect(await refusal({ title: { es: '  ' } })).toEqual(['BAD_USER_INPUT', 'TITLE_SOURCE_LANGUAGE', 'title']);
    expect((await facilitator.data(PLAN, { year })).workPlan.objectives[0].activities).toHaveLength(0);
  });
});

describe('changing an activity', () => {
  it('replaces its fields and partners, keeps the languages not given, and the audit entry keeps what it was', async () => {
    const rfr = await organizationId('RFR');
    const { year, activityId } = await activity(facilitator, { partnerIds: [rfr], title: { es: 'Piloto', en: 'Pilot' } });
    const copeme = await organizationId('COPEME');
    const updated = (await facilitator.data(UPDATE_ACTIVITY, { input: { id: activityId, ...activityFields(year, { title: { es: 'Piloto en tres países' }, partnerIds: [copeme], responsiblePerson: 'Miembro de COPEME', status: 'IN_PROGRESS', progress: 45, endsOn: `${year}-09-30` }) } })).updateWorkActivity;
    expect(updated).toMatchObject({ status: 'IN_PROGRESS', progress: 45, endsOn: `${year}-09-30`, responsiblePerson: 'Miembro de COPEME', title: { value: 'Piloto en tres países' }, partners: [{ acronym: 'COPEME' }] });
    const english = await api.as('facilitator@consulta.demo');
    expect((await english.data(PLAN, { year })).workPlan.objectives[0].activities[0].title.value).toBe('Pilot');
    // Omitted progress keeps it; DONE makes it 100.
    expect((await facilitator.data(UPDATE_ACTIVITY, { input: { id: activityId, ...activityFields(year, { status: 'CANCELLED' }) } })).updateWorkActivity.progress).toBe(45);
    expect((await facilitator.data(UPDATE_ACTIVITY, { input: { id: activityId, ...activityFields(year, { status: 'DONE' }) } })).updateWorkActivity.progress).toBe(100);
    const [entry] = await api.db.orm.em.fork().execute<{ data: any; actor_id: string }[]>(`select data, actor_id from audit_entry where action = 'work_plan.activity_updated' and data->>'activityId' = ? order by at, id limit 1`, [activityId]);
    expect(entry.data.before).toMatchObject({ status: 'PLANNED', progress: 0, partnerIds: [rfr] });
    expect(entry.data.after).toMatchObject({ status: 'IN_PROGRESS', progress: 45, partnerIds: [copeme] });
    expect((await member.error(UPDATE_ACTIVITY, { input: { id: activityId, ...activityFields(year) } })).code).toBe('FORBIDDEN');
  });
});

describe('overdue', () => {
  it('is read from the clock: past its end and neither done nor cancelled; the read writes nothing', async () => {
    const year = new Date().getUTCFullYear();
    const { planId, objectiveId } = await planWithObjective(facilitator, freshYear());
    expect(planId).toBeTruthy();
    const add = async (overrides: Record<string, unknown>) => (await facilitator.data(ADD_ACTIVITY, { input: { objectiveId, ...activityFields(year, overrides) } })).addWorkActivity;
    const late = await add({ startsOn: dayOffset(-30), endsOn: dayOffset(-1), status: 'IN_PROGRESS', progress: 50 });
    const endsToday = await add({ startsOn: dayOffset(-30), endsOn: today(), status: 'PLANNED' });
    const finished = await add({ startsOn: dayOffset(-30), endsOn: dayOffset(-1), status: 'DONE' });
    const dropped = await add({ startsOn: dayOffset(-30), endsOn: dayOffset(-1), status: 'CANCELLED' });
    expect([late.overdue, endsToday.overdue, finished.overdue, dropped.overdue]).toEqual([true, false, false, false]);

    const em = api.db.orm.em.fork();
    const snapshot = () => em.execute<{ id: string; updated_at: Date; status: string }[]>('select id, updated_at, status from work_activity where objective_id = ? order by id', [objectiveId]);
    const [before, auditsBefore] = await Promise.all([snapshot(), em.execute<{ n: number }[]>('select count(*)::int as n from audit_entry')]);
    await member.data(`query($year: Int!) { workPlan(year: $year) { objectives { activities { overdue } } } }`, { year: 2012 });
    const res = await fetch(`${api.url}/exports/workplan/2012.xlsx`, { headers: { cookie: member.cookie } });
    expect(res.status).toBe(200);
    expect(await snapshot()).toEqual(before);
    expect((await em.execute<{ n: number }[]>('select count(*)::int as n from audit_entry'))[0].n).toBe(auditsBefore[0].n);

    // The same activity by the clock of another day.
    const lateActivity = { endsOn: dayOffset(-1), status: ActivityStatus.IN_PROGRESS };
    expect(isOverdue(lateActivity, new Date(Date.now() - 2 * 86_400_000))).toBe(false);
    expect(isOverdue(lateActivity)).toBe(true);
  });
});

describe('links', () => {
  it('link an activity to a meeting, a round, a ballot and an action item, each named and with its page; again is the same link; a wrong target is refused; unlinking removes it', async () => {
    const { year, activityId } = await activity(facilitator);
    const em = api.db.orm.em.fork();
    const [round] = await em.execute<{ id: string }[]>(`select r.id from consultation_round r join framework f on f.id = r.framework_id where f.slug = 'usspm' limit 1`);
    const [ballot] = await em.execute<{ id: string }[]>('select id from ballot where closed_at is not null limit 1');
    const [action] = await em.execute<{ id: string; meeting_id: string }[]>(`select id, meeting_id from action_item where description like 'Proponer tres instituciones%'`);
    const meeting = await schedule(facilitator, { title: { es: 'Llamada de seguimiento del plan', en: 'Plan follow-up call' } });
    const link = (kind: string, targetId: string) => facilitator.data(LINK, { input: { activityId, kind, targetId } }).then((r) => r.linkWorkActivity);
    const toMeeting = await link('MEETING', meeting.id);
    expect(toMeeting).toMatchObject({ kind: 'MEETING', targetId: meeting.id, label: 'Llamada de seguimiento del plan', path: `/meetings/${meeting.id}` });
    expect((await link('MEETING', meeting.id)).id).toBe(toMeeting.id);
    expect(await link('ROUND', round.id)).toMatchObject({ path: `/rounds/${round.id}` });
    expect(await link('BALLOT', ballot.id)).toMatchObject({ path: `/ballots/${ballot.id}` });
    // An action item of approved minutes links too: the link is the plan's, the minutes stay as approved.
    expect(await link('ACTION_ITEM', action.id)).toMatchObject({ label: 'Proponer tres instituciones para el piloto de certificación', path: `/meetings/${action.meeting_id}` });
    expect(await facilitator.error(LINK, { input: { activityId, kind: 'BALLOT', targetId: meeting.id } })).toMatchObject({ code: 'BAD_USER_INPUT', extensions: { reason: 'ACTIVITY_LINK_INVALID' } });

    const read = async () => (await member.data(PLAN, { year })).workPlan.objectives[0].activities[0].links;
    expect((await read()).map((l: any) => l.kind)).toEqual(['MEETING', 'ROUND', 'BALLOT', 'ACTION_ITEM']);
    const english = await api.as('facilitator@consulta.demo');
    expect((await english.data(PLAN, { year })).workPlan.objectives[0].activities[0].links[0].label).toBe('Plan follow-up call');
    expect((await member.error(UNLINK, { linkId: toMeeting.id })).code).toBe('FORBIDDEN');
    const after = (await facilitator.data(UNLINK, { linkId: toMeeting.id })).unlinkWorkActivity;
    expect(after.links).toHaveLength(3);
    expect((await read()).map((l: any) => l.kind)).toEqual(['ROUND', 'BALLOT', 'ACTION_ITEM']);
    expect(await auditCount('work_plan.activity_unlinked')).toBeGreaterThanOrEqual(1);
  });

  it('names a round or ballot the reader may not open only as restricted, on the page and in the spreadsheet; the facilitator reads its title', async () => {
    const { year, activityId } = await activity(facilitator);
    const fw = await createFramework(api.db.orm, { slug: `plan-${year}`, areas: 1, perArea: 1 });
    const round = await openRound(facilitator, fw, { title: { es: 'Ronda para Haití' }, audience: { all: false, organizationIds: [], countries: ['HT'] } });
    const indicator = fw.areas[0].indicators[0];
    const draft = await ballotOn(facilitator, [(await propose(facilitator, indicator.id, indicator.versionId)).id], {}, false);
    for (const [kind, targetId] of [['ROUND', round.id], ['BALLOT', draft.id]]) await facilitator.data(LINK, { input: { activityId, kind, targetId } });
    const labels = async (client: GraphQLClient) => (await client.data(PLAN, { year })).workPlan.objectives[0].activities[0].links.map((l: any) => l.label);
    expect(await labels(member)).toEqual(['Acceso restringido', 'Acceso restringido']);
    expect(await labels(facilitator)).toEqual(['Ronda para Haití', 'Votación de prueba']);
    const res = await fetch(`${api.url}/exports/workplan/${year}.xlsx?language=es`, { headers: { cookie: member.cookie } });
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(Buffer.from(await res.arrayBuffer()) as never);
    const links = String(book.worksheets[0].getRow(3).getCell(11).value);
    expect(links).toContain('Acceso restringido');
    expect(links).not.toContain('Haití');
  });
});

describe('the spreadsheet', () => {
  it('has a row per activity under its objective, real dates, progress as a percentage, overdue, partners and links, in the language asked for', async () => {
    const res = await fetch(`${api.url}/exports/workplan/2012.xlsx?language=en`, { headers: { cookie: member.cookie } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(res.headers.get('content-disposition')).toContain('work-plan-2012.xlsx');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(Buffer.from(await res.arrayBuffer()) as never);
    const sheet = book.getWorksheet('2012')!;
    expect(sheet.getCell('A1').value).toBe('SPWG LAC work plan 2012');
    expect((sheet.getRow(2).values as unknown[]).slice(1)).toEqual(['No.', 'Objective', 'Activity', 'Responsible partners', 'Person responsible', 'Start', 'End', 'Status', 'Progress', 'Overdue', 'Linked to']);
    const rows = Array.from({ length: sheet.rowCount - 2 }, (_, i) => sheet.getRow(i + 3));
    expect(rows.map((r) => r.getCell(1).value)).toEqual(['1.1', '2.1', '3.1', '4.1', '4.2', '4.3', '5.1']);
    const consultation = rows[0];
    expect(consultation.getCell(4).value).toBe('COPEME, REDCAMIF, RFR');
    expect(consultation.getCell(6).value).toEqual(new Date('2012-01-09T00:00:00Z'));
    expect(consultation.getCell(8).value).toBe('In progress');
    expect(consultation.getCell(9).value).toBe(0.6);
    expect(consultation.getCell(9).numFmt).toBe('0%');
    // Still in progress, its end long past: overdue by today's clock. A done one is not.
    expect(consultation.getCell(10).value).toBe('Overdue');
    expect(rows[1].getCell(10).value ?? '').toBe('');
    expect(String(consultation.getCell(11).value)).toMatch(/\/rounds\/[0-9a-f-]{36}>/);
    expect(String(rows[6].getCell(11).value)).toContain('SPWG LAC annual regional meeting');
  });

  it('is the working group’s: a stakeholder is refused, signed out is asked to sign in, an unknown year or language is refused', async () => {
    expect((await fetch(`${api.url}/exports/workplan/2012.xlsx`, { headers: { cookie: stakeholder.cookie } })).status).toBe(403);
    expect((await fetch(`${api.url}/exports/workplan/2012.xlsx`)).status).toBe(401);
    expect((await fetch(`${api.url}/exports/workplan/2001.xlsx`, { headers: { cookie: member.cookie } })).status).toBe(404);
    expect((await fetch(`${api.url}/exports/workplan/2012.xlsx?language=de`, { headers: { cookie: member.cookie } })).status).toBe(400);
    const es = await fetch(`${api.url}/exports/workplan/2012.xlsx`, { headers: { cookie: facilitator.cookie } });
    expect(es.headers.get('content-disposition')).toContain('plan-de-trabajo-2012.xlsx');
  });
});

describe('the demo', () => {
  it('holds the working group’s 2012 plan: five objectives, seven activities, linked to the demo’s rounds, ballots, meetings and an action item', async () => {
    const { workPlan } = await member.data(PLAN, { year: 2012 });
    expect(workPlan.objectives.map((o: any) => o.activities.length)).toEqual([1, 1, 1, 3, 1]);
    const all = workPlan.objectives.flatMap((o: any) => o.activities);
    expect(all.map((a: any) => a.status)).toEqual(['IN_PROGRESS', 'DONE', 'PLANNED', 'DONE', 'DONE', 'DONE', 'DONE']);
    expect(all.filter((a: any) => a.overdue)).toHaveLength(2);
    expect(all[0].links.map((l: any) => l.kind)).toEqual(['ROUND', 'BALLOT', 'BALLOT']);
    expect(all[2].links).toEqual([expect.objectContaining({ kind: 'ACTION_ITEM', label: 'Proponer tres instituciones para el piloto de certificación' })]);
    expect(all[6].links[0]).toMatchObject({ kind: 'MEETING', label: 'Reunión regional anual del SPWG LAC' });
    expect(all.every((a: any) => a.partners.length > 0)).toBe(true);
  });
});
