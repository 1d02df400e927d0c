import DataLoader from 'dataloader';
import type { LoaderFactory } from '../context.js';
import { CommentRevision } from './comment-revision.entity.js';
import { Comment } from './comment.entity.js';

/** Every reply of each thread (by the thread's root id), oldest first: a whole tree in one query. */
export const repliesByThread: LoaderFactory<string, Comment[]> = (em) =>
  new DataLoader(async (threadIds) => {
    const replies = await em.find(Comment, { threadId: { $in: [...threadIds] }, parentId: { $ne: null } }, { orderBy: { createdAt: 'asc', id: 'asc' } });
    return threadIds.map((id) => replies.filter((r) => r.threadId === id));
  });

/** Earlier texts of each comment, oldest first. */
export const revisionsByComment: LoaderFactory<string, CommentRevision[]> = (em) =>
  new DataLoader(async (commentIds) => {
    const revisions = await em.find(CommentRevision, { comment: { $in: [...commentIds] } }, { orderBy: { number: 'asc' } });
    return commentIds.map((id) => revisions.filter((r) => r.comment.id === id));
  });
