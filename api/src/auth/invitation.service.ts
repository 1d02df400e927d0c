import type { EntityManager } from '@mikro-orm/postgresql';
import { audit } from '../audit/audit.service.js';
import type { AppServices } from '../context.js';
import { DomainError, ErrorCode, badInput, conflict, forbidden, notFound } from '../errors.js';
import { Organization } from '../organizations/organization.entity.js';
import { Role, User } from '../users/user.entity.js';
import type { AcceptInvitationInput, InviteInput } from './auth.inputs.js';
import { adminExists } from './first-admin.js';
import { Invitation } from './invitation.entity.js';
import { checkPasswordPolicy } from './password.js';
import { invitationMail } from './invitation-mail.js';
import { queueMail } from '../mail/mail.service.js';
import { hashToken, newToken } from './session.service.js';
import type { Viewer } from './viewer.js';

export async function invite(
  em: EntityManager,
  app: AppServices,
  inviter: Viewer,
  input: InviteInput,
) {
  const email = input.email.trim().toLowerCase();
  const roles = [...new Set(input.roles)];
  if (!inviter.has(Role.ADMIN) && roles.some((r) => r === Role.ADMIN || r === Role.FACILITATOR || r === Role.CERTIFICATION_COMMITTEE)) {
    throw forbidden('Only an admin can invite facilitators, certification committee members or admins', 'ROLE_REQUIRED');
  }
  if (await em.count(User, { email })) {
    throw conflict(`${email} already has an account`, { reason: 'ACCOUNT_EXISTS', fields: [{ field: 'email', message: 'already has an account' }] });
  }
  const organization = input.organizationId ? await em.findOne(Organization, { id: input.organizationId }) : null;
  if (input.organizationId && !organization) throw badInput('organizationId', 'No such organization', 'NOT_FOUND');

  const token = newToken();
  const ttl = app.config.INVITATION_TTL_HOURS;
  const invitation = em.create(Invitation, {
    tokenHash: hashToken(token),
    email,
    name: input.name.trim(),
    organization,
    roles,
    language: input.language,
    invitedBy: inviter.id,
    expiresAt: new Date(Date.now() + ttl * 3600_000),
  });
  audit(em, { actorId: inviter.id, action: 'invitation.created', subjectType: 'Invitation', subjectId: invitation.id, data: { email, roles } });
  await em.flush();

  const link = new URL(`/invitation/${token}`, app.config.PUBLIC_URL).toString();
  // Queued in this transaction: a rolled-back invitation never e-mails a dead link.
  await queueMail(em, { key: `invitation:${invitation.id}`, kind: 'invitation', to: email, language: input.language, content: invitationMail(input.language, invitation.name, link, ttl) });
  return { invitation, emailed: app.mail.delivers, link: app.mail.delivers ? null : link };
}

async function openInvitation(em: EntityManager, token: string) {
  const invitation = await em.findOne(Invitation, { tokenHash: hashToken(token) }, { populate: ['organization'] });
  if (!invitation) throw notFound('Invitation');
  if (invitation.acceptedAt) {
    throw new DomainError(ErrorCode.BAD_USER_INPUT, 'This invitation has already been used; sign in instead', {
      reason: 'INVITATION_USED',
      fields: [{ field: 'token', message: 'already used' }],
    });
  }
  if (invitation.expiresAt <= new Date()) {
    throw new DomainError(ErrorCode.BAD_USER_INPUT, 'This invitation has expired; ask the facilitator for a new one', {
      reason: 'INVITATION_EXPIRED',
      fields: [{ field: 'token', message: 'expired' }],
    });
  }
  // The instance's own invitation of its first admin opens only while it still has none: no standing way in.
  if (!invitation.invitedBy && (await adminExists(em))) {
    throw conflict('This invitation was for the first admin, and there is one now; ask an admin for an invitation', {
      reason: 'FIRST_ADMIN_EXISTS',
      fields: [{ field: 'token', message: 'no longer valid' }],
    });
  }
  return invitation;
}

export async function previewInvitation(em: EntityManager, token: string) {
  const invitation = await openInvitation(em, token);
  return {
    email: invitation.email,
    name: invitation.name,
    organizationName: invitation.organization?.getEntity().name ?? null,
    language: invitation.language,
    expiresAt: invitation.expiresAt,
  };
}

/** Creates the account the invitation describes; the caller signs the person in. */
export async function acceptInvitation(em: EntityManager, app: AppServices, input: AcceptInvitationInput) {
  const invitation = await openInvitation(em, input.token);
  checkPasswordPolicy(input.password);
  if (await em.count(User, { email: invitation.email })) {
    throw conflict(`${invitation.email} already has an account; sign in instead`, { reason: 'ACCOUNT_EXISTS' });
  }
  // Claim the invitation with a conditional update so two concurrent accepts cannot both win.
  const claimed = await em.nativeUpdate(Invitation, { id: invitation.id, acceptedAt: null }, { acceptedAt: new Date() });
  if (claimed !== 1) throw badInput('token', 'This invitation has already been used; sign in instead', 'INVITATION_USED');
  const user = em.create(User, {
    email: invitation.email,
    name: input.name?.trim() || invitation.name,
    organization: invitation.organization ?? null,
    roles: invitation.roles,
    language: invitation.language,
    passwordHash: await app.hasher.hash(input.password),
  });
  audit(em, { actorId: user.id, action: 'invitation.accepted', subjectType: 'Invitation', subjectId: invitation.id, data: { userId: user.id } });
  await em.flush();
  return user;
}

export function listInvitations(em: EntityManager) {
  return em.find(Invitation, { acceptedAt: null, expiresAt: { $gt: new Date() } }, { orderBy: { createdAt: 'desc' } });
}
