import { Arg, Authorized, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../context.js';
import { DomainError, ErrorCode } from '../errors.js';
import { User, Role } from '../users/user.entity.js';
import { AcceptInvitationInput, InvitationPreview, InvitationReceipt, InviteInput, SignInInput } from './auth.inputs.js';
import { Invitation } from './invitation.entity.js';
import * as invitations from './invitation.service.js';
import { createSession, hashToken, revokeSession } from './session.service.js';
import { Viewer, requireViewer } from './viewer.js';
import { audit } from '../audit/audit.service.js';

@Resolver()
export class AuthResolver {
  @Mutation(() => User, { description: 'Starts a session (an httpOnly cookie) for the person.' })
  async signIn(@Arg('input', () => SignInInput) input: SignInInput, @Ctx() ctx: RequestContext) {
    const email = input.email.trim().toLowerCase();
    // Counted before checking, so a burst of parallel guesses cannot slip past; a success gives it back.
    const { signInIp, signInEmail } = ctx.app.rateLimits;
    await signInIp.consume(ctx.ip);
    await signInEmail.consume(email);
    const user = await ctx.em.findOne(User, { email, active: true }, { populate: ['passwordHash'] });
    // Verify against a throwaway hash when the account is unknown, so timing does not reveal it.
    const ok = await ctx.app.hasher.verify(user?.passwordHash ?? DUMMY_HASH, input.password);
    if (!user || !user.passwordHash || !ok) {
      throw new DomainError(ErrorCode.UNAUTHENTICATED, 'Wrong e-mail or password', { reason: 'INVALID_CREDENTIALS' });
    }
    await Promise.all([signInIp.reward(ctx.ip), signInEmail.reward(email)]);
    const session = await createSession(ctx.em, user, ctx.app.config.SESSION_TTL_HOURS);
    audit(ctx.em, { actorId: user.id, action: 'user.signed_in', subjectType: 'User', subjectId: user.id, data: { ip: ctx.ip } });
    await ctx.em.flush();
    ctx.cookie.set(session.token, session.expiresAt);
    ctx.viewer = new Viewer(user, hashToken(session.token));
    return user;
  }

  @Mutation(() => Boolean, { description: 'Ends this session. True even when there was none.' })
  async signOut(@Ctx() ctx: RequestContext) {
    if (ctx.viewer) await revokeSession(ctx.em, ctx.viewer.sessionTokenHash);
    ctx.cookie.clear();
    return true;
  }

  @Query(() => InvitationPreview, { description: 'Who an invitation is for; fails when it is unknown, used or expired.' })
  async invitation(@Arg('token', () => String) token: string, @Ctx() ctx: RequestContext) {
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
  @Mutation(() => InvitationReceipt)
  inviteUser(@Arg('input', () => InviteInput) input: InviteInput, @Ctx() ctx: RequestContext) {
    return invitations.invite(ctx.em, ctx.app, requireViewer(ctx.viewer), input, ctx.afterCommit);
  }

  @Mutation(() => User, { description: 'Sets a password from an invitation and signs the person in.' })
  async acceptInvitation(@Arg('input', () => AcceptInvitationInput) input: AcceptInvitationInput, @Ctx() ctx: RequestContext) {
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

const DUMMY_HASH = '$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$0v7bJ6v8yEoGxYvUvS0VdXWq0y0n0y7Q1cYc5kqj0fY';
