import { z } from 'zod';

const flag = z
  .enum(['true', 'false', '1', '0', ''])
  .transform((v) => v === 'true' || v === '1');

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
  SMTP_URL: z.string().optional(),
  SMTP_FROM: z.string().default('Consulta <no-reply@consulta.local>'),
  SESSION_TTL_HOURS: z.coerce.number().int().min(1).max(24 * 365).default(24 * 14),
  INVITATION_TTL_HOURS: z.coerce.number().int().min(1).max(24 * 90).default(24 * 7),
  REDIS_URL: z.string().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** argon2id memory cost in KiB; OWASP's minimum is 19 MiB. */
  PASSWORD_HASH_MEMORY_KIB: z.coerce.number().int().min(19456).default(65536),
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
