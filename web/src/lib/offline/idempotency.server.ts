import { createHash } from 'node:crypto';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The idempotency key a form sent with its scripts (a UUID); none from a plain form. */
export function idempotencyKeyOf(data: FormData): string | null {
  const key = String(data.get('idempotencyKey') ?? '');
  return UUID.test(key) ? key : null;
}

/**
 * The key of one write among several one form makes (a rating per practice): the same form key gives
 * the same keys, so the whole form sent again lands once.
 */
export function partKey(key: string | null, part: string): string | null {
  if (!key) return null;
  const hex = createHash('sha256').update(`${key}:${part}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
