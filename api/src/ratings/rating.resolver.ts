import { Arg, Authorized, Ctx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../context.js';
import { requireViewer } from '../auth/viewer.js';
import { Indicator } from '../indicators/indicator.entity.js';
import { Role } from '../users/user.entity.js';
import { PracticeRating } from './practice-rating.entity.js';
import { RatePracticeInput } from './rating.inputs.js';
import * as ratings from './rating.service.js';
import { once } from '../idempotency/idempotency-key.js';

@Resolver(() => PracticeRating)
export class RatingResolver {
  @Authorized(Role.STAKEHOLDER)
  @Mutation(() => PracticeRating, { description: 'Creates or changes my rating of a practice while the round is open.' })
  async ratePractice(@Arg('input', () => RatePracticeInput, { description: 'The practice and the rating.' }) input: RatePracticeInput, @Ctx() ctx: RequestContext) {
    const viewer = requireViewer(ctx.viewer);
    const { result } = await once(ctx.em, viewer.id, input.idempotencyKey, 'ratePractice', input, () => ratings.ratePractice(ctx.em, viewer, input), (id) => ctx.em.findOneOrFail(PracticeRating, { id }));
    return result;
  }

  @FieldResolver(() => Indicator, { description: 'The essential practice rated.' })
  indicator(@Root() r: PracticeRating) {
    return r.indicator.load();
  }
}
