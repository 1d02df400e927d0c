import { createHash, randomBytes } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { reads } from '../db/reads.js';
import { definePruning } from '../jobs/tasks.js';
import { User } from '../users/user.entity.js';
import { Session } from './session.entity.js';
import { Viewer } from './viewer.js';

export const SESSION_COOKIE = 'consulta_session';

export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');
export const newToken = () => randomBytes(32).toString('base64url');

export async function createSession(em: EntityManager, user: User, ttlHours: number) {
  const token = newToken();
  const expiresAt = new Date(Date.now() + ttlHours * 3600_000);
  em.create(Session, { tokenHash: hashToken(token), user, expiresAt });
  return { token, expiresAt };
}

/**
 * The viewer behind a session token, or null when it is unknown, expired, revoked or the account is
 * disabled. Every request asks: one statement, which also reads the viewer's organization (writing
 * a comment snapshots it and a round's audience is checked against it). The user is a managed
 * entity: mutations merge it into their transaction.
 */
export async function viewerForToken(em: EntityManager, token: string | undefined): Promise<Viewer | null> {
  if (!token || token.length > 100) return null;
  const tokenHash = hashToken(token);
  const session = await em.findOne(
    Session,
    { tokenHash, revokedAt: null, expiresAt: { $gt: new Date() }, user: { active: true } },
    { populate: ['user.organization'], strategy: 'joined' },
  );
  return session ? new Viewer(session.user.getEntity(), tokenHash) : null;
}

export async function revokeSession(em: EntityManager, tokenHash: string) {
  await em.nativeUpdate(Session, { tokenHash, revokedAt: null }, { revokedAt: new Date() });
}

/** Signs a person out on every device. */
export async function revokeAllSessions(em: EntityManager, userId: string) {
  return em.nativeUpdate(Session, { user: userId, revokedAt: null }, { revokedAt: new Date() });
}

/**
 * Deletes the sessions that expired or were revoked before `before`: they open nothing any more, and
 * each keeps a person's sign-in time. A week's grace leaves the recent ones in the person's data export.
 */
export async function pruneSessions(em: EntityManager, before: Date): Promise<number> {
  const at = before.toISOString();
  const gone = await reads(em)
    .deleteFrom('session')
    .where((eb) => eb.or([eb('expires_at', '<', at), eb('revoked_at', '<', at)]))
    .executeTakeFirst();
  return Number(gone.numDeletedRows);
}

export const sessionPruning = definePruning('auth:prune-sessions', 'ended sessions', () => 7, pruneSessions);
