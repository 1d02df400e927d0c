import DataLoader from 'dataloader';
import type { LoaderFactory } from '../context.js';
import { CommentRevision } from './comment-revision.entity.js';
import { commentRecord, type CommentRecord } from './comment-record.js';
import { reads } from '../db/reads.js';
import { foundByKey, groupedByKey } from '../db/entity-loader.js';

/** Every reply of each thread (by the thread's root id), oldest first: a whole tree in one query. */
export const repliesByThread: LoaderFactory<string, CommentRecord[]> = (em) =>
  new DataLoader(async (threadIds) => {
    const rows = await reads(em)
      .selectFrom('comment')
      .selectAll()
      .where('thread_id', '=', (eb) => eb.fn.any(eb.val([...threadIds])))
      .where('parent_id', 'is not', null)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return groupedByKey(threadIds, rows.map(commentRecord), (c) => c.threadId);
  });

/** Earlier texts of each comment, oldest first. */
export const revisionsByComment: LoaderFactory<string, CommentRevision[]> = (em) =>
  new DataLoader(async (commentIds) => {
    const revisions = await em.find(CommentRevision, { comment: { $in: [...commentIds] } }, { orderBy: { number: 'asc' } });
    return groupedByKey(commentIds, revisions, (r) => r.comment.id);
  });

/** Comments by id, as plain rows (a disposition's comment). */
export const commentById: LoaderFactory<string, CommentRecord | null> = (em) =>
  new DataLoader(async (ids) => {
    const rows = await reads(em).selectFrom('comment').selectAll().where('id', '=', (eb) => eb.fn.any(eb.val([...ids]))).execute();
    return foundByKey(ids, rows.map(commentRecord), (c) => c.id);
  });
