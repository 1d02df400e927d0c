import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../context.js';
import { User } from '../users/user.entity.js';
import { Assessment, Reviewer } from './assessment.entity.js';

/** The reviewers assigned to each assessment, in the order they were assigned: one `IN (…)` query per batch. */
const reviewersOfAssessment = (em: EntityManager) =>
  new DataLoader<string, User[]>(async (ids) => {
    const rows = await em.find(Reviewer, { assessment: { $in: [...ids] } }, { populate: ['user'], orderBy: { assignedAt: 'asc' } });
    const byAssessment = new Map<string, User[]>(ids.map((id) => [id, []]));
    for (const row of rows) byAssessment.get(row.assessment.id)?.push(row.user.getEntity());
    return ids.map((id) => byAssessment.get(id)!);
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
