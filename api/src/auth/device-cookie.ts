import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { reads } from '../db/reads.js';
import type { Config } from '../config.js';

/**
 * OWASP's device cookie: a browser that has signed in to an account gets a signed note saying so,
 * and its later sign-ins to that account are counted apart from everyone else's. Guessing a
 * person's password from elsewhere then slows the guesser without stopping the person at their
 * own browser. The cookie holds one entry per account signed in from this browser (the newest
 * few): a random id, an expiry, and an HMAC binding both to the account's e-mail, which the
 * cookie itself does not reveal.
 */
export const DEVICE_COOKIE = 'consulta_device';

const LIFETIME_DAYS = 365;
/** Accounts one browser is remembered for (a family or office computer). */
const ACCOUNTS_PER_BROWSER = 5;
const MAX_COOKIE_LENGTH = 1000;

export interface DeviceCookie {
  value: string;
  expiresAt: Date;
}

/** The secret that signs device cookies: DEVICE_COOKIE_SECRET, or the one the database made for this instance. */
export async function deviceCookieSecret(em: EntityManager, config: Config): Promise<string> {
  if (config.DEVICE_COOKIE_SECRET) return config.DEVICE_COOKIE_SECRET;
  const row = await reads(em).selectFrom('instance_secret').select('value').where('name', '=', 'device_cookie').executeTakeFirstOrThrow();
  return row.value;
}

/** The id of this browser's entry for `email`, when the cookie holds a genuine, unexpired one. */
export function knownDevice(cookie: string | null, email: string, secret: string, now = new Date()): string | null {
  return entries(cookie).find((e) => e.expires > now.getTime() && signatureMatches(e, email, secret))?.id ?? null;
}

/** The cookie after a sign-in to `email`: a fresh entry for it first, then the others still valid. */
export function rememberDevice(cookie: string | null, email: string, secret: string, now = new Date()): DeviceCookie {
  const expiresAt = new Date(now.getTime() + LIFETIME_DAYS * 86_400_000);
  const entry = { id: randomBytes(16).toString('base64url'), expires: expiresAt.getTime() };
  const fresh = `${entry.id}.${entry.expires.toString(36)}.${sign(entry, email, secret)}`;
  const others = entries(cookie).filter((e) => e.expires > now.getTime() && !signatureMatches(e, email, secret));
  return { value: [fresh, ...others.map((e) => e.raw)].slice(0, ACCOUNTS_PER_BROWSER).join('~'), expiresAt };
}

interface Entry {
  raw: string;
  id: string;
  expires: number;
  signature: string;
}

function entries(cookie: string | null): Entry[] {
  if (!cookie || cookie.length > MAX_COOKIE_LENGTH) return [];
  return cookie.split('~').flatMap((raw) => {
    const m = /^([\w-]{22})\.([0-9a-z]{1,12})\.([\w-]{43})$/.exec(raw);
    return m ? [{ raw, id: m[1], expires: parseInt(m[2], 36), signature: m[3] }] : [];
  });
}

function sign(entry: { id: string; expires: number }, email: string, secret: string): string {
  return createHmac('sha256', secret).update(`${email}\n${entry.id}\n${entry.expires}`).digest('base64url');
}

function signatureMatches(entry: Entry, email: string, secret: string): boolean {
  return timingSafeEqual(Buffer.from(entry.signature), Buffer.from(sign(entry, email, secret)));
}
