import DataLoader from 'dataloader';
import type { LoaderFactory } from '../context.js';
import { groupedByKey } from '../db/entity-loader.js';
import { reads } from '../db/reads.js';
import { indicatorVersionById } from '../indicators/indicator.loaders.js';
import type { Comment } from '../comments/comment.entity.js';
import type { IndicatorVersion } from '../indicators/indicator.entity.js';
import { RevisionComment } from './revision-comment.entity.js';

/** The comments each revision answers, oldest first: one query for all the revisions asked about. */
export const commentsAnsweredBy: LoaderFactory<string, Comment[]> = (em) =>
  new DataLoader(async (revisionIds) => {
    const links = await em.find(RevisionComment, { revision: { $in: [...revisionIds] } }, { populate: ['comment'], orderBy: { comment: { createdAt: 'asc' } } });
    return groupedByKey(revisionIds, links, (l) => l.revision.id).map((answered) => answered.map((l) => l.comment.getEntity()));
  });

/**
 * The revisions that took up each comment, newest first. Every comment of a page asks, and most
 * were taken up by none: the links come in one typed read, and only the versions they name go
 * through the versions' loader (as entities, for the version's own fields).
 */
export const revisionsTakingUp: LoaderFactory<string, IndicatorVersion[]> = (em, ctx) =>
  new DataLoader(async (commentIds) => {
    const links = await reads(em)
      .selectFrom('revision_comment as l')
      .innerJoin('indicator_version as v', 'v.id', 'l.revision_id')
      .select(['l.comment_id', 'l.revision_id'])
      .where('l.comment_id', '=', (eb) => eb.fn.any(eb.val([...commentIds])))
      .orderBy('v.created_at', 'desc')
      .orderBy('v.id')
      .execute();
    if (links.length === 0) return commentIds.map(() => []);
    const ids = [...new Set(links.map((l) => l.revision_id))];
    const versions = await Promise.all(ids.map((id) => ctx.loader(indicatorVersionById).load(id)));
    const byId = new Map(ids.map((id, i) => [id, versions[i]]));
    return groupedByKey(commentIds, links, (l) => l.comment_id).map((takenUp) => takenUp.map((l) => byId.get(l.revision_id)!));
  });
