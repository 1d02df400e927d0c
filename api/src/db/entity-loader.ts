import DataLoader from 'dataloader';
import type { EntityClass, FilterQuery } from '@mikro-orm/core';
import type { LoaderFactory } from '../context.js';

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
      const byId = new Map(found.map((e) => [e.id, e]));
      return ids.map((id) => byId.get(id) ?? null);
    });
}
