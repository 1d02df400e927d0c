import { z } from 'zod';

const flag = z
  .enum(['true', 'false', '1', '0', ''])
  .transform((v) => v === 'true' || v === '1');

/** A rate limit written `points/seconds`, e.g. `10/900`: at most 10 within 15 minutes. */
const rate = z
  .string()
  .regex(/^\d+\/\d+$/, 'must be written points/seconds, e.g. 10/900')
  .transform((v) => {
    const [points, seconds] = v.split('/').map(Number);
    return { points, seconds };
  })
  .refine((r) => r.points >= 1 && r.seconds >= 1, 'points and seconds must be at least 1');

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  API_HOST: z.string().min(1).default('0.0.0.0'),
  API_PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  /** Where the browser reaches the platform; used in invitation links and cookie security. */
  PUBLIC_URL: z.url().default('http://localhost:3000'),
  /** A PostgreSQL server (15+). Unset: the embedded PGlite database under DATA_DIR. */
  DATABASE_URL: z.url().optional(),
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
  DATA_DIR: z.string().min(1).default('.data'),
  /** `demo` loads the demo data on the first start of an empty database. */
  SEED: z.enum(['demo', 'none']).optional(),
  GRAPHQL_INTROSPECTION: flag.optional(),
  /** The mail server (`smtp://user:pass@host:587`, `smtps://…`). Unset: outside production, the development mailbox at /dev/mailbox; in production, the log. */
  SMTP_URL: z.string().optional(),
  SMTP_FROM: z.string().default('Consulta <no-reply@consulta.local>'),
  SESSION_TTL_HOURS: z.coerce.number().int().min(1).max(24 * 365).default(24 * 14),
  INVITATION_TTL_HOURS: z.coerce.number().int().min(1).max(24 * 90).default(24 * 7),
  REDIS_URL: z.string().optional(),
  /** Rounds whose indicator tree each API process keeps in memory (see rounds/round-trees.ts). */
  ROUND_TREE_CACHE_ROUNDS: z.coerce.number().int().min(1).max(10_000).default(64),
  /** How long `live_event` keeps an event: long enough for any client to come back and catch up. */
  LIVE_EVENT_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  /** How long a sent (or given up) e-mail is kept in `mail_message`; deleted hourly after that. */
  MAIL_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  /** The hour (UTC, 0–23) of the daily notification digest: it gathers what came before it (notifications/notification-digest.ts). */
  NOTIFICATION_DIGEST_HOUR: z.coerce.number().int().min(0).max(23).default(7),
  /** How long an idempotency key is honoured: longer than any phone stays offline with a write waiting; deleted hourly after that. */
  IDEMPOTENCY_KEY_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** argon2id memory cost in KiB; OWASP's minimum is 19 MiB. */
  PASSWORD_HASH_MEMORY_KIB: z.coerce.number().int().min(19456).default(65536),
  /**
   * Which proxies may set X-Forwarded-For (Express's `trust proxy`): the client IP that rate limits
   * count by. `loopback` when the web server runs beside the API; a hop count (`1`) or subnets otherwise.
   */
  TRUST_PROXY: z
    .string()
    .default('loopback')
    .transform((v): boolean | number | string => (v === 'true' ? true : v === 'false' ? false : /^\d+$/.test(v) ? Number(v) : v)),
  /** Per-operation limits checked before anything runs (graphql-armor). */
  GRAPHQL_MAX_DEPTH: z.coerce.number().int().min(2).max(100).default(12),
  GRAPHQL_MAX_ALIASES: z.coerce.number().int().min(0).max(1000).default(30),
  GRAPHQL_MAX_DIRECTIVES: z.coerce.number().int().min(0).max(1000).default(50),
  GRAPHQL_MAX_TOKENS: z.coerce.number().int().min(100).max(100_000).default(5000),
  GRAPHQL_MAX_COST: z.coerce.number().int().min(100).max(10_000_000).default(20000),
  /** The largest request body the API reads, in bytes; bigger ones get 413. */
  GRAPHQL_MAX_BODY_BYTES: z.coerce.number().int().min(1024).max(50 * 1024 * 1024).default(1024 * 1024),
  /**
   * Failed sign-ins (auth/sign-in.service.ts). From a browser not known for the e-mail: per e-mail and
   * network together, where the third and later failures also make the next try wait 1, 2, 4, …
   * seconds; per network (an IPv4 address or an IPv6 /64); and per e-mail from every network. From a
   * browser that signed in to that account before: per browser, past which it counts as unknown.
   */
  RATE_LIMIT_SIGN_IN_EMAIL_NETWORK: rate.default({ points: 10, seconds: 900 }),
  RATE_LIMIT_SIGN_IN_IP: rate.default({ points: 50, seconds: 900 }),
  RATE_LIMIT_SIGN_IN_EMAIL: rate.default({ points: 100, seconds: 900 }),
  RATE_LIMIT_SIGN_IN_DEVICE: rate.default({ points: 10, seconds: 900 }),
  /** Failed sign-ins for one e-mail from one network before each further try waits (1, 2, 4, … seconds). */
  SIGN_IN_FREE_FAILURES: z.coerce.number().int().min(1).max(1_000_000).default(3),
  /** Signs the cookie that marks a browser as known for an account. Unset: a secret the database keeps (auth/device-cookie.ts). */
  DEVICE_COOKIE_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  /** Invites the first admin at start, once, while the instance has no admin (auth/first-admin.ts). */
  ADMIN_EMAIL: z.email({ message: 'must be an e-mail address' }).transform((v) => v.trim().toLowerCase()).optional(),
  /** Failed invitation previews and acceptances per client IP (guessing tokens). */
  RATE_LIMIT_INVITATION_IP: rate.default({ points: 30, seconds: 900 }),
  /** Sign-ups (accounts/registration.service.ts) per e-mail address and per network, answered or not. */
  RATE_LIMIT_SIGN_UP_EMAIL: rate.default({ points: 3, seconds: 3600 }),
  RATE_LIMIT_SIGN_UP_IP: rate.default({ points: 20, seconds: 3600 }),
  /** Password-reset requests per e-mail address and per network, whether an account has the address or not. */
  RATE_LIMIT_PASSWORD_RESET_EMAIL: rate.default({ points: 3, seconds: 3600 }),
  RATE_LIMIT_PASSWORD_RESET_IP: rate.default({ points: 20, seconds: 3600 }),
  /** Failed uses of confirmation and reset links per client IP (guessing tokens). */
  RATE_LIMIT_ACCOUNT_LINK_IP: rate.default({ points: 30, seconds: 900 }),
  /** Wrong current passwords when changing one's password, per person. */
  RATE_LIMIT_PASSWORD_CHANGE_USER: rate.default({ points: 10, seconds: 900 }),
  /** Seal verifications (the public page's code lookup) per network: a person checks a few certificates, a script guessing codes many. */
  RATE_LIMIT_SEAL_VERIFICATION_IP: rate.default({ points: 60, seconds: 60 }),
  /** Signed-out searches of the sign-up page's organization list per network: a person searches a few times, a script lists them all. */
  RATE_LIMIT_ORGANIZATION_LOOKUP_IP: rate.default({ points: 60, seconds: 60 }),
  /** How long a sign-up's confirmation link and a password-reset link work. */
  EMAIL_CONFIRMATION_TTL_HOURS: z.coerce.number().int().min(1).max(24 * 30).default(48),
  PASSWORD_RESET_TTL_MINUTES: z.coerce.number().int().min(5).max(24 * 60).default(60),
  /** Comments (and replies) per person. */
  RATE_LIMIT_COMMENT_USER: rate.default({ points: 30, seconds: 300 }),
  /**
   * Where uploaded files' bytes are kept (storage/file-store.ts): `filesystem` under FILE_STORE_DIR
   * (default `<DATA_DIR>/files`), or `s3`, an S3-compatible bucket (AWS S3, MinIO, Ceph, Garage…)
   * that several API machines share, named by the S3_* settings.
   */
  FILE_STORE: z.enum(['filesystem', 's3']).default('filesystem'),
  FILE_STORE_DIR: z.string().min(1).optional(),
  /** The bucket's endpoint, e.g. https://s3.eu-west-3.amazonaws.com or http://minio:9000; AWS's own when omitted. */
  S3_ENDPOINT: z.string().url().optional(),
  S3_REGION: z.string().min(1).default('us-east-1'),
  S3_BUCKET: z.string().min(3).max(63).optional(),
  /** Put before each file's hash, to share a bucket, e.g. `consulta/files/`. */
  S3_PREFIX: z.string().max(200).default(''),
  S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  /** Bucket in the path (`endpoint/bucket/key`), as most S3-compatible servers want, rather than in the host name. */
  S3_FORCE_PATH_STYLE: flag.default(true),
  /** The largest certification evidence file taken, in bytes (10 MB by default). */
  EVIDENCE_MAX_BYTES: z.coerce.number().int().min(1024).max(100 * 1024 * 1024).default(10 * 1024 * 1024),
  /** The most an uploaded spreadsheet (an evidence XLSX or a filled questionnaire) may say it unpacks to, in bytes, and the most any part of it may grow when unpacked (ratio). */
  XLSX_MAX_UNPACKED_BYTES: z.coerce.number().int().min(1024 * 1024).max(1024 * 1024 * 1024).default(100 * 1024 * 1024),
  XLSX_MAX_RATIO: z.coerce.number().int().min(10).max(10_000).default(200),
});

export type Config = z.infer<typeof schema> & {
  introspection: boolean;
  seed: 'demo' | 'none';
  secureCookies: boolean;
};

/** Reads and validates the environment once; a bad value names the variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== ''));
  const parsed = schema.safeParse(cleaned);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(`${issue.path.join('.')}: ${issue.message}`);
  }
  const c = parsed.data;
  if (c.FILE_STORE === 's3' && !(c.S3_BUCKET && c.S3_ACCESS_KEY_ID && c.S3_SECRET_ACCESS_KEY)) {
    throw new ConfigError('FILE_STORE: s3 needs S3_BUCKET, S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY');
  }
  const production = c.NODE_ENV === 'production';
  return {
    ...c,
    introspection: c.GRAPHQL_INTROSPECTION ?? !production,
    seed: c.SEED ?? (production ? 'none' : 'demo'),
    secureCookies: new URL(c.PUBLIC_URL).protocol === 'https:',
  };
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}
