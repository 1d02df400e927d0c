import type { EntityManager } from '@mikro-orm/postgresql';
import { CompiledQuery, Kysely, sql, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler, type Compilable, type DatabaseConnection, type Driver, type QueryResult } from 'kysely';
import type pg from 'pg';
import type { DB as Tables } from './tables.js';

/** Typed reads of our tables, checked against the migrated schema (`tables.ts`). */
export type Reads = Kysely<Tables>;

interface KnexClient {
  acquireConnection(): Promise<pg.Client>;
  releaseConnection(connection: pg.Client): Promise<unknown>;
}

/** The knex client an entity manager's statements go through: its transaction's, if it has one. */
function clientOf(em: EntityManager): KnexClient {
  const transaction = em.getTransactionContext<{ client: KnexClient }>();
  return transaction ? transaction.client : (em.getKnex().client as KnexClient);
}

async function run<R>(em: EntityManager, query: { sql: string; parameters: readonly unknown[] }, name?: string): Promise<QueryResult<R>> {
  const client = clientOf(em);
  const connection = await client.acquireConnection();
  try {
    // The callback goes in with the query, not pg's promise form (which sets it on the query after
    // building it): with that form, V8's minor collections kept every row read alive into the old
    // generation, 146 MB promoted for 360,000 rows by cursor against 1.5 MB, until a full collection.
    // An export's peak memory followed (200,000 comments to CSV: 477 MB of RSS, 283 MB this way).
    const result = await new Promise<pg.QueryResult>((resolve, reject) =>
      connection.query({ text: query.sql, values: query.parameters as unknown[], name }, (err: Error | null, res: pg.QueryResult) => (err ? reject(err) : resolve(res))),
    );
    return { rows: result.rows as R[], numAffectedRows: result.rowCount == null ? undefined : BigInt(result.rowCount) };
  } finally {
    await client.releaseConnection(connection);
  }
}

/**
 * Runs each statement on the entity manager's connection (the ORM's pool, or its transaction when it
 * has one), so typed reads see what the request wrote. For reads: Kysely's own transactions are
 * refused, the ORM opens them.
 */
class EntityManagerDriver implements Driver {
  constructor(private readonly em: EntityManager) {}
  async init() {}
  async acquireConnection(): Promise<DatabaseConnection> {
    const em = this.em;
    return {
      executeQuery: <R>(compiled: CompiledQuery) => run<R>(em, compiled),
      streamQuery: () => {
        throw new Error('Stream through exports/sql-cursor.ts');
      },
    };
  }
  beginTransaction(): Promise<void> {
    throw new Error('Transactions are the entity manager’s: em.transactional');
  }
  commitTransaction(): Promise<void> {
    throw new Error('Transactions are the entity manager’s: em.transactional');
  }
  rollbackTransaction(): Promise<void> {
    throw new Error('Transactions are the entity manager’s: em.transactional');
  }
  async releaseConnection() {}
  async destroy() {}
}

/** `count(*)` as a JavaScript number (PostgreSQL's bigint comes as text), named `n`. */
export const countInt = sql<number>`count(*)::int`.as('n');

const bound = new WeakMap<EntityManager, Reads>();

/** The typed reads bound to `em`: one instance per entity manager (a request's fork, a transaction's). */
export function reads(em: EntityManager): Reads {
  let db = bound.get(em);
  if (!db) {
    db = new Kysely<Tables>({
      dialect: {
        createAdapter: () => new PostgresAdapter(),
        createDriver: () => new EntityManagerDriver(em),
        createIntrospector: (k) => new PostgresIntrospector(k),
        createQueryCompiler: () => new PostgresQueryCompiler(),
      },
    });
    bound.set(em, db);
  }
  return db;
}

/**
 * A hot read run as a named prepared statement: planned once per connection instead of on every
 * call. For statements whose text never changes (lists go in as one array: `= any(…)`) and whose
 * plan suits every value, as `executePrepared` says.
 */
export async function preparedRows<R>(em: EntityManager, name: string, query: Compilable<R>): Promise<R[]> {
  return (await run<R>(em, query.compile(), name)).rows;
}
