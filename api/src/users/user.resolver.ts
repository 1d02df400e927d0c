import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../context.js';
import { requireViewer } from '../auth/viewer.js';
import { Organization } from '../organizations/organization.entity.js';
import { Role, User } from './user.entity.js';
import { PreferencesInput, SetRolesInput } from './user.inputs.js';
import * as users from './user.service.js';

@Resolver(() => User)
export class UserResolver {
  @Query(() => User, { nullable: true, description: 'The signed-in person, or null without a session.' })
  me(@Ctx() ctx: RequestContext) {
    return ctx.viewer?.user ?? null;
  }

  @FieldResolver(() => String, { nullable: true, description: 'Visible to the person and to facilitators.' })
  email(@Root() user: User, @Ctx() ctx: RequestContext) {
    return ctx.viewer && (ctx.viewer.id === user.id || ctx.viewer.isFacilitator) ? user.email : null;
  }

  @FieldResolver(() => Organization, { nullable: true, description: 'The organization they speak for; null for an individual.' })
  organization(@Root() user: User) {
    return user.organization?.load() ?? null;
  }

  @Authorized(Role.ADMIN)
  @Mutation(() => User, { description: 'Takes effect on the person’s next request.' })
  setUserRoles(
    @Arg('userId', () => ID, { description: 'The person.' }) userId: string,
    @Arg('input', () => SetRolesInput, { description: 'Their roles from now on.' }) input: SetRolesInput,
    @Ctx() ctx: RequestContext,
  ) {
    return users.setRoles(ctx.em, requireViewer(ctx.viewer), userId, input.roles);
  }

  @Authorized()
  @Mutation(() => User, { description: 'Changes the signed-in person’s own settings.' })
  updateMyPreferences(@Arg('input', () => PreferencesInput, { description: 'The new settings.' }) input: PreferencesInput, @Ctx() ctx: RequestContext) {
    return users.setLanguage(ctx.em, requireViewer(ctx.viewer), input.language);
  }

  @Authorized()
  @Mutation(() => Int, { description: 'Revokes every session of mine, this one included; returns how many.' })
  async signOutEverywhere(@Ctx() ctx: RequestContext) {
    const count = await users.signOutEverywhere(ctx.em, requireViewer(ctx.viewer));
    ctx.cookie.clear();
    return count;
  }
}
