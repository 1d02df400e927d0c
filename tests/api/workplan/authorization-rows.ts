/**
 * The work plan's rows of the authorization matrix (authorization/authorization-matrix.ts). Reading
 * is for the working group (members) and the facilitators: a stakeholder is refused. The rows share
 * one plan per test API (a year is taken once), adding objectives and activities to it; a plan the
 * matrix creates takes a year no plan has.
 */
import { Role } from '../../../api/src/users/user.entity.js';
import { Meeting, MeetingKind } from '../../../api/src/meetings/meeting.entity.js';
import type { Fixtures, OperationRow } from '../authorization/operation-row.js';
import type { TestApi } from '../../support/api.js';
import { ADD_ACTIVITY, ADD_OBJECTIVE, CREATE_PLAN, LINK, activityFields } from './fixtures.js';

const YEAR = 2099;
const shared = new WeakMap<TestApi, Promise<{ planId: string; objectiveId: string }>>();

/** The matrix's plan (2099) with one objective, made once per test API. */
function sharedPlan(fx: Fixtures) {
  let made = shared.get(fx.api);
  if (!made) {
    made = (async () => {
      const facilitator = await fx.setup('facilitator');
      const plan = (await facilitator.data(CREATE_PLAN, { input: { year: YEAR, title: { es: 'Plan de la matriz' } } })).createWorkPlan;
      const objective = (await facilitator.data(ADD_OBJECTIVE, { input: { planId: plan.id, title: { es: 'Objetivo' } } })).addWorkObjective;
      return { planId: plan.id, objectiveId: objective.id };
    })();
    shared.set(fx.api, made);
  }
  return made;
}

const handedOut = new WeakMap<TestApi, Set<number>>();

/** A year with no plan yet and not handed to another call, so that an allowed caller's plan is made. */
async function freeYear(fx: Fixtures): Promise<number> {
  const given = handedOut.get(fx.api) ?? new Set([YEAR]);
  handedOut.set(fx.api, given);
  const { workPlans } = await (await fx.setup('facilitator')).data<{ workPlans: { year: number }[] }>(`{ workPlans { year } }`);
  const taken = new Set([...given, ...workPlans.map((p) => p.year)]);
  const year = Array.from({ length: 101 }, (_, i) => 2000 + i).find((y) => !taken.has(y));
  if (year === undefined) throw new Error('every year from 2000 to 2100 has a plan');
  given.add(year);
  return year;
}

async function newActivity(fx: Fixtures): Promise<string> {
  const { objectiveId } = await sharedPlan(fx);
  return (await (await fx.setup('facilitator')).data(ADD_ACTIVITY, { input: { objectiveId, ...activityFields(YEAR) } })).addWorkActivity.id;
}

const WORKING_GROUP = 'working-group members and facilitators; a stakeholder is FORBIDDEN (WORKING_GROUP_ONLY)';

export const workPlanQueries: Record<string, OperationRow> = {
  workPlans: { minimum: 'signedIn', rule: WORKING_GROUP, cells: { stakeholder: 'FORBIDDEN' }, document: `{ workPlans { id year } }` },
  workPlan: {
    minimum: 'signedIn',
    rule: WORKING_GROUP,
    cells: { stakeholder: 'FORBIDDEN' },
    document: `query($year: Int!) { workPlan(year: $year) { id objectives { activities { id overdue partners { id } links { id label path } } } } }`,
    variables: async (fx) => {
      await sharedPlan(fx);
      return { year: YEAR };
    },
  },
};

export const workPlanMutations: Record<string, OperationRow> = {
  createWorkPlan: {
    minimum: Role.FACILITATOR,
    rule: 'a year takes one plan: another try for a taken year is CONFLICT WORK_PLAN_EXISTS',
    document: `mutation($input: CreateWorkPlanInput!) { createWorkPlan(input: $input) { id } }`,
    variables: async (fx) => ({ input: { year: await freeYear(fx), title: { es: 'Plan' } } }),
  },
  addWorkObjective: {
    minimum: Role.FACILITATOR,
    document: `mutation($input: AddWorkObjectiveInput!) { addWorkObjective(input: $input) { id } }`,
    variables: async (fx) => ({ input: { planId: (await sharedPlan(fx)).planId, title: { es: 'Otro objetivo' } } }),
  },
  updateWorkObjective: {
    minimum: Role.FACILITATOR,
    document: `mutation($input: UpdateWorkObjectiveInput!) { updateWorkObjective(input: $input) { id } }`,
    variables: async (fx) => ({ input: { id: (await sharedPlan(fx)).objectiveId, title: { en: 'Objective' } } }),
  },
  addWorkActivity: {
    minimum: Role.FACILITATOR,
    document: ADD_ACTIVITY,
    variables: async (fx) => ({ input: { objectiveId: (await sharedPlan(fx)).objectiveId, ...activityFields(YEAR) } }),
  },
  updateWorkActivity: {
    minimum: Role.FACILITATOR,
    document: `mutation($input: UpdateWorkActivityInput!) { updateWorkActivity(input: $input) { id } }`,
    variables: async (fx) => ({ input: { id: await newActivity(fx), ...activityFields(YEAR, { status: 'IN_PROGRESS', progress: 40 }) } }),
  },
  linkWorkActivity: {
    minimum: Role.FACILITATOR,
    document: `mutation($input: LinkWorkActivityInput!) { linkWorkActivity(input: $input) { id } }`,
    variables: async (fx) => ({ input: { activityId: await newActivity(fx), kind: 'MEETING', targetId: await fx.id(Meeting, { kind: MeetingKind.ANNUAL_MEETING }) } }),
  },
  unlinkWorkActivity: {
    minimum: Role.FACILITATOR,
    document: `mutation($linkId: ID!) { unlinkWorkActivity(linkId: $linkId) { id } }`,
    variables: async (fx) => {
      const activityId = await newActivity(fx);
      const link = (await (await fx.setup('facilitator')).data(LINK, { input: { activityId, kind: 'MEETING', targetId: await fx.id(Meeting, { kind: MeetingKind.ANNUAL_MEETING }) } })).linkWorkActivity;
      return { linkId: link.id };
    },
  },
};
