import type { EntityManager } from '@mikro-orm/postgresql';
import { audit } from '../audit/audit.service.js';
import { revokeAllSessions } from '../auth/session.service.js';
import type { Viewer } from '../auth/viewer.js';
import { badInput, notFound } from '../errors.js';
import { Locale, Role, User } from './user.entity.js';

export async function setRoles(em: EntityManager, actor: Viewer, userId: string, roles: Role[]) {
  const user = await em.findOne(User, { id: userId });
  if (!user) throw notFound('User', userId);
  const next = [...new Set(roles)];
  if (user.id === actor.id && !next.includes(Role.ADMIN)) {
    throw badInput('roles', 'You cannot remove your own ADMIN role; ask another admin', 'SELF_DEMOTION');
  }
  const before = user.roles;
  user.roles = next;
  audit(em, { actorId: actor.id, action: 'user.roles_changed', subjectType: 'User', subjectId: user.id, data: { before, after: next } });
  await em.flush();
  return user;
}

export async function setLanguage(em: EntityManager, viewer: Viewer, language: Locale) {
  const user = await em.findOneOrFail(User, { id: viewer.id });
  user.language = language;
  await em.flush();
  return user;
}

export async function signOutEverywhere(em: EntityManager, viewer: Viewer) {
  const count = await revokeAllSessions(em, viewer.id);
  audit(em, { actorId: viewer.id, action: 'user.signed_out_everywhere', subjectType: 'User', subjectId: viewer.id, data: { sessions: count } });
  await em.flush();
  return count;
}
