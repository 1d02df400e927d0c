import type { EntityManager } from '@mikro-orm/postgresql';
import { audit } from '../audit/audit.service.js';
import type { Config } from '../config.js';
import { Locale, Role, User } from '../users/user.entity.js';
import { Invitation } from './invitation.entity.js';
import { invitationMail } from './invitation-mail.js';
import { queueMail } from '../mail/mail.service.js';
import { hashToken, newToken } from './session.service.js';

/** Why no first-admin invitation was made. */
export const FirstAdminRefusal = {
  /** An admin account exists: from then on admins invite admins. */
  ADMIN_EXISTS: 'ADMIN_EXISTS',
  /** A first-admin invitation is still open (ADMIN_EMAIL at a restart); the admin command replaces it. */
  INVITATION_OPEN: 'INVITATION_OPEN',
} as const;
export type FirstAdminRefusal = (typeof FirstAdminRefusal)[keyof typeof FirstAdminRefusal];

export type FirstAdminOutcome =
  | { invited: true; email: string; name: string; language: Locale; link: string; expiresAt: Date; replaced: number }
  | { invited: false; reason: FirstAdminRefusal };

/** How the operator asked: `npm run admin -w api -- create <email>`, or ADMIN_EMAIL at start. */
export type FirstAdminSource = 'command' | 'ADMIN_EMAIL';

/**
 * Invites the first admin of an instance that has none: a one-time link to the invitation page,
 * where they choose their own password. Once an admin account exists it does nothing, and the
 * invitation it made no longer opens, so it is no standing way in. The admin command replaces an
 * open first-admin invitation (the link was lost); ADMIN_EMAIL, read at every start, leaves it be.
 * Each invitation is audit-logged, by no actor; ADMIN_EMAIL's is also e-mailed (the mail queue).
 */
export async function inviteFirstAdmin(em: EntityManager, config: Config, email: string, source: FirstAdminSource): Promise<FirstAdminOutcome> {
  const address = email.trim().toLowerCase();
  return em.transactional(async (tx) => {
    await lockFirstAdmin(tx);
    if (await adminExists(tx)) return { invited: false, reason: FirstAdminRefusal.ADMIN_EXISTS };
    const open = { invitedBy: null, acceptedAt: null, expiresAt: { $gt: new Date() } };
    let replaced = 0;
    if (source === 'ADMIN_EMAIL' && (await tx.count(Invitation, open))) return { invited: false, reason: FirstAdminRefusal.INVITATION_OPEN };
    if (source === 'command') replaced = await tx.nativeUpdate(Invitation, open, { expiresAt: new Date() });

    const token = newToken();
    const invitation = tx.create(Invitation, {
      tokenHash: hashToken(token),
      email: address,
      name: address.split('@')[0],
      organization: null,
      roles: [Role.ADMIN],
      language: Locale.ES,
      invitedBy: null,
      expiresAt: new Date(Date.now() + config.INVITATION_TTL_HOURS * 3600_000),
    });
    audit(tx, {
      actorId: null,
      action: 'invitation.created',
      subjectType: 'Invitation',
      subjectId: invitation.id,
      data: { email: address, roles: [Role.ADMIN], firstAdmin: true, source, replaced },
    });
    await tx.flush();
    const link = new URL(`/invitation/${token}`, config.PUBLIC_URL).toString();
    // At the API's start its job queue sends it; the command prints the link instead.
    if (source === 'ADMIN_EMAIL') {
      await queueMail(tx, { key: `invitation:${invitation.id}`, kind: 'invitation', to: address, language: invitation.language, content: invitationMail(invitation.language, invitation.name, link, config.INVITATION_TTL_HOURS) });
    }
    return { invited: true, email: address, name: invitation.name, language: invitation.language, link, expiresAt: invitation.expiresAt, replaced };
  });
}

/** Serializes every first-admin step across API processes and the admin command. */
async function lockFirstAdmin(tx: EntityManager) {
  await tx.execute(`select pg_advisory_xact_lock(hashtext('consulta:first-admin'))`);
}

/** True once any account holds the admin role; a first-admin invitation then no longer opens (invitation.service.ts). */
export async function adminExists(em: EntityManager): Promise<boolean> {
  return (await em.count(User, { roles: { $contains: [Role.ADMIN] } })) > 0;
}
