/**
 * Who may call each GraphQL operation: one row per Query and Mutation field.
 * authorization-matrix.test.ts calls every row as each caller and fails when a field has no row.
 *
 * Adding an operation? Add one object to `queries` or `mutations`:
 *   myMutation: {
 *     minimum: Role.FACILITATOR,                       // or 'public', 'signedIn'
 *     document: `mutation($input: MyInput!) { myMutation(input: $input) { id } }`,
 *     variables: async (fx) => ({ input: { roundId: await fx.id(Round, { state: 'OPEN' }), ... } }),
 *   },
 * Variables are named after the field's arguments (the hostile-input test reuses them), and are made
 * fresh for every call, so a call that succeeded (a duplicate name, a used token) does not spoil the next.
 * For a rule finer than a role (my own comment, my organization's ballot), state it in `rule` and give
 * the outcome per caller in `cells`, e.g. `{ otherOrganization: 'FORBIDDEN' }` or `'NOT_FOUND'`.
 */
import { randomBytes } from 'node:crypto';
import { Role, User } from '../../../api/src/users/user.entity.js';
import { grants } from '../../../api/src/auth/roles.js';
import type { GraphQLClient } from '../../support/client.js';
import { ballotMutations, ballotQueries } from '../ballots/authorization-rows.js';
import { exportMutations, exportQueries } from '../exports/authorization-rows.js';
import { liveQueries } from '../live/authorization-rows.js';
import { analysisMutations, analysisQueries } from '../analysis/authorization-rows.js';
import { frameworkMutations, frameworkQueries } from '../frameworks/authorization-rows.js';
import { consultationMutations, consultationQueries } from '../comments/authorization-rows.js';
import { auditQueries } from '../audit/authorization-rows.js';
import { releaseMutations, releaseQueries } from '../releases/authorization-rows.js';
import { roundSetupMutations } from '../rounds/authorization-rows.js';
import { revisionQueries } from '../revisions/authorization-rows.js';
import { certificationMutations, certificationQueries } from '../certification/authorization-rows.js';
import { meetingMutations, meetingQueries } from '../meetings/authorization-rows.js';
import { workPlanMutations, workPlanQueries } from '../workplan/authorization-rows.js';
import { accountMutations, accountQueries } from '../accounts/authorization-rows.js';
import { notificationMutations, notificationQueries } from '../notifications/authorization-rows.js';
import { directoryQueries, participationMutations, participationQueries, privacyMutations, privacyQueries } from '../participation/authorization-rows.js';
import { demo, DEMO_PASSWORD, type TestApi } from '../../support/api.js';

import { callers, type Caller, type Fixtures, type OperationRow, type Outcome } from './operation-row.js';
export { callers, type Caller, type Fixtures, type OperationRow, type Outcome, type Vars } from './operation-row.js';

const inviteInput = (fx: Fixtures) => ({ input: { email: `invitee.${fx.unique()}@example.org`, name: 'Persona Invitada', roles: ['STAKEHOLDER'], language: 'ES' } });

export const queries: Record<string, OperationRow> = {
  me: { minimum: 'public', document: `{ me { id } }` },
  offlineKey: { minimum: 'signedIn', rule: 'only my own key (the same in each of my sessions: auth/offline-key.test.ts)', document: `{ offlineKey }` },
  invitation: {
    minimum: 'public',
    rule: 'anyone holding the token (rate-limited per IP)',
    document: `query($token: String!) { invitation(token: $token) { email } }`,
    variables: async (fx) => ({ token: await fx.invitationToken() }),
  },
  pendingInvitations: { minimum: Role.FACILITATOR, document: `{ pendingInvitations { id email } }` },
  ...ballotQueries,
  ...exportQueries,
  ...liveQueries,
  ...analysisQueries,
  ...frameworkQueries,
  ...consultationQueries,
  ...auditQueries,
  ...releaseQueries,
  ...revisionQueries,
  ...certificationQueries,
  ...meetingQueries,
  ...workPlanQueries,
  ...accountQueries,
  ...notificationQueries,
  ...participationQueries,
  ...directoryQueries,
  ...privacyQueries,
};

export const mutations: Record<string, OperationRow> = {
  signIn: {
    minimum: 'public',
    document: `mutation($input: SignInInput!) { signIn(input: $input) { id } }`,
    variables: () => ({ input: { email: demo.stakeholderEn, password: DEMO_PASSWORD } }),
    changesSession: true,
  },
  signOut: {
    minimum: 'public',
    rule: 'true even without a session',
    document: `mutation { signOut }`,
    changesSession: true,
    unaudited: 'ends only this browser’s session; signing in is audited',
  },
  acceptInvitation: {
    minimum: 'public',
    rule: 'anyone holding an unused, unexpired token',
    document: `mutation($input: AcceptInvitationInput!) { acceptInvitation(input: $input) { id } }`,
    variables: async (fx) => ({ input: { token: await fx.invitationToken(), password: 'una-clave-larga-y-mia', name: 'Persona Invitada' } }),
    changesSession: true,
  },
  inviteUser: {
    minimum: Role.FACILITATOR,
    rule: 'only an admin may invite an admin (tested in auth/auth.test.ts)',
    document: `mutation($input: InviteInput!) { inviteUser(input: $input) { invitation { id } } }`,
    variables: inviteInput,
  },
  setUserRoles: {
    minimum: Role.ADMIN,
    document: `mutation($userId: ID!, $input: SetRolesInput!) { setUserRoles(userId: $userId, input: $input) { id roles } }`,
    // a person outside the callers, given the roles they already have
    variables: async (fx) => ({ userId: await fx.id(User, { email: 'parceira@consulta.demo' }), input: { roles: ['STAKEHOLDER'] } }),
  },
  updateMyPreferences: {
    minimum: 'signedIn',
    document: `mutation($input: PreferencesInput!) { updateMyPreferences(input: $input) { id language } }`,
    variables: () => ({ input: { language: 'ES' } }),
    unaudited: 'a personal display preference',
  },
  signOutEverywhere: { minimum: 'signedIn', document: `mutation { signOutEverywhere }`, changesSession: true },
  createOrganization: {
    minimum: Role.FACILITATOR,
    document: `mutation($input: OrganizationInput!) { createOrganization(input: $input) { id } }`,
    variables: (fx) => ({ input: { name: `Cooperativa Prueba ${fx.unique()}`, acronym: 'CP', kind: 'MFI', country: 'PE' } }),
  },
  updateOrganization: {
    minimum: Role.ADMIN,
    document: `mutation($id: ID!, $input: OrganizationInput!) { updateOrganization(id: $id, input: $input) { id } }`,
    // rewrites an organization with its own values, so the demo data stays as it was
    variables: async (fx) => ({
      id: (await fx.em().findOneOrFail(User, { email: demo.stakeholderEn })).organization!.id,
      input: { name: 'Calificadora Social Andina', acronym: 'CSA', kind: 'RATING_AGENCY', country: 'PE' },
    }),
  },
  ...ballotMutations,
  ...exportMutations,
  ...analysisMutations,
  ...frameworkMutations,
  ...consultationMutations,
  ...roundSetupMutations,
  ...releaseMutations,
  ...certificationMutations,
  ...meetingMutations,
  ...workPlanMutations,
  ...accountMutations,
  ...notificationMutations,
  ...participationMutations,
  ...privacyMutations,
};

/** Mutations anyone may call, without `@Authorized`; every other mutation must carry it. */
export const PUBLIC_MUTATIONS = ['signIn', 'signOut', 'acceptInvitation', 'signUp', 'confirmEmail', 'requestPasswordReset', 'resetPassword', 'unsubscribeFromNotifications'];

/** What `row` implies for `caller`. */
export function expectedOutcome(row: OperationRow, caller: Caller): Outcome {
  const cell = row.cells?.[caller];
  if (cell) return cell;
  if (row.minimum === 'public') return 'allowed';
  if (caller === 'anonymous') return 'UNAUTHENTICATED';
  if (row.minimum === 'signedIn') return 'allowed';
  return grants(callers[caller].roles, [row.minimum]) ? 'allowed' : 'FORBIDDEN';
}

/** Signed-in clients per caller (reused until a call changes the session) and the fixtures rows use. */
export function matrixHarness(api: TestApi) {
  const signedIn = new Map<Caller, GraphQLClient>();
  const clientFor = async (caller: Caller): Promise<GraphQLClient> => {
    if (caller === 'anonymous') return api.client();
    let c = signedIn.get(caller);
    if (!c) {
      c = await api.as(callers[caller].email);
      signedIn.set(caller, c);
    }
    return c;
  };
  const fx: Fixtures = {
    api,
    em: () => api.db.orm.em.fork(),
    id: async (entity, where) => {
      const found = await api.db.orm.em.fork().findOne(entity, where);
      if (!found) throw new Error(`fixture: no ${entity.name} matches ${JSON.stringify(where)}`);
      return (found as unknown as { id: string }).id;
    },
    setup: (caller = 'admin') => api.as(callers[caller].email),
    unique: () => randomBytes(4).toString('hex'),
    invitationToken: async () => {
      const facilitator = await clientFor('facilitator');
      const { inviteUser } = await facilitator.data(`mutation($input: InviteInput!) { inviteUser(input: $input) { link } }`, {
        input: { email: `invitee.${fx.unique()}@example.org`, name: 'Persona Invitada' },
      });
      return inviteUser.link.split('/').pop();
    },
  };
  return { fx, clientFor, forget: (caller: Caller) => void signedIn.delete(caller) };
}
