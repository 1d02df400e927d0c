import { Arg, Authorized, Ctx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../context.js';
import { requireViewer } from '../auth/viewer.js';
import { Assessment } from './assessment.entity.js';
import { schemeIndicatorById } from './certification.loaders.js';
import { groupedBy } from '../db/entity-loader.js';
import { PilotFlag } from './pilot-flag.entity.js';
import { FlagIndicatorInput } from './pilot-flag.inputs.js';
import { flagIndicator } from './pilot-flag.service.js';
import { SchemeIndicator } from './scheme.entity.js';

const flagsOfAssessment = groupedBy(PilotFlag, 'assessment', { flaggedAt: 'asc', id: 'asc' });

@Resolver(() => PilotFlag)
export class PilotFlagResolver {
  @Authorized()
  @Mutation(() => PilotFlag, { description: 'Flags an indicator as unclear, unmeasurable or too costly to evidence (the institution’s people or an assigned reviewer; FORBIDDEN `NOT_ASSESSMENT_PARTY` otherwise). It enters, anonymized, the consultation round on that indicator open now or the next to open.' })
  flagIndicator(@Arg('input', () => FlagIndicatorInput, { description: 'The indicator, the kind and the note.' }) input: FlagIndicatorInput, @Ctx() ctx: RequestContext) {
    return flagIndicator(ctx.em, requireViewer(ctx.viewer), input);
  }

  @FieldResolver(() => SchemeIndicator, { description: 'The indicator flagged.' })
  async schemeIndicator(@Root() flag: PilotFlag, @Ctx() ctx: RequestContext) {
    return (await ctx.loader(schemeIndicatorById).load(flag.schemeIndicator.id))!;
  }
}

@Resolver(() => Assessment)
export class AssessmentPilotFlagsResolver {
  @FieldResolver(() => [PilotFlag], { description: 'The pilot flags raised on its indicators, oldest first.' })
  pilotFlags(@Root() assessment: Assessment, @Ctx() ctx: RequestContext) {
    return ctx.loader(flagsOfAssessment).load(assessment.id);
  }
}

export const pilotFlagResolvers = [PilotFlagResolver, AssessmentPilotFlagsResolver] as const;
