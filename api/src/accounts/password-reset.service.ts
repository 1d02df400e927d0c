import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { audit } from '../audit/audit.service.js';
import { checkPasswordPolicy } from '../auth/password.js';
import { createSession, revokeAllSessions } from '../auth/session.service.js';
import type { AppServices } from '../context.js';
import { defineTask, enqueue } from '../jobs/tasks.js';
import { networkOf } from '../limits/rate-limits.js';
import { renderMail } from '../mail/mail-content.js';
import { queueMail } from '../mail/mail.service.js';
import { User } from '../users/user.entity.js';
import { issueLink, openLink, spendLink } from './account-links.js';
import { AccountTokenPurpose } from './account-token.entity.js';
import { addressKey } from './registration.service.js';

/**
 * "Forgot password": the request only counts and enqueues, the same for a known and an unknown
 * address, so neither its answer nor its time tells which; the job mails a link when an active
 * account has the address, and does nothing otherwise.
 */
export async function requestPasswordReset(em: EntityManager, app: AppServices, email: string, ip: string): Promise<void> {
  const address = email.trim().toLowerCase();
  await app.rateLimits.passwordResetIp.consume(networkOf(ip));
  await app.rateLimits.passwordResetEmail.consume(addressKey(address));
  await enqueue(em, passwordResetTask, { requestId: randomUUID(), email: address });
}

export const passwordResetTask = defineTask<{ requestId: string; email: string }>('accounts:password-reset', async ({ requestId, email }, { em, app }) => {
  await em.transactional(async (tx) => {
    const user = await tx.findOne(User, { email, active: true });
    if (!user) return;
    const minutes = app.config.PASSWORD_RESET_TTL_MINUTES;
    const token = await issueLink(tx, user, AccountTokenPurpose.RESET_PASSWORD, minutes * 60_000);
    await tx.flush();
    const link = new URL(`/reset-password?token=${encodeURIComponent(token)}`, app.config.PUBLIC_URL).toString();
    await queueMail(tx, {
      key: `password-reset:${requestId}`,
      kind: 'passwordReset',
      to: user.email,
      userId: user.id,
      language: user.language,
      content: renderMail(user.language, 'passwordReset', { name: user.name, minutes }, { actionUrl: link }),
    });
  });
});

/**
 * Sets a new password from a reset link: every session of the account ends (whoever else was in is
 * out), the address counts as confirmed (the link reached it), and the person is signed in.
 */
export async function resetPassword(em: EntityManager, app: AppServices, token: string, password: string) {
  checkPasswordPolicy(password);
  const link = await openLink(em, token, AccountTokenPurpose.RESET_PASSWORD);
  await spendLink(em, link);
  const user = link.user.getEntity();
  user.passwordHash = await app.hasher.hash(password);
  user.emailConfirmedAt ??= new Date();
  const ended = await revokeAllSessions(em, user.id);
  audit(em, { actorId: user.id, action: 'account.password_reset', subjectType: 'User', subjectId: user.id, data: { sessionsEnded: ended } });
  const session = await createSession(em, user, app.config.SESSION_TTL_HOURS);
  await em.flush();
  return { user, session };
}
