import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../context.js';
import { groupedByKey } from '../db/entity-loader.js';
import { User } from '../users/user.entity.js';
import { Assessment, Reviewer } from './assessment.entity.js';

/** The reviewers assigned to each assessment, in the order they were assigned: one `IN (…)` query per batch. */
const reviewersOfAssessment = (em: EntityManager) =>
  new DataLoader<string, User[]>(async (ids) => {
    const rows = await em.find(Reviewer, { assessment: { $in: [...ids] } }, { populate: ['user'], orderBy: { assignedAt: 'asc' } });
    return groupedByKey(ids, rows, (row) => row.assessment.id).map((reviewers) => reviewers.map((row) => row.user.getEntity()));
  });

/**
 * Who reviews an assessment: the pages tell a reviewer's assessments from their institution's, and show
 * the committee whom a facilitator assigned. Reached only through an assessment the viewer may read.
 */
@Resolver(() => Assessment)
export class AssessmentReviewersResolver {
  @FieldResolver(() => [User], { description: 'The reviewers assigned to it, in the order they were assigned.' })
  reviewers(@Root() assessment: Assessment, @Ctx() ctx: RequestContext) {
    return ctx.loader(reviewersOfAssessment).load(assessment.id);
  }
}
