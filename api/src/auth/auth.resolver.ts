import { Arg, Authorized, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../context.js';
import { User, Role } from '../users/user.entity.js';
import { AcceptInvitationInput, InvitationPreview, InvitationReceipt, InviteInput, SignInInput } from './auth.inputs.js';
import { Invitation } from './invitation.entity.js';
import * as invitations from './invitation.service.js';
import { offlineKey } from './offline-key.js';
import { createSession, hashToken, revokeSession } from './session.service.js';
import { signInWithPassword } from './sign-in.service.js';
import { Viewer, requireViewer } from './viewer.js';

@Resolver()
export class AuthResolver {
  @Mutation(() => User, {
    description:
      'Starts a session (an httpOnly cookie) for the person, and marks the browser as one that has signed in to this account (a second cookie), so that others guessing the password do not hold it back.',
  })
  async signIn(@Arg('input', () => SignInInput, { description: 'The credentials.' }) input: SignInInput, @Ctx() ctx: RequestContext) {
    const { user, session, device } = await signInWithPassword(ctx.em, ctx.app, { email: input.email, password: input.password, ip: ctx.ip, deviceCookie: ctx.cookie.device });
    ctx.cookie.set(session.token, session.expiresAt);
    ctx.cookie.setDevice(device.value, device.expiresAt);
    ctx.viewer = new Viewer(user, hashToken(session.token));
    return user;
  }

  @Mutation(() => Boolean, { description: 'Ends this session. True even when there was none.' })
  async signOut(@Ctx() ctx: RequestContext) {
    if (ctx.viewer) await revokeSession(ctx.em, ctx.viewer.sessionTokenHash);
    ctx.cookie.clear();
    return true;
  }

  @Authorized()
  @Query(() => String, {
    description:
      "The key (a P-256 JSON Web Key, private half included) that seals the viewer's drafts and waiting writes kept on their device: the same in every session of theirs, given to nobody else. Not for keeping: the page holds it in memory only.",
  })
  offlineKey(@Ctx() ctx: RequestContext) {
    return offlineKey(ctx.em, requireViewer(ctx.viewer).id);
  }

  @Query(() => InvitationPreview, { description: 'Who an invitation is for, without a session; fails when it is unknown, used or expired.' })
  async invitation(@Arg('token', () => String, { description: 'The token from the invitation link.' }) token: string, @Ctx() ctx: RequestContext) {
    // Only wrong tokens add up, so a room of people behind one address can all join.
    const { invitationIp } = ctx.app.rateLimits;
    await invitationIp.consume(ctx.ip);
    const preview = await invitations.previewInvitation(ctx.em, token);
    await invitationIp.reward(ctx.ip);
    return preview;
  }

  @Authorized(Role.FACILITATOR)
  @Query(() => [Invitation], { description: 'Invitations not yet accepted and not expired.' })
  pendingInvitations(@Ctx() ctx: RequestContext) {
    return invitations.listInvitations(ctx.em);
  }

  @Authorized(Role.FACILITATOR)
  @Mutation(() => InvitationReceipt, { description: 'Invites a person by e-mail with a single-use link; CONFLICT `ACCOUNT_EXISTS` when the address already has an account.' })
  inviteUser(@Arg('input', () => InviteInput, { description: 'Who, and as what.' }) input: InviteInput, @Ctx() ctx: RequestContext) {
    return invitations.invite(ctx.em, ctx.app, requireViewer(ctx.viewer), input);
  }

  @Mutation(() => User, { description: 'Sets a password from an invitation and signs the person in.' })
  async acceptInvitation(@Arg('input', () => AcceptInvitationInput, { description: 'The token and the password.' }) input: AcceptInvitationInput, @Ctx() ctx: RequestContext) {
    const { invitationIp } = ctx.app.rateLimits;
    await invitationIp.consume(ctx.ip);
    const user = await invitations.acceptInvitation(ctx.em, ctx.app, input);
    await invitationIp.reward(ctx.ip);
    const session = await createSession(ctx.em, user, ctx.app.config.SESSION_TTL_HOURS);
    await ctx.em.flush();
    ctx.cookie.set(session.token, session.expiresAt);
    ctx.viewer = new Viewer(user, hashToken(session.token));
    return user;
  }
}
