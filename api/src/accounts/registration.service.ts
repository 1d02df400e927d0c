import { createHash, randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { audit } from '../audit/audit.service.js';
import { checkPasswordPolicy } from '../auth/password.js';
import { createSession } from '../auth/session.service.js';
import type { AppServices } from '../context.js';
import { organizationPage } from '../directory/directory.service.js';
import { OrganizationFilter } from '../directory/directory.types.js';
import { DomainError, ErrorCode, badInput } from '../errors.js';
import { defineTask, enqueue } from '../jobs/tasks.js';
import { networkOf } from '../limits/rate-limits.js';
import { renderMail } from '../mail/mail-content.js';
import { queueMail } from '../mail/mail.service.js';
import { Organization, OrganizationKind } from '../organizations/organization.entity.js';
import { Locale, Role, User } from '../users/user.entity.js';
import { issueLink, openLink, spendLink } from './account-links.js';
import { AccountTokenPurpose } from './account-token.entity.js';
import type { SignUpInput, SignUpOrganizationPage } from './account.inputs.js';
import { OrganizationRequest, OrganizationRequestStatus } from './organization-request.entity.js';

/** E-mails are counted hashed: shorter keys, and no address list in the counters' store. */
export const addressKey = (email: string) => createHash('sha256').update(email).digest('base64url');

interface SignUpJob {
  requestId: string;
  name: string;
  email: string;
  passwordHash: string;
  country: string;
  language: Locale;
  organizationId: string | null;
  newOrganization: { name: string; kind: OrganizationKind; country: string } | null;
}

/**
 * A sign-up, answered the same way whether or not the address has an account: the request checks what
 * does not depend on it (the form, the limits), hashes the password in every case, and leaves the rest
 * to a job, so the answer and its time tell nothing. The job makes the account and mails its
 * confirmation link, or mails the owner of an existing account that someone tried. The honeypot
 * field, filled, gets the same answer and nothing is done.
 */
export async function requestSignUp(em: EntityManager, app: AppServices, input: SignUpInput, ip: string): Promise<void> {
  if (input.website?.trim()) {
    app.log.info({ ip }, 'sign-up with the honeypot field filled: ignored');
    return;
  }
  const email = input.email.trim().toLowerCase();
  await app.rateLimits.signUpIp.consume(networkOf(ip));
  await app.rateLimits.signUpEmail.consume(addressKey(email));
  checkPasswordPolicy(input.password);
  if (input.organizationId && input.newOrganization) {
    throw badInput('organizationId', 'Choose a known organization or ask for a new one, not both');
  }
  if (input.organizationId && !(await em.count(Organization, { id: input.organizationId }))) {
    throw badInput('organizationId', 'No such organization', 'UNKNOWN_ORGANIZATION');
  }
  const country = input.country.toUpperCase();
  const job: SignUpJob = {
    requestId: randomUUID(),
    name: input.name.trim(),
    email,
    passwordHash: await app.hasher.hash(input.password),
    country,
    language: input.language,
    organizationId: input.organizationId ?? null,
    newOrganization: input.newOrganization
      ? { name: input.newOrganization.name.trim(), kind: input.newOrganization.kind, country: (input.newOrganization.country ?? country).toUpperCase() }
      : null,
  };
  await enqueue(em, signUpTask, job);
}

/**
 * Makes (or, while unconfirmed, remakes with the latest details) the account and mails its link; for a
 * confirmed account, mails its owner instead. Idempotent: its mail is keyed by the request.
 */
export const signUpTask = defineTask<SignUpJob>('accounts:sign-up', async (job, { em, app }) => {
  await em.transactional(async (tx) => {
    const mailKey = `sign-up:${job.requestId}`;
    const existing = await tx.findOne(User, { email: job.email });
    if (existing?.emailConfirmedAt || (existing && !existing.active)) {
      if (!existing.active) return;
      const link = new URL('/forgot-password', app.config.PUBLIC_URL).toString();
      await queueMail(tx, {
        key: mailKey,
        kind: 'signupExists',
        to: existing.email,
        userId: existing.id,
        language: existing.language,
        content: renderMail(existing.language, 'signupExists', { name: existing.name }, { actionUrl: link }),
      });
      return;
    }
    const organization = job.organizationId ? await tx.findOne(Organization, { id: job.organizationId }) : null;
    // Unconfirmed: the latest sign-up's details replace the earlier ones, and only its link works.
    // Confirming asks for the password too, so a stranger's sign-up with this address never becomes the owner's account.
    const user = existing ?? tx.create(User, { email: job.email, name: job.name, roles: [Role.STAKEHOLDER], emailConfirmedAt: null });
    // Anyone may say they speak for a known organization: until a facilitator confirms it (a join request), they take part as an individual.
    Object.assign(user, { name: job.name, passwordHash: job.passwordHash, country: job.country, language: job.language, organization: null });
    if (existing) await tx.nativeDelete(OrganizationRequest, { requestedBy: existing.id, status: OrganizationRequestStatus.PENDING });
    if (job.newOrganization) tx.create(OrganizationRequest, { ...job.newOrganization, requestedBy: user });
    else if (organization) tx.create(OrganizationRequest, { name: organization.name, country: organization.country, kind: organization.kind, organization, requestedBy: user });
    const token = await issueLink(tx, user, AccountTokenPurpose.CONFIRM_EMAIL, app.config.EMAIL_CONFIRMATION_TTL_HOURS * 3600_000);
    audit(tx, { actorId: user.id, action: 'account.registered', subjectType: 'User', subjectId: user.id, data: { again: Boolean(existing), organizationRequested: Boolean(job.newOrganization), joinRequested: Boolean(!job.newOrganization && organization) } });
    await tx.flush();
    const link = new URL(`/signup/confirm?token=${encodeURIComponent(token)}`, app.config.PUBLIC_URL).toString();
    await queueMail(tx, {
      key: mailKey,
      kind: 'signupConfirm',
      to: user.email,
      userId: user.id,
      language: user.language,
      content: renderMail(user.language, 'signupConfirm', { name: user.name, hours: app.config.EMAIL_CONFIRMATION_TTL_HOURS }, { actionUrl: link }),
    });
  });
});

/**
 * Follows a confirmation link with the password chosen at sign-up (so that only the person who chose
 * it confirms the account, and a mail scanner opening the link confirms nothing); signs them in.
 */
export async function confirmEmail(em: EntityManager, app: AppServices, token: string, password: string) {
  const link = await openLink(em, token, AccountTokenPurpose.CONFIRM_EMAIL);
  const user = link.user.getEntity();
  if (!(await app.hasher.verify(user.passwordHash, password))) {
    throw new DomainError(ErrorCode.BAD_USER_INPUT, 'This is not the password chosen at sign-up', { reason: 'WRONG_PASSWORD', fields: [{ field: 'password', message: 'wrong password' }] });
  }
  await spendLink(em, link);
  user.emailConfirmedAt = new Date();
  audit(em, { actorId: user.id, action: 'account.email_confirmed', subjectType: 'User', subjectId: user.id, data: {} });
  const session = await createSession(em, user, app.config.SESSION_TTL_HOURS);
  await em.flush();
  return { user, session };
}

/**
 * The sign-up page's organization picker: the first by name that the search finds, with the count, as the
 * signed-in pickers read them; only what a person needs to find their own (name and country).
 */
export async function signUpOrganizations(em: EntityManager, search: string | null, first: number): Promise<SignUpOrganizationPage> {
  const { nodes, totalCount } = await organizationPage(em, Object.assign(new OrganizationFilter(), { search }), { first, after: null, before: null });
  return { nodes: nodes.map(({ id, name, country }) => ({ id, name, country })), totalCount };
}
