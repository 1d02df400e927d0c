import type { EntityManager } from '@mikro-orm/postgresql';
import { audit } from '../audit/audit.service.js';
import type { Viewer } from '../auth/viewer.js';
import { badInput, conflict, notFound } from '../errors.js';
import { Comment } from '../comments/comment.entity.js';
import { renderMarkdown } from '../comments/markdown.js';
import { adjustCounters } from '../rounds/round-counters.js';
import { RoundStatus, roundStatus } from '../rounds/round.entity.js';
import { getRound } from '../rounds/round.service.js';
import { Disposition, DispositionStatus } from './disposition.entity.js';
import type { DispositionInput } from './disposition.inputs.js';

/**
 * Gives one disposition to one or many top-level comments of one round (bulk triage), creating
 * or changing each; the counters of comments without a disposition move in the same transaction.
 */
export async function setDispositions(em: EntityManager, viewer: Viewer, input: DispositionInput): Promise<Disposition[]> {
  const ids = [...new Set(input.commentIds)];
  const found = new Map((await em.find(Comment, { id: { $in: ids } })).map((c) => [c.id, c]));
  const missing = ids.find((id) => !found.has(id));
  if (missing) throw notFound('Comment', missing);
  // In the order they were given: the answer lists each comment's disposition where the facilitator put it.
  const comments = ids.map((id) => found.get(id)!);
  const roundId = comments[0].round.id;
  if (comments.some((c) => c.round.id !== roundId)) throw badInput('commentIds', 'All comments must be in the same round');
  if (comments.some((c) => c.parentId)) throw badInput('commentIds', 'Replies take no disposition; dispose of the comment they answer');
  if (comments.some((c) => c.withdrawnAt)) throw conflict('A withdrawn comment takes no disposition', { reason: 'COMMENT_WITHDRAWN' });
  const round = await getRound(em, roundId);
  if (roundStatus(round) === RoundStatus.RESOLVED) throw conflict('This round is resolved; its dispositions are final', { reason: 'ROUND_RESOLVED' });
  const duplicateOfId = await checkDuplicateOf(em, input, roundId, ids);

  const existing = new Map((await em.find(Disposition, { comment: { $in: ids } })).map((d) => [d.comment.id, d]));
  const decided = { status: input.status, response: input.response.trim(), responseHtml: renderMarkdown(input.response, 'response'), duplicateOfId, decidedById: viewer.id, decidedByName: viewer.user.name, decidedAt: new Date() };
  const newlyDisposed = new Map<string | null, number>();
  const result = comments.map((comment) => {
    const previous = existing.get(comment.id);
    audit(em, {
      actorId: viewer.id,
      action: previous ? 'disposition.changed' : 'disposition.set',
      subjectType: 'Comment',
      subjectId: comment.id,
      scopeId: roundId,
      data: { status: decided.status, duplicateOfId, response: decided.response, ...(previous ? { previousStatus: previous.status, previousResponse: previous.response } : {}) },
    });
    if (previous) return em.assign(previous, decided);
    const versionId = comment.indicatorVersion?.id ?? null;
    newlyDisposed.set(versionId, (newlyDisposed.get(versionId) ?? 0) + 1);
    return em.create(Disposition, { ...decided, comment, round });
  });
  for (const [versionId, n] of newlyDisposed) await adjustCounters(em, roundId, versionId, { undisposed: -n });
  await em.flush();
  return result;
}

async function checkDuplicateOf(em: EntityManager, input: DispositionInput, roundId: string, ids: string[]): Promise<string | null> {
  if (input.status !== DispositionStatus.DUPLICATE) {
    if (input.duplicateOfId) throw badInput('duplicateOfId', 'Only a DUPLICATE disposition points at another comment');
    return null;
  }
  if (!input.duplicateOfId) throw badInput('duplicateOfId', 'Say which comment these duplicate');
  if (ids.includes(input.duplicateOfId)) throw badInput('duplicateOfId', 'A comment cannot duplicate itself');
  const original = await em.findOne(Comment, { id: input.duplicateOfId, round: roundId, parentId: null });
  if (!original) throw badInput('duplicateOfId', 'That is not a top-level comment of the same round');
  return original.id;
}
