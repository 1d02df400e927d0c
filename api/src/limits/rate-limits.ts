import { Redis } from 'ioredis';
import { isIPv6 } from 'node:net';
import pg from 'pg';
import {
  RateLimiterMemory,
  RateLimiterPostgres,
  RateLimiterRedis,
  RateLimiterRes,
  type RateLimiterAbstract,
} from 'rate-limiter-flexible';
import type { Config } from '../config.js';
import { DomainError, ErrorCode } from '../errors.js';

/** Counts attempts per key in a window shared by every API process. */
export interface RateLimiter {
  /** Counts one attempt; throws RATE_LIMITED (with `retryAfterSeconds`) once the window's allowance is spent. */
  consume(key: string): Promise<void>;
  /** Gives back one attempt, e.g. after a sign-in that succeeded, so only failures add up. */
  reward(key: string): Promise<void>;
}

/** A rate limiter that also makes a key wait longer and longer after each failure past the first few. */
export interface BackoffLimiter extends RateLimiter {
  /** Also throws RATE_LIMITED while the key waits. */
  consume(key: string): Promise<void>;
  /** Counts the attempt as failed: from the SIGN_IN_FREE_FAILURES-th failure in the window on (the third by default), the next waits 1, 2, 4, … seconds (never past the window). */
  fail(key: string): Promise<void>;
  /** Gives back one attempt and ends the run of failures and any wait. */
  reward(key: string): Promise<void>;
}

export interface RateLimits {
  /** Failed sign-ins for one e-mail from one network, from browsers not known for it (`email network`). */
  signInEmailNetwork: BackoffLimiter;
  /** Failed sign-ins from one network (see `networkOf`), from browsers not known for the e-mail. */
  signInIp: RateLimiter;
  /** Failed sign-ins for one e-mail from every network, from browsers not known for it. */
  signInEmail: RateLimiter;
  /** Failed sign-ins from one known browser (its device cookie's id). */
  signInDevice: RateLimiter;
  /** Failed invitation previews and acceptances per client IP. */
  invitationIp: RateLimiter;
  /** Sign-ups per e-mail (hashed) and per network, counted whether the address has an account or not. */
  signUpEmail: RateLimiter;
  signUpIp: RateLimiter;
  /** Password-reset requests per e-mail (hashed) and per network, counted whether the address has an account or not. */
  passwordResetEmail: RateLimiter;
  passwordResetIp: RateLimiter;
  /** Failed uses of confirmation and reset links per client IP. */
  accountLinkIp: RateLimiter;
  /** Wrong current passwords per person when changing their password. */
  passwordChange: RateLimiter;
  /** Seal verifications by code, per network (`verifySeal`, signed out too). */
  sealVerificationIp: RateLimiter;
  /** Signed-out lookups of the sign-up page's organizations, per network (`signUpOrganizations`). */
  organizationLookupIp: RateLimiter;
  /** Comments and replies per person: `await ctx.app.rateLimits.comment.consume(viewer.id)`. */
  comment: RateLimiter;
  /** Where the counters live, for the start-up line. */
  store: 'postgresql' | 'redis' | 'memory';
  close(): Promise<void>;
}

/** The table made by Migration20261128005000RateLimits; rate-limiter-flexible's own layout. */
export const RATE_LIMIT_TABLE = 'rate_limit';

/**
 * Counters in Redis when REDIS_URL is set, otherwise in PostgreSQL (one upsert per attempt).
 * If the store cannot be reached, an in-process counter with the same allowance stands in,
 * so a Redis outage neither opens the gates nor locks everyone out.
 */
export function createRateLimits(config: Config, { embedded = false } = {}): RateLimits {
  const redis = config.REDIS_URL ? new Redis(config.REDIS_URL, { enableOfflineQueue: false, maxRetriesPerRequest: 1 }) : null;
  // The embedded database serves one process and one transaction at a time: a counter on a
  // second connection would wait behind the mutation's own transaction, so count in memory.
  const inMemory = !redis && embedded;
  // Its own two connections, not the ORM's pool: a mutation counts inside its transaction, and were
  // every pooled connection held by such a transaction, the counter would wait for ever for one.
  const pool = !redis && !inMemory ? new pg.Pool({ connectionString: config.DATABASE_URL, max: 2 }) : null;
  // An idle connection the server dropped (a restart) is discarded by the pool; the next count opens another.
  pool?.on('error', () => undefined);

  const counter = (keyPrefix: string, { points, seconds }: { points: number; seconds: number }): RateLimiterAbstract => {
    const options = { keyPrefix, points, duration: seconds, insuranceLimiter: new RateLimiterMemory({ keyPrefix, points, duration: seconds }) };
    return inMemory
      ? options.insuranceLimiter
      : redis
      ? new RateLimiterRedis({ ...options, storeClient: redis })
      : new RateLimiterPostgres({ ...options, storeClient: pool, storeType: 'pool', tableName: RATE_LIMIT_TABLE, tableCreated: true, clearExpiredByTimeout: true });
  };

  const limiter = (keyPrefix: string, rate: { points: number; seconds: number }): RateLimiter => {
    const store = counter(keyPrefix, rate);
    return {
      consume: async (key) => {
        try {
          await store.consume(key);
        } catch (err) {
          if (!(err instanceof RateLimiterRes)) throw err;
          throw rateLimited(err.msBeforeNext);
        }
      },
      reward: async (key) => {
        await store.reward(key);
      },
    };
  };

  const backoff = (keyPrefix: string, rate: { points: number; seconds: number }): BackoffLimiter => {
    const attempts = limiter(keyPrefix, rate);
    const failures = counter(`${keyPrefix}_failed`, rate);
    // A key that must wait is one blocked in this second store for the wait's length.
    const waits = counter(`${keyPrefix}_wait`, { points: 1, seconds: rate.seconds });
    return {
      consume: async (key) => {
        const wait = await waits.get(key);
        if (wait && wait.consumedPoints > 1 && wait.msBeforeNext > 0) throw rateLimited(wait.msBeforeNext);
        await attempts.consume(key);
      },
      fail: async (key) => {
        const { consumedPoints } = await failures.penalty(key, 1);
        if (consumedPoints >= config.SIGN_IN_FREE_FAILURES) {
          await waits.block(key, Math.min(2 ** (consumedPoints - config.SIGN_IN_FREE_FAILURES), rate.seconds));
        }
      },
      reward: async (key) => {
        await Promise.all([attempts.reward(key), failures.delete(key), waits.delete(key)]);
      },
    };
  };

  return {
    signInEmailNetwork: backoff('sign_in_email_network', config.RATE_LIMIT_SIGN_IN_EMAIL_NETWORK),
    signInIp: limiter('sign_in_ip', config.RATE_LIMIT_SIGN_IN_IP),
    signInEmail: limiter('sign_in_email', config.RATE_LIMIT_SIGN_IN_EMAIL),
    signInDevice: limiter('sign_in_device', config.RATE_LIMIT_SIGN_IN_DEVICE),
    invitationIp: limiter('invitation_ip', config.RATE_LIMIT_INVITATION_IP),
    comment: limiter('comment_user', config.RATE_LIMIT_COMMENT_USER),
    signUpEmail: limiter('sign_up_email', config.RATE_LIMIT_SIGN_UP_EMAIL),
    signUpIp: limiter('sign_up_ip', config.RATE_LIMIT_SIGN_UP_IP),
    passwordResetEmail: limiter('password_reset_email', config.RATE_LIMIT_PASSWORD_RESET_EMAIL),
    passwordResetIp: limiter('password_reset_ip', config.RATE_LIMIT_PASSWORD_RESET_IP),
    accountLinkIp: limiter('account_link_ip', config.RATE_LIMIT_ACCOUNT_LINK_IP),
    passwordChange: limiter('password_change_user', config.RATE_LIMIT_PASSWORD_CHANGE_USER),
    sealVerificationIp: limiter('seal_verification_ip', config.RATE_LIMIT_SEAL_VERIFICATION_IP),
    organizationLookupIp: limiter('organization_lookup_ip', config.RATE_LIMIT_ORGANIZATION_LOOKUP_IP),
    store: redis ? 'redis' : inMemory ? 'memory' : 'postgresql',
    close: async () => {
      if (redis) await redis.quit().catch(() => redis.disconnect());
      await pool?.end();
    },
  };
}

function rateLimited(msBeforeNext: number): DomainError {
  const retryAfterSeconds = Math.max(1, Math.ceil(msBeforeNext / 1000));
  return new DomainError(ErrorCode.RATE_LIMITED, `Too many attempts; try again in ${retryAfterSeconds} seconds`, {
    reason: 'RATE_LIMITED',
    retryAfterSeconds,
  });
}

/**
 * The network a client address belongs to, as limits count it: an IPv4 address itself (a household
 * or an office behind one address), an IPv6 address's /64 (what one subscriber is given).
 */
export function networkOf(ip: string): string {
  const address = ip.replace(/%.*$/, '');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1];
  if (!isIPv6(address)) return address;
  const [head, tail = ''] = address.toLowerCase().split('::');
  const left = head ? head.split(':') : [];
  const right = address.includes('::') ? (tail ? tail.split(':') : []) : [];
  const groups = [...left, ...Array(8 - left.length - right.length).fill('0'), ...right];
  return `${groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, '')).join(':')}::/64`;
}
