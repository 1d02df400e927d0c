import DataLoader from 'dataloader';
import { ReferenceKind, type EntityClass, type EntityData, type EntityMetadata } from '@mikro-orm/core';
import type { LoaderFactory } from '../context.js';

/** The columns a table's entity maps (scalars and the foreign keys it owns). */
function columnsOf(meta: EntityMetadata) {
  return Object.values(meta.properties)
    .filter((p) => p.persist !== false && !p.formula && (p.kind === ReferenceKind.SCALAR || p.kind === ReferenceKind.MANY_TO_ONE || (p.kind === ReferenceKind.ONE_TO_ONE && p.owner)))
    .flatMap((p) => p.fieldNames);
}

/**
 * A per-request loader of one entity class by id: every id asked for in the same tick is read in
 * one query, and each id once however many rows point at it (a round's 200 indicators share a
 * dozen sections). Lists of plain rows resolve their relations through these, and a request's
 * root fields share the entity they all start from. `populate` names many-to-one relations read
 * in the same statement, so that `relation.getEntity()` works on what it returns.
 *
 * Plain SQL and `em.map`: a query built by the ORM cost more than the rows it read.
 */
export function entityById<T extends { id: string }>(entity: EntityClass<T>, populate: readonly string[] = []): LoaderFactory<string, T | null> {
  return (em) => {
    const meta = em.getMetadata().get(entity.name);
    const joins = populate.map((name, i) => {
      const relation = meta.properties[name as keyof typeof meta.properties];
      return { alias: `r${i}`, target: relation.targetMeta!, column: relation.fieldNames[0] };
    });
    const sql =
      `select e.*${joins.flatMap(({ alias, target }) => columnsOf(target).map((c) => `, ${alias}."${c}" as "${alias}__${c}"`)).join('')} from "${meta.tableName}" e` +
      joins.map(({ alias, target, column }) => ` left join "${target.tableName}" ${alias} on ${alias}.id = e."${column}"`).join('') +
      ' where e.id in (?)';
    return new DataLoader(async (ids) => {
      const rows = await em.execute<Record<string, unknown>[]>(sql, [[...new Set(ids)]]);
      const byId = new Map<string, T>();
      for (const row of rows) {
        // The related entities are mapped first: mapping the row then links them, not bare references.
        for (const { alias, target } of joins) {
          const related: Record<string, unknown> = {};
          for (const key of Object.keys(row)) {
            if (!key.startsWith(`${alias}__`)) continue;
            related[key.slice(alias.length + 2)] = row[key];
            delete row[key];
          }
          if (related.id != null) em.map(target.class, related);
        }
        byId.set(row.id as string, em.map(entity, row as EntityData<T>));
      }
      return ids.map((id) => byId.get(id) ?? null);
    });
  };
}
