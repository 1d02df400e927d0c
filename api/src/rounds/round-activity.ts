import type { Comment } from '../comments/comment.entity.js';
import type { Disposition } from '../dispositions/disposition.entity.js';
import type { ConsultationRound } from './round.entity.js';
import { LiveEventKind } from '../live/live-event.js';
import { publishLiveEvent, type MutationContext } from '../live/publish.js';

/** Reports a comment or reply added, edited or withdrawn, on its round and its indicator version; returns the comment. */
export async function publishCommentEvent(ctx: MutationContext, kind: LiveEventKind, comment: Comment): Promise<Comment> {
  await publishLiveEvent(ctx, kind, {
    roundId: comment.round.id,
    indicatorVersionId: comment.indicatorVersion?.id,
    commentId: comment.id,
    threadId: comment.threadId,
  });
  return comment;
}

/** One event per indicator version touched by a (bulk) disposition, naming the comment when there is only one; returns the dispositions. */
export async function publishDispositionEvents(ctx: MutationContext, dispositions: Disposition[]): Promise<Disposition[]> {
  const comments = await Promise.all(dispositions.map((d) => d.comment.load()));
  const byVersion = new Map<string | undefined, Comment[]>();
  for (const c of comments) {
    if (!c) continue;
    const key = c.indicatorVersion?.id;
    byVersion.set(key, [...(byVersion.get(key) ?? []), c]);
  }
  for (const [indicatorVersionId, group] of byVersion) {
    await publishLiveEvent(ctx, LiveEventKind.DISPOSITION_CHANGED, {
      roundId: group[0].round.id,
      indicatorVersionId,
      ...(group.length === 1 ? { commentId: group[0].id, threadId: group[0].threadId } : {}),
    });
  }
  return dispositions;
}

/** Reports that a revision takes up comments, once on each round they were made in; returns the revision. */
export async function publishTakenUpEvents<T>(ctx: MutationContext, roundIds: string[], revision: T): Promise<T> {
  for (const roundId of new Set(roundIds)) await publishLiveEvent(ctx, LiveEventKind.COMMENTS_TAKEN_UP, { roundId });
  return revision;
}

/** Reports that a round opened, closed, got a new deadline or was resolved; returns the round. */
export async function publishRoundStatusEvent(ctx: MutationContext, round: ConsultationRound): Promise<ConsultationRound> {
  await publishLiveEvent(ctx, LiveEventKind.ROUND_STATUS_CHANGED, { roundId: round.id });
  return round;
}
