import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Refusal, conflict } from '../errors.js';
import { reads } from '../db/reads.js';
import { definePruning } from '../jobs/tasks.js';

/** The writes a person may make offline and send later: each accepts an `idempotencyKey`. */
export type IdempotentOperation = 'addComment' | 'replyToComment' | 'ratePractice' | 'castVote' | 'saveAnswer';

export interface Once<T> {
  result: T;
  /** True when an earlier request with the key wrote it: nothing was written now, so nothing is announced. */
  replayed: boolean;
}

/** The same JSON for the same payload, whatever the order of its keys; null and omitted alike. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([k, v]) => v != null && k !== 'idempotencyKey')
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([k, v]) => [k, canonical(v)]),
    );
  }
  return value;
}

export const payloadHash = (operation: IdempotentOperation, payload: object) =>
  createHash('sha256').update(JSON.stringify([operation, canonical(payload)])).digest('hex');

/**
 * Runs `write` once per (person, key), inside the caller's transaction. The key's row is claimed
 * first with an insert that skips on conflict: a second request with the same key waits on the
 * unique index until the first commits, then finds its row and reads back `reload(result_id)`. If
 * the first rolls back (a refusal), its claim goes with it and the second writes, or is refused, anew.
 * Plain SQL, not an entity: an ORM insert would raise on the conflict and abort the transaction.
 */
export async function once<T extends { id: string }>(
  em: EntityManager,
  userId: string,
  key: string | null | undefined,
  operation: IdempotentOperation,
  payload: object,
  write: () => Promise<T>,
  reload: (id: string) => Promise<T>,
): Promise<Once<T>> {
  if (!key) return { result: await write(), replayed: false };
  const hash = payloadHash(operation, payload);
  const claimed = await reads(em)
    .insertInto('idempotency_key')
    .values({ user_id: userId, key, operation, payload_hash: hash })
    .onConflict((c) => c.columns(['user_id', 'key']).doNothing())
    .returning('key')
    .executeTakeFirst();
  if (claimed) {
    const result = await write();
    await reads(em).updateTable('idempotency_key').set({ result_id: result.id }).where('user_id', '=', userId).where('key', '=', key).execute();
    return { result, replayed: false };
  }
  const first = await reads(em)
    .selectFrom('idempotency_key')
    .select(['operation', 'payload_hash', 'result_id'])
    .where('user_id', '=', userId)
    .where('key', '=', key)
    .executeTakeFirstOrThrow();
  if (first.operation !== operation || first.payload_hash !== hash || !first.result_id) {
    throw conflict('That idempotency key was used for another write', { reason: Refusal.IDEMPOTENCY_KEY_REUSED, operation: first.operation });
  }
  return { result: await reload(first.result_id), replayed: true };
}

/** Deletes the keys made before `before`: a retry that late writes anew, which an outbox never waits for. */
export async function pruneIdempotencyKeys(em: EntityManager, before: Date): Promise<number> {
  const gone = await reads(em).deleteFrom('idempotency_key').where('created_at', '<', before.toISOString()).executeTakeFirst();
  return Number(gone.numDeletedRows);
}

/** Every hour, the keys older than IDEMPOTENCY_KEY_RETENTION_DAYS go: one row per offline-capable write would otherwise stay forever. */
export const idempotencyKeyPruning = definePruning('idempotency:prune', 'old idempotency keys', (config) => config.IDEMPOTENCY_KEY_RETENTION_DAYS, pruneIdempotencyKeys);
