import type { EntityManager } from '@mikro-orm/postgresql';
import { sql, type Expression } from 'kysely';
import { reads } from '../db/reads.js';

/**
 * Rows fetched per round trip by the exports. Small on purpose: a page must be garbage before V8's
 * next minor collections, or it reaches the old generation, where dead pages pile up until a full
 * collection. Exporting 100,000 comments to CSV peaked at 231 MB of RSS with 250 rows a page and
 * 155 MB with 100 (one more round trip per 100 rows costs about a millisecond).
 */
const PAGE_SIZE = 100;

let opened = 0;

/**
 * The rows of one query in pages of PAGE_SIZE, through a server-side cursor in the caller's
 * transaction: PostgreSQL runs the query once and keeps its place, where keyset pages would read
 * and sort the rest of the result again for every page. A consumer that stops early leaves the
 * cursor open; the transaction's end closes it.
 */
export async function* cursorPages<T>(em: EntityManager, query: Expression<T>): AsyncGenerator<T[]> {
  const db = reads(em);
  const cursor = sql.raw(`export_cursor_${++opened}`);
  // Every row will be read: plan for the whole result, not for the first tenth (PostgreSQL's
  // default for cursors, which picks an ordered scan of the whole round over a sort of one part).
  await sql`set local cursor_tuple_fraction = 1`.execute(db);
  await sql`declare ${cursor} no scroll cursor for ${query}`.execute(db);
  for (;;) {
    const { rows } = await sql<T>`fetch ${sql.lit(PAGE_SIZE)} from ${cursor}`.execute(db);
    if (rows.length) yield rows;
    if (rows.length < PAGE_SIZE) break;
  }
  await sql`close ${cursor}`.execute(db);
}

/**
 * The same items, each asked for while the consumer is still busy with the one before: the
 * database reads the next page while this one is written out, instead of the two taking turns.
 */
export async function* readAhead<T>(source: AsyncGenerator<T>): AsyncGenerator<T> {
  let next = source.next();
  try {
    for (;;) {
      const item = await next;
      if (item.done) return;
      next = source.next();
      yield item.value;
    }
  } finally {
    // A consumer that stops early leaves a read in flight: let it end (failing, if the transaction
    // is gone) before the source is closed.
    next.catch(() => undefined);
    await source.return(undefined).catch(() => undefined);
  }
}
