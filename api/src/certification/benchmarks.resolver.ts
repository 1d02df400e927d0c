import { Arg, Authorized, Ctx, ID, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../context.js';
import { requireViewer } from '../auth/viewer.js';
import { BenchmarkCell, benchmarks } from './benchmarks.js';

@Resolver(() => BenchmarkCell)
export class BenchmarkResolver {
  @Authorized()
  @Query(() => [BenchmarkCell], { description: 'A scheme’s benchmarks per area, in all countries and per country, over the submitted assessments: share of indicators met, the most failed, days from opening to decision. The committee and facilitators see every cell; people of an institution taking part see cells of five institutions or more (others suppressed); anyone else FORBIDDEN `NOT_PARTICIPATING`.' })
  certificationBenchmarks(@Arg('schemeId', () => ID, { description: 'The scheme.' }) schemeId: string, @Ctx() ctx: RequestContext) {
    return benchmarks(ctx.em, requireViewer(ctx.viewer), schemeId);
  }
}
