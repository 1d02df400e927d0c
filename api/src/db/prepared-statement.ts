import type { EntityManager } from '@mikro-orm/postgresql';

/**
 * Runs a hot statement as a named prepared statement, in the entity manager's transaction if it has
 * one. `em.execute` sends its values inlined in the text, so PostgreSQL parses and plans the
 * statement on every call; a prepared one is planned once per connection. For statements whose text
 * never changes (its values are `?` placeholders) and whose plan does not depend on them, like a
 * vote's lookups by key: a plan chosen once must suit every value.
 */
export async function executePrepared<T>(em: EntityManager, name: string, sql: string, values: unknown[]): Promise<T[]> {
  const query = em.getKnex().raw(sql, values as never[]).options({ name });
  const transaction = em.getTransactionContext();
  if (transaction) query.transacting(transaction);
  const result = (await query) as { rows: T[] };
  return result.rows;
}
