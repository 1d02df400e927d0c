import DataLoader from 'dataloader';
import type { LoaderFactory } from '../context.js';
import { groupedByKey } from '../db/entity-loader.js';
import type { Comment } from '../comments/comment.entity.js';
import type { IndicatorVersion } from '../indicators/indicator.entity.js';
import { RevisionComment } from './revision-comment.entity.js';

/** The comments each revision answers, oldest first: one query for all the revisions asked about. */
export const commentsAnsweredBy: LoaderFactory<string, Comment[]> = (em) =>
  new DataLoader(async (revisionIds) => {
    const links = await em.find(RevisionComment, { revision: { $in: [...revisionIds] } }, { populate: ['comment'], orderBy: { comment: { createdAt: 'asc' } } });
    return groupedByKey(revisionIds, links, (l) => l.revision.id).map((answered) => answered.map((l) => l.comment.getEntity()));
  });

/** The revisions that took up each comment, newest first: one query for all the comments asked about. */
export const revisionsTakingUp: LoaderFactory<string, IndicatorVersion[]> = (em) =>
  new DataLoader(async (commentIds) => {
    const links = await em.find(RevisionComment, { comment: { $in: [...commentIds] } }, { populate: ['revision'], orderBy: { revision: { createdAt: 'desc' } } });
    return groupedByKey(commentIds, links, (l) => l.comment.id).map((takenUp) => takenUp.map((l) => l.revision.getEntity()));
  });
