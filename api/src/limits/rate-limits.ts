import { Redis } from 'ioredis';
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

export interface RateLimits {
  /** Failed sign-ins per e-mail address (lower-cased). */
  signInEmail: RateLimiter;
  /** Failed sign-ins per client IP. */
  signInIp: RateLimiter;
  /** Failed invitation previews and acceptances per client IP. */
  invitationIp: RateLimiter;
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

  const limiter = (keyPrefix: string, { points, seconds }: { points: number; seconds: number }): RateLimiter => {
    const options = { keyPrefix, points, duration: seconds, insuranceLimiter: new RateLimiterMemory({ keyPrefix, points, duration: seconds }) };
    const store: RateLimiterAbstract = inMemory
      ? options.insuranceLimiter
      : redis
      ? new RateLimiterRedis({ ...options, storeClient: redis })
      : new RateLimiterPostgres({ ...options, storeClient: pool, storeType: 'pool', tableName: RATE_LIMIT_TABLE, tableCreated: true, clearExpiredByTimeout: true });
    return {
      consume: async (key) => {
        try {
          await store.consume(key);
        } catch (err) {
          if (!(err instanceof RateLimiterRes)) throw err;
          const retryAfterSeconds = Math.max(1, Math.ceil(err.msBeforeNext / 1000));
          throw new DomainError(ErrorCode.RATE_LIMITED, `Too many attempts; try again in ${retryAfterSeconds} seconds`, {
            reason: 'RATE_LIMITED',
            retryAfterSeconds,
          });
        }
      },
      reward: async (key) => {
        await store.reward(key);
      },
    };
  };

  return {
    signInEmail: limiter('sign_in_email', config.RATE_LIMIT_SIGN_IN_EMAIL),
    signInIp: limiter('sign_in_ip', config.RATE_LIMIT_SIGN_IN_IP),
    invitationIp: limiter('invitation_ip', config.RATE_LIMIT_INVITATION_IP),
    comment: limiter('comment_user', config.RATE_LIMIT_COMMENT_USER),
    store: redis ? 'redis' : inMemory ? 'memory' : 'postgresql',
    close: async () => {
      if (redis) await redis.quit().catch(() => redis.disconnect());
      await pool?.end();
    },
  };
}
