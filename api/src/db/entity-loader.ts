import DataLoader from 'dataloader';
import type { EntityClass, FilterQuery } from '@mikro-orm/core';
import type { LoaderFactory } from '../context.js';

/**
 * A per-request loader of one entity class by id: every id asked for in the same tick is read in
 * one query, and each id once however many rows point at it (a round's 200 indicators share a
 * dozen sections). Lists of plain rows resolve their relations through these, and a request's
 * root fields share the entity they all start from.
 */
export function entityById<T extends { id: string }>(entity: EntityClass<T>, populate?: readonly string[]): LoaderFactory<string, T | null> {
  return (em) =>
    new DataLoader(async (ids) => {
      const found = await em.find(entity, { id: { $in: [...ids] } } as unknown as FilterQuery<T>, populate ? { populate: populate as never } : {});
      const byId = new Map(found.map((e) => [e.id, e]));
      return ids.map((id) => byId.get(id) ?? null);
    });
}
