import { Arg, Authorized, Ctx, ID, Mutation, Resolver } from 'type-graphql';
import type { RequestContext } from '../context.js';
import { requireViewer } from '../auth/viewer.js';
import { Role } from '../users/user.entity.js';
import { Organization } from './organization.entity.js';
import { OrganizationInput } from './organization.inputs.js';
import * as organizations from './organization.service.js';

@Resolver(() => Organization)
export class OrganizationResolver {
  @Authorized(Role.FACILITATOR)
  @Mutation(() => Organization, { description: 'Adds an organization.' })
  createOrganization(@Arg('input', () => OrganizationInput, { description: 'Its details.' }) input: OrganizationInput, @Ctx() ctx: RequestContext) {
    return organizations.createOrganization(ctx.em, requireViewer(ctx.viewer).id, input);
  }

  @Authorized(Role.ADMIN)
  @Mutation(() => Organization, { description: 'Changes an organization’s details; comments keep the name they were written under.' })
  updateOrganization(
    @Arg('id', () => ID, { description: 'The organization.' }) id: string,
    @Arg('input', () => OrganizationInput, { description: 'Its new details.' }) input: OrganizationInput,
    @Ctx() ctx: RequestContext,
  ) {
    return organizations.updateOrganization(ctx.em, requireViewer(ctx.viewer).id, id, input);
  }
}
