import type { GraphQLClient } from '../../support/client.js';

export const CREATE_PLAN = `mutation($input: CreateWorkPlanInput!) { createWorkPlan(input: $input) { id year } }`;
export const ADD_OBJECTIVE = `mutation($input: AddWorkObjectiveInput!) { addWorkObjective(input: $input) { id position } }`;
export const ADD_ACTIVITY = `mutation($input: AddWorkActivityInput!) { addWorkActivity(input: $input) { id position status progress overdue } }`;
export const UPDATE_ACTIVITY = `mutation($input: UpdateWorkActivityInput!) { updateWorkActivity(input: $input) { id status progress overdue startsOn endsOn responsiblePerson title { value } partners { acronym } } }`;
export const LINK = `mutation($input: LinkWorkActivityInput!) { linkWorkActivity(input: $input) { id kind targetId label path } }`;
export const UNLINK = `mutation($linkId: ID!) { unlinkWorkActivity(linkId: $linkId) { id links { id } } }`;
export const PLAN = `query($year: Int!) { workPlan(year: $year) { id year xlsxPath title { value }
  objectives { id position title { value } activities { id position title { value } responsiblePerson startsOn endsOn status progress overdue partners { acronym } links { kind targetId label path } } } } }`;

let nextYear = 2040;
/** A year no other test of the file uses. */
export const freshYear = () => nextYear++;

/** An activity's fields, `overrides` on top: a planned one over the given year's spring. */
export function activityFields(year: number, overrides: Record<string, unknown> = {}) {
  return { title: { es: 'Actividad', en: 'Activity' }, partnerIds: [], responsiblePerson: 'Facilitadora', startsOn: `${year}-03-01`, endsOn: `${year}-05-31`, status: 'PLANNED', ...overrides };
}

/** A plan for a fresh year with one objective, made by the facilitator given. */
export async function planWithObjective(facilitator: GraphQLClient, year = freshYear()) {
  const plan = (await facilitator.data(CREATE_PLAN, { input: { year, title: { es: `Plan ${year}` } } })).createWorkPlan;
  const objective = (await facilitator.data(ADD_OBJECTIVE, { input: { planId: plan.id, title: { es: 'Objetivo' } } })).addWorkObjective;
  return { year, planId: plan.id as string, objectiveId: objective.id as string };
}

/** An activity under a fresh plan's objective. */
export async function activity(facilitator: GraphQLClient, overrides: Record<string, unknown> = {}) {
  const { year, objectiveId, planId } = await planWithObjective(facilitator);
  const made = (await facilitator.data(ADD_ACTIVITY, { input: { objectiveId, ...activityFields(year, overrides) } })).addWorkActivity;
  return { year, planId, objectiveId, activityId: made.id as string };
}
