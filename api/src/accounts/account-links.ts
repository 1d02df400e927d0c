import type { EntityManager } from '@mikro-orm/postgresql';
import { hashToken, newToken } from '../auth/session.service.js';
import { reads } from '../db/reads.js';
import { DomainError, ErrorCode, notFound } from '../errors.js';
import { definePruning } from '../jobs/tasks.js';
import type { User } from '../users/user.entity.js';
import { AccountToken, AccountTokenPurpose } from './account-token.entity.js';

/** A new single-use link's token for `user`; earlier unused ones for the same purpose stop working. */
export async function issueLink(em: EntityManager, user: User, purpose: AccountTokenPurpose, ttlMs: number): Promise<string> {
  await em.nativeUpdate(AccountToken, { user: user.id, purpose, usedAt: null }, { usedAt: new Date() });
  const token = newToken();
  em.create(AccountToken, { tokenHash: hashToken(token), user, purpose, expiresAt: new Date(Date.now() + ttlMs) });
  return token;
}

/** The account behind a link that is known, unused, unexpired and of this purpose; otherwise a refusal naming `token`. */
export async function openLink(em: EntityManager, token: string, purpose: AccountTokenPurpose) {
  const link = await em.findOne(AccountToken, { tokenHash: hashToken(token), purpose }, { populate: ['user', 'user.passwordHash'] });
  if (!link || !link.user.getEntity().active) throw notFound('Link');
  if (link.usedAt) throw linkRefusal('This link was used already', 'LINK_USED');
  if (link.expiresAt <= new Date()) throw linkRefusal('This link has expired', 'LINK_EXPIRED');
  return link;
}

/** Marks the link used, once: of two requests racing with the same link, only one gets past. */
export async function spendLink(em: EntityManager, link: AccountToken): Promise<void> {
  const claimed = await em.nativeUpdate(AccountToken, { tokenHash: link.tokenHash, usedAt: null }, { usedAt: new Date() });
  if (claimed !== 1) throw linkRefusal('This link was used already', 'LINK_USED');
}

const linkRefusal = (message: string, reason: 'LINK_USED' | 'LINK_EXPIRED') =>
  new DomainError(ErrorCode.BAD_USER_INPUT, message, { reason, fields: [{ field: 'token', message }] });

/**
 * Deletes the links that expired before `before`, spent or not: each names an account, and past its
 * expiry it only ever answers "expired". A week's grace keeps that answer for the late clicker.
 */
export async function pruneAccountLinks(em: EntityManager, before: Date): Promise<number> {
  const gone = await reads(em).deleteFrom('account_token').where('expires_at', '<', before.toISOString()).executeTakeFirst();
  return Number(gone.numDeletedRows);
}

export const accountLinkPruning = definePruning('accounts:prune-links', 'expired account links', () => 7, pruneAccountLinks);
