import DataLoader from 'dataloader';
import type { LoaderFactory } from '../context.js';
import { CommentRevision } from './comment-revision.entity.js';
import { commentRecord, type CommentRecord, type CommentRow } from './comment-record.js';

/** Every reply of each thread (by the thread's root id), oldest first: a whole tree in one query. */
export const repliesByThread: LoaderFactory<string, CommentRecord[]> = (em) =>
  new DataLoader(async (threadIds) => {
    const rows = await em.execute<CommentRow[]>(
      'select * from comment where thread_id in (?) and parent_id is not null order by created_at, id',
      [[...threadIds]],
    );
    const byThread = new Map<string, CommentRecord[]>(threadIds.map((id) => [id, []]));
    for (const row of rows) byThread.get(row.thread_id)?.push(commentRecord(row));
    return threadIds.map((id) => byThread.get(id)!);
  });

/** Earlier texts of each comment, oldest first. */
export const revisionsByComment: LoaderFactory<string, CommentRevision[]> = (em) =>
  new DataLoader(async (commentIds) => {
    const revisions = await em.find(CommentRevision, { comment: { $in: [...commentIds] } }, { orderBy: { number: 'asc' } });
    return commentIds.map((id) => revisions.filter((r) => r.comment.id === id));
  });

/** Comments by id, as plain rows (a disposition's comment). */
export const commentById: LoaderFactory<string, CommentRecord | null> = (em) =>
  new DataLoader(async (ids) => {
    const found = new Map((await em.execute<CommentRow[]>('select * from comment where id in (?)', [[...ids]])).map((row) => [row.id, commentRecord(row)]));
    return ids.map((id) => found.get(id) ?? null);
  });
