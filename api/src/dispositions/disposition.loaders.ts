import DataLoader from 'dataloader';
import type { LoaderFactory } from '../context.js';
import type { Selectable } from 'kysely';
import type { DispositionRecord } from './disposition.entity.js';
import type { DB as Tables } from '../db/tables.js';
import { foundByKey } from '../db/entity-loader.js';
import { reads } from '../db/reads.js';
import { rowDate } from '../db/row-date.js';

/** A `disposition` row as read on the ORM's connection, or as `to_jsonb(d)` spells it (timestamps as text). */
export type DispositionRow = Selectable<Tables['disposition']>;

export function dispositionRecord(r: DispositionRow): DispositionRecord {
  return {
    id: r.id,
    comment: { id: r.comment_id },
    round: { id: r.round_id },
    status: r.status,
    duplicateOfId: r.duplicate_of_id,
    response: r.response,
    responseHtml: r.response_html,
    decidedById: r.decided_by_id,
    decidedByName: r.decided_by_name,
    decidedAt: rowDate(r.decided_at),
  };
}

/**
 * Each comment's disposition, as plain rows: a page of comments shows dozens, and none is changed
 * here. A list that read them with its comments primes this loader instead.
 */
export const dispositionByComment: LoaderFactory<string, DispositionRecord | null> = (em) =>
  new DataLoader(async (commentIds) => {
    const rows = await reads(em).selectFrom('disposition').selectAll().where('comment_id', '=', (eb) => eb.fn.any(eb.val([...commentIds]))).execute();
    return foundByKey(commentIds, rows, (r) => r.comment_id).map((r) => r && dispositionRecord(r));
  });
