import type { EntityManager } from '@mikro-orm/postgresql';
import { audit } from '../audit/audit.service.js';
import { checkPasswordPolicy } from '../auth/password.js';
import { Session } from '../auth/session.entity.js';
import type { Viewer } from '../auth/viewer.js';
import type { AppServices } from '../context.js';
import { DomainError, ErrorCode } from '../errors.js';
import { reads } from '../db/reads.js';
import { rowDate } from '../db/row-date.js';
import { User } from '../users/user.entity.js';
import type { ChangePasswordInput, UpdateAccountInput } from './account.inputs.js';

/** The account page's name and language. */
export async function updateAccount(em: EntityManager, viewer: Viewer, input: UpdateAccountInput) {
  const user = await em.findOneOrFail(User, { id: viewer.id });
  const before = { name: user.name, language: user.language };
  user.name = input.name.trim();
  user.language = input.language;
  audit(em, { actorId: viewer.id, action: 'account.updated', subjectType: 'User', subjectId: viewer.id, data: { before, after: { name: user.name, language: user.language } } });
  await em.flush();
  return user;
}

/** A new password, given the current one; every other session of the account ends. Wrong current passwords are counted per person. */
export async function changePassword(em: EntityManager, app: AppServices, viewer: Viewer, input: ChangePasswordInput) {
  await app.rateLimits.passwordChange.consume(viewer.id);
  const user = await em.findOneOrFail(User, { id: viewer.id }, { populate: ['passwordHash'] });
  if (!(await app.hasher.verify(user.passwordHash, input.currentPassword))) {
    throw new DomainError(ErrorCode.BAD_USER_INPUT, 'The current password is wrong', { reason: 'WRONG_PASSWORD', fields: [{ field: 'currentPassword', message: 'wrong password' }] });
  }
  await app.rateLimits.passwordChange.reward(viewer.id);
  checkPasswordPolicy(input.newPassword, 'newPassword');
  user.passwordHash = await app.hasher.hash(input.newPassword);
  const ended = await em.nativeUpdate(Session, { user: viewer.id, revokedAt: null, tokenHash: { $ne: viewer.sessionTokenHash } }, { revokedAt: new Date() });
  audit(em, { actorId: viewer.id, action: 'account.password_changed', subjectType: 'User', subjectId: viewer.id, data: { otherSessionsEnded: ended } });
  await em.flush();
  return true;
}

/** My open sessions, newest first. */
export async function mySessions(em: EntityManager, viewer: Viewer) {
  const rows = await reads(em)
    .selectFrom('session')
    .select(['token_hash', 'created_at', 'expires_at'])
    .where('user_id', '=', viewer.id)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', new Date().toISOString())
    .orderBy('created_at', 'desc')
    .execute();
  return rows.map((r) => ({ id: r.token_hash.slice(0, 12), createdAt: rowDate(r.created_at), expiresAt: rowDate(r.expires_at), current: r.token_hash === viewer.sessionTokenHash }));
}
