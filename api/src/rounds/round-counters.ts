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
  const round = 'update consultation_round set comment_count = comment_count + ?, undisposed_count = undisposed_count + ?, reply_count = reply_count + ? where id = ?';
  const params = [comments, undisposed, replies, roundId];
  if (!indicatorVersionId || (!comments && !undisposed)) return void (await em.execute(round, params));
  // Both in one statement. Every writer locks the round's row before a version's: the version's
  // update waits on `exists (select from round)`, a one-time filter PostgreSQL runs before the scan.
  await em.execute(
    `with round as (${round} returning id)
     update round_version set comment_count = comment_count + ?, undisposed_count = undisposed_count + ?
     where exists (select from round) and round_id = ? and indicator_version_id = ?`,
    [...params, comments, undisposed, roundId, indicatorVersionId],
  );
}
