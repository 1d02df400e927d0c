import { createHmac, timingSafeEqual } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { reads } from '../db/reads.js';
import { badInput } from '../errors.js';
import { NotificationKind } from './notification.entity.js';

/** What one unsubscribe link stops: one kind, or (from a daily digest) every kind the person gets in digests. */
export type UnsubscribeScope = NotificationKind | 'DIGEST';

/**
 * The signed token of a one-click unsubscribe link (RFC 8058): `<person>.<scope>.<HMAC>`, keyed by
 * a secret the instance made at its migration. It needs no session, so it works signed out and
 * from a mail provider's one-click button; only Consulta can make one, so nobody can stop another
 * person's mail by guessing. It does not expire: a link in an old mail keeps working.
 */
export async function unsubscribeToken(em: EntityManager, userId: string, scope: UnsubscribeScope): Promise<string> {
  return (await unsubscribeTokens(em, scope))(userId);
}

/** `unsubscribeToken` for many people, the instance's secret read once. */
export async function unsubscribeTokens(em: EntityManager, scope: UnsubscribeScope): Promise<(userId: string) => string> {
  const key = await secret(em);
  return (userId) => `${userId}.${scope}.${sign(key, userId, scope)}`;
}

/** The person and scope a token names, or BAD_USER_INPUT on `token` for anything not made by `unsubscribeToken`. */
export async function openUnsubscribeToken(em: EntityManager, token: string): Promise<{ userId: string; scope: UnsubscribeScope }> {
  const [userId, scope, signature, ...rest] = token.split('.');
  const scopes: string[] = [...Object.values(NotificationKind), 'DIGEST'];
  const expected = Buffer.from(userId && scope && scopes.includes(scope) ? sign(await secret(em), userId, scope) : '');
  const given = Buffer.from(signature ?? '');
  if (rest.length || !given.length || given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw badInput('token', 'This unsubscribe link is not valid');
  }
  return { userId, scope: scope as UnsubscribeScope };
}

const sign = (key: string, userId: string, scope: string) => createHmac('sha256', key).update(`unsubscribe\n${userId}\n${scope}`).digest('base64url');

async function secret(em: EntityManager): Promise<string> {
  const row = await reads(em).selectFrom('instance_secret').select('value').where('name', '=', 'notification_unsubscribe').executeTakeFirstOrThrow();
  return row.value;
}
