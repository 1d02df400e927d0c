import type { EntityManager } from '@mikro-orm/postgresql';

export interface CounterChange {
  /** Top-level comments, not withdrawn. */
  comments?: number;
  /** Of those, the ones without a disposition. */
  undisposed?: number;
  replies?: number;
}

/**
 * Moves a round's maintained counters (and its pinned version's, when given) in the caller's
 * transaction with atomic SQL, so concurrent writers never lose an update and pages never recount.
 */
export async function adjustCounters(em: EntityManager, roundId: string, indicatorVersionId: string | null | undefined, change: CounterChange) {
  const comments = change.comments ?? 0;
  const undisposed = change.undisposed ?? 0;
  const replies = change.replies ?? 0;
  if (!comments && !undisposed && !replies) return;
  await em.execute(
    'update consultation_round set comment_count = comment_count + ?, undisposed_count = undisposed_count + ?, reply_count = reply_count + ? where id = ?',
    [comments, undisposed, replies, roundId],
  );
  if (indicatorVersionId && (comments || undisposed)) {
    await em.execute(
      'update round_version set comment_count = comment_count + ?, undisposed_count = undisposed_count + ? where round_id = ? and indicator_version_id = ?',
      [comments, undisposed, roundId, indicatorVersionId],
    );
  }
}
