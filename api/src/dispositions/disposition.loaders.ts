import DataLoader from 'dataloader';
import type { LoaderFactory } from '../context.js';
import { graphqlRoot } from '../schema/graphql-root.js';
import { Disposition, type DispositionRecord, type DispositionStatus } from './disposition.entity.js';
import { rowDate } from '../db/row-date.js';

/** A `disposition` row as PostgreSQL returns it, or as `to_jsonb(d)` spells it (timestamps as text). */
export interface DispositionRow {
  id: string;
  comment_id: string;
  round_id: string;
  status: DispositionStatus;
  duplicate_of_id: string | null;
  response: string;
  response_html: string;
  decided_by_id: string;
  decided_by_name: string;
  decided_at: Date | string;
}

export function dispositionRecord(r: DispositionRow): DispositionRecord {
  return graphqlRoot(Disposition, {
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
  });
}

/**
 * Each comment's disposition, as plain rows: a page of comments shows dozens, and none is changed
 * here. A list that read them with its comments primes this loader instead.
 */
export const dispositionByComment: LoaderFactory<string, DispositionRecord | null> = (em) =>
  new DataLoader(async (commentIds) => {
    const rows = await em.execute<DispositionRow[]>('select * from disposition where comment_id in (?)', [[...commentIds]]);
    const found = new Map(rows.map((r) => [r.comment_id, dispositionRecord(r)]));
    return commentIds.map((id) => found.get(id) ?? null);
  });
