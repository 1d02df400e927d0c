import type { EntityManager } from '@mikro-orm/postgresql';
import { audit } from '../audit/audit.service.js';
import { revokeAllSessions } from '../auth/session.service.js';
import type { Viewer } from '../auth/viewer.js';
import { badInput, forbidden, notFound } from '../errors.js';
import { Role, User } from '../users/user.entity.js';

const STAFF = [Role.FACILITATOR, Role.ADMIN, Role.CERTIFICATION_COMMITTEE];

/**
 * Suspends an account: its sessions end at once, it cannot sign in (so it writes nothing), and its
 * comments stay in the record, marked as from a suspended account. Facilitators suspend participants;
 * only an admin suspends staff; nobody suspends themselves.
 */
export async function suspendUser(em: EntityManager, actor: Viewer, userId: string, reason: string) {
  const user = await em.findOne(User, { id: userId });
  if (!user) throw notFound('User', userId);
  if (user.id === actor.id) throw badInput('userId', 'You cannot suspend your own account', 'SELF_SUSPENSION');
  if (!actor.has(Role.ADMIN) && user.roles.some((r) => STAFF.includes(r))) throw forbidden('Only an admin suspends facilitators, committee members or admins', 'ROLE_REQUIRED');
  if (!user.active) return user;
  Object.assign(user, { active: false, suspendedAt: new Date(), suspendedBy: actor.id, suspensionReason: reason.trim() });
  const ended = await revokeAllSessions(em, user.id);
  audit(em, { actorId: actor.id, action: 'user.suspended', subjectType: 'User', subjectId: user.id, data: { reason: user.suspensionReason, sessionsEnded: ended } });
  await em.flush();
  return user;
}

export async function reinstateUser(em: EntityManager, actor: Viewer, userId: string) {
  const user = await em.findOne(User, { id: userId });
  if (!user) throw notFound('User', userId);
  if (!actor.has(Role.ADMIN) && user.roles.some((r) => STAFF.includes(r))) throw forbidden('Only an admin reinstates facilitators, committee members or admins', 'ROLE_REQUIRED');
  if (user.active) return user;
  const suspendedAt = user.suspendedAt;
  Object.assign(user, { active: true, suspendedAt: null, suspendedBy: null, suspensionReason: null });
  audit(em, { actorId: actor.id, action: 'user.reinstated', subjectType: 'User', subjectId: user.id, data: { suspendedAt } });
  await em.flush();
  return user;
}
