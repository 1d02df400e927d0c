/**
 * The accounts operations' rows of the authorization matrix (authorization/authorization-matrix.ts):
 * the development mailbox, self-registration, password reset, the account page and suspension.
 */
import { issueLink } from '../../../api/src/accounts/account-links.js';
import { AccountTokenPurpose } from '../../../api/src/accounts/account-token.entity.js';
import { OrganizationRequest } from '../../../api/src/accounts/organization-request.entity.js';
import { OrganizationKind } from '../../../api/src/organizations/organization.entity.js';
import { Locale, Role, User } from '../../../api/src/users/user.entity.js';
import { DEMO_PASSWORD } from '../../support/api.js';
import { callers, type Caller, type Fixtures, type OperationRow } from '../authorization/operation-row.js';

/** A throwaway account (so no demo account is suspended or renamed), unconfirmed when `confirmed` is false. */
async function person(fx: Fixtures, options: { confirmed?: boolean; active?: boolean } = {}) {
  const em = fx.em();
  const user = em.create(User, {
    email: `cuenta.${fx.unique()}@example.org`,
    name: 'Persona de Paso',
    roles: [Role.STAKEHOLDER],
    passwordHash: await fx.api.app.hasher.hash(DEMO_PASSWORD),
    emailConfirmedAt: options.confirmed === false ? null : new Date(),
    active: options.active ?? true,
    suspendedAt: options.active === false ? new Date() : null,
  });
  await em.flush();
  return { em, user };
}

/** A fresh single-use link for a throwaway account. */
async function link(fx: Fixtures, purpose: AccountTokenPurpose) {
  const { em, user } = await person(fx, { confirmed: purpose === AccountTokenPurpose.RESET_PASSWORD });
  const token = await issueLink(em, user, purpose, 3600_000);
  await em.flush();
  return token;
}

async function pendingRequest(fx: Fixtures) {
  const { em, user } = await person(fx);
  const request = em.create(OrganizationRequest, { name: `Organización ${fx.unique()}`, country: 'PE', kind: OrganizationKind.MFI, requestedBy: user });
  await em.flush();
  return request.id;
}

/** The caller's own name and language, so the call changes nothing others rely on. */
async function ownSettings(fx: Fixtures, caller: Caller) {
  if (caller === 'anonymous') return { input: { name: 'Nadie', language: 'ES' } };
  const user = await fx.em().findOneOrFail(User, { email: callers[caller].email });
  return { input: { name: user.name, language: (user.language as Locale).toUpperCase() } };
}

export const accountQueries: Record<string, OperationRow> = {
  signUpOrganizations: { minimum: 'public', document: `{ signUpOrganizations(search: "a", first: 5) { totalCount nodes { id name country } } }` },
  mySessions: { minimum: 'signedIn', rule: 'only my own sessions', document: `{ mySessions { id current } }` },
  organizationRequests: { minimum: Role.FACILITATOR, document: `{ organizationRequests { id name requestedBy { id } } }` },
  developmentMailbox: { minimum: 'public', rule: 'anyone, outside production and only while no SMTP_URL is set (NOT_FOUND otherwise)', document: `{ developmentMailbox { id subject } }` },
  developmentMailboxMessage: {
    minimum: 'public',
    rule: 'anyone, outside production and only while no SMTP_URL is set (NOT_FOUND otherwise)',
    document: `query($id: ID!) { developmentMailboxMessage(id: $id) { text } }`,
    variables: () => ({ id: '00000000-0000-4000-8000-000000000000' }),
    tolerate: ['NOT_FOUND'],
  },
};

export const accountMutations: Record<string, OperationRow> = {
  signUp: {
    minimum: 'public',
    rule: 'anyone; the same answer whether or not the address has an account',
    document: `mutation($input: SignUpInput!) { signUp(input: $input) }`,
    variables: (fx) => ({ input: { name: 'Persona Registrada', email: `registro.${fx.unique()}@example.org`, password: 'una-clave-larga-2026', country: 'PE', language: 'ES' } }),
    unaudited: 'the job it enqueues makes the account and audits account.registered',
  },
  confirmEmail: {
    minimum: 'public',
    rule: 'anyone holding an unused, unexpired confirmation link and the password chosen at sign-up',
    document: `mutation($token: String!, $password: String!) { confirmEmail(token: $token, password: $password) { id } }`,
    variables: async (fx) => ({ token: await link(fx, AccountTokenPurpose.CONFIRM_EMAIL), password: DEMO_PASSWORD }),
    changesSession: true,
  },
  requestPasswordReset: {
    minimum: 'public',
    rule: 'anyone; the same answer whether or not the address has an account',
    document: `mutation($email: String!) { requestPasswordReset(email: $email) }`,
    variables: (fx) => ({ email: `olvido.${fx.unique()}@example.org` }),
    unaudited: 'it only enqueues the job that mails a link; the reset itself is audited',
  },
  resetPassword: {
    minimum: 'public',
    rule: 'anyone holding an unused, unexpired reset link',
    document: `mutation($input: ResetPasswordInput!) { resetPassword(input: $input) { id } }`,
    variables: async (fx) => ({ input: { token: await link(fx, AccountTokenPurpose.RESET_PASSWORD), password: 'una-clave-nueva-2026' } }),
    changesSession: true,
  },
  updateMyAccount: {
    minimum: 'signedIn',
    rule: 'my own account only',
    document: `mutation($input: UpdateAccountInput!) { updateMyAccount(input: $input) { id } }`,
    variables: (fx, caller) => ownSettings(fx, caller),
  },
  changeMyPassword: {
    minimum: 'signedIn',
    rule: 'my own account only, given its current password',
    document: `mutation($input: ChangePasswordInput!) { changeMyPassword(input: $input) }`,
    variables: () => ({ input: { currentPassword: DEMO_PASSWORD, newPassword: DEMO_PASSWORD } }),
    changesSession: true,
  },
  suspendUser: {
    minimum: Role.FACILITATOR,
    rule: 'only an admin suspends staff; nobody suspends themselves (tested in accounts/password-and-account.test.ts)',
    document: `mutation($userId: ID!, $reason: String!) { suspendUser(userId: $userId, reason: $reason) { id } }`,
    variables: async (fx) => ({ userId: (await person(fx)).user.id, reason: 'Prueba' }),
  },
  reinstateUser: {
    minimum: Role.FACILITATOR,
    document: `mutation($userId: ID!) { reinstateUser(userId: $userId) { id } }`,
    variables: async (fx) => ({ userId: (await person(fx, { active: false })).user.id }),
  },
  approveOrganizationRequest: {
    minimum: Role.FACILITATOR,
    document: `mutation($id: ID!) { approveOrganizationRequest(id: $id) { id } }`,
    variables: async (fx) => ({ id: await pendingRequest(fx) }),
  },
  refuseOrganizationRequest: {
    minimum: Role.FACILITATOR,
    document: `mutation($id: ID!) { refuseOrganizationRequest(id: $id) { id } }`,
    variables: async (fx) => ({ id: await pendingRequest(fx) }),
  },
};
