import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { audit } from '../audit/audit.service.js';
import type { AppServices } from '../context.js';
import { DomainError, ErrorCode } from '../errors.js';
import { networkOf } from '../limits/rate-limits.js';
import { User } from '../users/user.entity.js';
import { deviceCookieSecret, knownDevice, rememberDevice, type DeviceCookie } from './device-cookie.js';
import { createSession } from './session.service.js';

export interface SignInAttempt {
  email: string;
  password: string;
  ip: string;
  /** The device cookie the browser sent, if any. */
  deviceCookie: string | null;
}

export interface SignedIn {
  user: User;
  session: { token: string; expiresAt: Date };
  /** The browser's device cookie from now on. */
  device: DeviceCookie;
}

/**
 * Checks an e-mail and password and opens a session. A wrong password and an unknown account get
 * the same answer in the same time. Failures are counted in one of two lanes (OWASP's device-cookie
 * pattern): a browser that signed in to this account before is counted on its own, so someone
 * guessing the password elsewhere never locks the owner out there; every other browser is counted
 * per e-mail and network (with a growing wait), per network and per e-mail. A known browser that
 * fails too often is counted as an unknown one.
 */
export async function signInWithPassword(em: EntityManager, app: AppServices, attempt: SignInAttempt): Promise<SignedIn> {
  const email = attempt.email.trim().toLowerCase();
  const secret = await deviceCookieSecret(em, app.config);
  const lane = await countAttempt(app, email, attempt.ip, knownDevice(attempt.deviceCookie, email, secret));

  const user = await em.findOne(User, { email }, { populate: ['passwordHash'] });
  if (!(await app.hasher.verify(user?.passwordHash, attempt.password)) || !user?.passwordHash) {
    await lane.failed();
    throw new DomainError(ErrorCode.UNAUTHENTICATED, 'Wrong e-mail or password', { reason: 'INVALID_CREDENTIALS' });
  }
  await lane.succeeded();
  // Said only to whoever knows the password: a suspended account, or one whose sign-up is not confirmed yet.
  if (!user.active) throw new DomainError(ErrorCode.UNAUTHENTICATED, 'This account is suspended', { reason: 'ACCOUNT_SUSPENDED' });
  if (!user.emailConfirmedAt) throw new DomainError(ErrorCode.UNAUTHENTICATED, 'Confirm your e-mail first: follow the link we sent', { reason: 'EMAIL_UNCONFIRMED' });
  // Every account's check then costs what an unknown account's does, whatever the settings were when it was made.
  if (app.hasher.needsRehash(user.passwordHash)) user.passwordHash = await app.hasher.hash(attempt.password);
  const session = await createSession(em, user, app.config.SESSION_TTL_HOURS);
  audit(em, { actorId: user.id, action: 'user.signed_in', subjectType: 'User', subjectId: user.id, data: { ip: attempt.ip } });
  await em.flush();
  return { user, session, device: rememberDevice(attempt.deviceCookie, email, secret) };
}

interface Lane {
  failed(): Promise<void>;
  succeeded(): Promise<void>;
}

/** Counts the attempt before checking it, so a burst of parallel guesses cannot slip past; a success gives it back. */
async function countAttempt(app: AppServices, email: string, ip: string, deviceId: string | null): Promise<Lane> {
  const limits = app.rateLimits;
  if (deviceId) {
    try {
      await limits.signInDevice.consume(deviceId);
      return { failed: async () => undefined, succeeded: () => limits.signInDevice.reward(deviceId) };
    } catch (err) {
      if (!(err instanceof DomainError && err.code === ErrorCode.RATE_LIMITED)) throw err;
    }
  }
  // E-mails are kept hashed in the counters: shorter keys, and no address list in the store.
  const account = createHash('sha256').update(email).digest('base64url');
  const network = networkOf(ip);
  const pair = `${account} ${network}`;
  await limits.signInEmailNetwork.consume(pair);
  await limits.signInIp.consume(network);
  await limits.signInEmail.consume(account);
  return {
    failed: () => limits.signInEmailNetwork.fail(pair),
    succeeded: async () => {
      await Promise.all([limits.signInEmailNetwork.reward(pair), limits.signInIp.reward(network), limits.signInEmail.reward(account)]);
    },
  };
}
