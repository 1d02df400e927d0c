import { createHash, randomBytes } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { preparedRows, reads } from '../db/reads.js';
import type { AppUser, Organization as OrganizationRow } from '../db/tables.js';
import { definePruning } from '../jobs/tasks.js';
import { Organization } from '../organizations/organization.entity.js';
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
 * Every column of the user and organization tables, named once each: a column added, renamed or
 * dropped by a migration fails the build here (`tables.ts`), so the viewer is never mapped from half
 * a row. The password hash stays out, as the entity's lazy property does.
 */
const userColumns = Object.keys({
  id: 1, name: 1, email: 1, organization_id: 1, roles: 1, language: 1, active: 1, country: 1, email_confirmed_at: 1,
  suspended_at: 1, suspended_by: 1, suspension_reason: 1, created_at: 1,
} satisfies Record<Exclude<keyof AppUser, 'password_hash'>, 1>) as (keyof AppUser)[];
const organizationColumns = Object.keys({
  id: 1, name: 1, acronym: 1, kind: 1, country: 1, accredited: 1, created_at: 1,
} satisfies Record<keyof OrganizationRow, 1>) as (keyof OrganizationRow)[];

/**
 * The viewer behind a session token, or null when it is unknown, expired, revoked or the account is
 * disabled. Every request asks, so it is one prepared statement (the ORM's query builder cost more
 * than the read: 7% of the API's CPU on the round page), which also reads the viewer's organization:
 * writing a comment snapshots it and a round's audience is checked against it. The user is mapped to
 * a managed entity, its organization first so that the relation is loaded: mutations merge the user
 * into their transaction.
 */
export async function viewerForToken(em: EntityManager, token: string | undefined): Promise<Viewer | null> {
  if (!token || token.length > 100) return null;
  const tokenHash = hashToken(token);
  const [row] = await preparedRows(
    em,
    'viewer-for-token',
    reads(em)
      .selectFrom('session as s')
      .innerJoin('app_user as u', 'u.id', 's.user_id')
      .leftJoin('organization as o', 'o.id', 'u.organization_id')
      .select(userColumns.map((c) => `u.${c}` as const))
      .select(organizationColumns.map((c) => `o.${c} as organization__${c}` as const))
      .where('s.token_hash', '=', tokenHash)
      .where('s.revoked_at', 'is', null)
      .where('s.expires_at', '>', new Date().toISOString())
      .where('u.active', '=', true),
  );
  if (!row) return null;
  const own: Record<string, unknown> = {};
  const organization: Record<string, unknown> = {};
  for (const [column, value] of Object.entries(row)) {
    if (column.startsWith('organization__')) organization[column.slice('organization__'.length)] = value;
    else own[column] = value;
  }
  if (organization.id != null) em.map(Organization, organization);
  return new Viewer(em.map(User, own), tokenHash);
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
