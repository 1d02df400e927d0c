import DataLoader from 'dataloader';
import type { EntityClass, FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { LoaderFactory } from '../context.js';

/** Rows per key, in the keys' order and each key's rows in theirs ([] for a key with none): what a batch of "the children of each" returns. */
export function groupedByKey<T>(keys: readonly string[], rows: Iterable<T>, keyOf: (row: T) => string): T[][] {
  const groups = new Map<string, T[]>(keys.map((key) => [key, []]));
  for (const row of rows) groups.get(keyOf(row))?.push(row);
  return keys.map((key) => groups.get(key)!);
}

/** Each key's row or null, in the keys' order: what a batch of "the one of each" returns. */
export function foundByKey<T>(keys: readonly string[], rows: Iterable<T>, keyOf: (row: T) => string): (T | null)[] {
  const found = new Map<string, T>();
  for (const row of rows) found.set(keyOf(row), row);
  return keys.map((key) => found.get(key) ?? null);
}

/** A per-request loader of `entity`'s rows whose many-to-one `key` is among the keys, grouped per key in key order: one `IN (…)` query per batch. */
export function groupedBy<T extends object>(entity: new (...args: never[]) => T, key: string & keyof T, orderBy: object) {
  return (em: EntityManager) =>
    new DataLoader<string, T[]>(async (ids) => {
      const rows = await em.find(entity, { [key]: { $in: [...ids] } } as never, { orderBy: orderBy as never });
      return groupedByKey(ids, rows, (row) => (row[key] as unknown as { id: string }).id);
    });
}

/**
 * A per-request loader of one entity class by id, as managed entities: every id asked for in the
 * same tick is read in one query, and each id once however many rows point at it (a round's 200
 * indicators share a dozen sections). `populate` names many-to-one relations joined in the same
 * statement, so that `relation.getEntity()` works on what it returns. For plain rows, read
 * through `reads(em)` instead.
 */
export function entityById<T extends { id: string }>(entity: EntityClass<T>, populate: readonly string[] = []): LoaderFactory<string, T | null> {
  return (em) =>
    new DataLoader(async (ids) => {
      const found = await em.find(entity, [...new Set(ids)] as FilterQuery<T>, { populate: populate as never, strategy: 'joined' });
      return foundByKey(ids, found, (e) => e.id);
    });
}
