import DataLoader from 'dataloader';
import { ReferenceKind, type EntityClass, type EntityData, type EntityMetadata } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { LoaderFactory } from '../context.js';
import { executePrepared } from './prepared-statement.js';

/** The columns a table's entity maps (scalars and the foreign keys it owns). */
function columnsOf(meta: EntityMetadata) {
  return Object.values(meta.properties)
    .filter((p) => p.persist !== false && !p.formula && (p.kind === ReferenceKind.SCALAR || p.kind === ReferenceKind.MANY_TO_ONE || (p.kind === ReferenceKind.ONE_TO_ONE && p.owner)))
    .flatMap((p) => p.fieldNames);
}

/**
 * How to read an entity as `e` with the many-to-one relations `populate` names in the same
 * statement: the select list and joins to put in one's own SQL, and the mapping of each row it
 * returns to a managed entity whose relations are loaded. A query's own columns stay out of the
 * mapping when it names them `<prefix>__<column>` with a prefix other than `r0`, `r1`….
 */
export function entityRows<T extends { id: string }>(em: EntityManager, entity: EntityClass<T>, populate: readonly string[] = []) {
  const meta = em.getMetadata().get(entity.name);
  const joins = populate.map((name, i) => {
    const relation = meta.properties[name as keyof typeof meta.properties];
    return { alias: `r${i}`, target: relation.targetMeta!, column: relation.fieldNames[0] };
  });
  return {
    // Columns by name, not `e.*`: a prepared statement's columns must not change when a migration adds one.
    select: [...columnsOf(meta).map((c) => `e."${c}"`), ...joins.flatMap(({ alias, target }) => columnsOf(target).map((c) => `${alias}."${c}" as "${alias}__${c}"`))].join(', '),
    from: `"${meta.tableName}" e` + joins.map(({ alias, target, column }) => ` left join "${target.tableName}" ${alias} on ${alias}.id = e."${column}"`).join(''),
    map(row: Record<string, unknown>): T {
      const own: Record<string, unknown> = {};
      const related = new Map(joins.map(({ alias }) => [alias, {} as Record<string, unknown>]));
      for (const [key, value] of Object.entries(row)) {
        const split = key.indexOf('__');
        if (split < 0) own[key] = value;
        else {
          const columns = related.get(key.slice(0, split));
          if (columns) columns[key.slice(split + 2)] = value;
        }
      }
      // The related entities are mapped first: mapping the row then links them, not bare references.
      for (const { alias, target } of joins) {
        const columns = related.get(alias)!;
        if (columns.id != null) em.map(target.class, columns);
      }
      return em.map(entity, own as EntityData<T>);
    },
  };
}

/**
 * A per-request loader of one entity class by id: every id asked for in the same tick is read in
 * one query, and each id once however many rows point at it (a round's 200 indicators share a
 * dozen sections). Lists of plain rows resolve their relations through these, and a request's
 * root fields share the entity they all start from. `populate` names many-to-one relations read
 * in the same statement, so that `relation.getEntity()` works on what it returns.
 *
 * Plain SQL and `em.map`: a query built by the ORM cost more than the rows it read. The ids go in
 * as one array, so the statement's text stays the same and it is prepared once per connection.
 */
export function entityById<T extends { id: string }>(entity: EntityClass<T>, populate: readonly string[] = []): LoaderFactory<string, T | null> {
  return (em) => {
    const rows = entityRows(em, entity, populate);
    const sql = `select ${rows.select} from ${rows.from} where e.id = any(?)`;
    const name = `${entity.name}-by-id${populate.map((p) => `+${p}`).join('')}`;
    return new DataLoader(async (ids) => {
      const found = await executePrepared<Record<string, unknown>>(em, name, sql, [[...new Set(ids)]]);
      const byId = new Map<string, T>(found.map((row) => [row.id as string, rows.map(row)]));
      return ids.map((id) => byId.get(id) ?? null);
    });
  };
}
