import DataLoader from 'dataloader';
import type { LoaderFactory } from '../context.js';
import { Disposition } from './disposition.entity.js';

export const dispositionByComment: LoaderFactory<string, Disposition | null> = (em) =>
  new DataLoader(async (commentIds) => {
    const found = new Map((await em.find(Disposition, { comment: { $in: [...commentIds] } })).map((d) => [d.comment.id, d]));
    return commentIds.map((id) => found.get(id) ?? null);
  });
