import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { hashToken } from '../auth/session.service.js';
import { Viewer, requireViewer } from '../auth/viewer.js';
import { CommentAuthor } from '../comments/comment.entity.js';
import type { RequestContext } from '../context.js';
import { reads } from '../db/reads.js';
import { withinLength } from '../errors.js';
import { networkOf } from '../limits/rate-limits.js';
import { Role, User } from '../users/user.entity.js';
import { AccountSession, ChangePasswordInput, ResetPasswordInput, SignUpInput, SignUpOrganizationPage, UpdateAccountInput } from './account.inputs.js';
import * as accounts from './account.service.js';
import { OrganizationRequest, OrganizationRequestStatus } from './organization-request.entity.js';
import * as organizationRequests from './organization-request.service.js';
import { requestPasswordReset, resetPassword } from './password-reset.service.js';
import { confirmEmail, requestSignUp, signUpOrganizations } from './registration.service.js';
import { reinstateUser, suspendUser } from './suspension.service.js';

/** Which of the authors are suspended now: one `IN (…)` query per batch. */
const suspendedAuthors = (em: EntityManager) =>
  new DataLoader<string, boolean>(async (ids) => {
    const rows = await reads(em).selectFrom('app_user').select('id').where('id', 'in', [...ids]).where('suspended_at', 'is not', null).execute();
    const suspended = new Set(rows.map((r) => r.id));
    return ids.map((id) => suspended.has(id));
  });

@Resolver()
export class AccountResolver {
  @Query(() => SignUpOrganizationPage, {
    description:
      'The organizations a person may choose at sign-up: the first by name that the search finds (name or acronym), only their name and country; signed out too. RATE_LIMITED per network past RATE_LIMIT_ORGANIZATION_LOOKUP_IP lookups when signed out.',
  })
  async signUpOrganizations(
    @Arg('search', () => String, { nullable: true, description: 'Part of the name or acronym, any case; none given, all.' }) search: string | null | undefined,
    @Arg('first', () => Int, { defaultValue: 50, description: 'At most 200.' }) first: number,
    @Ctx() ctx: RequestContext,
  ) {
    if (!ctx.viewer) await ctx.app.rateLimits.organizationLookupIp.consume(networkOf(ctx.ip));
    return signUpOrganizations(ctx.em, search ? withinLength('search', search, 200) : null, first);
  }

  @Mutation(() => Boolean, {
    description:
      'Signs a person up. True for every well-formed request, whether or not the address has an account (that owner is mailed instead); the account comments once its e-mail is confirmed (`confirmEmail`). RATE_LIMITED per address and per network.',
  })
  async signUp(@Arg('input', () => SignUpInput, { description: 'Who they are.' }) input: SignUpInput, @Ctx() ctx: RequestContext) {
    await requestSignUp(ctx.em, ctx.app, input, ctx.ip);
    return true;
  }

  @Mutation(() => User, { description: 'Follows a confirmation link, with the password chosen at sign-up, and signs the person in.' })
  async confirmEmail(
    @Arg('token', () => String, { description: 'The token from the link.' }) token: string,
    @Arg('password', () => String, { description: 'The password chosen at sign-up.' }) password: string,
    @Ctx() ctx: RequestContext,
  ) {
    const { accountLinkIp } = ctx.app.rateLimits;
    await accountLinkIp.consume(ctx.ip);
    const { user, session } = await confirmEmail(ctx.em, ctx.app, withinLength('token', token, 200), withinLength('password', password, 1000));
    await accountLinkIp.reward(ctx.ip);
    ctx.cookie.set(session.token, session.expiresAt);
    ctx.viewer = new Viewer(user, hashToken(session.token));
    return user;
  }

  @Mutation(() => Boolean, { description: 'Mails a single-use reset link when an account has the address. True in every case, in the same time. RATE_LIMITED per address and per network.' })
  async requestPasswordReset(@Arg('email', () => String, { description: 'The account’s address.' }) email: string, @Ctx() ctx: RequestContext) {
    await requestPasswordReset(ctx.em, ctx.app, withinLength('email', email, 320), ctx.ip);
    return true;
  }

  @Mutation(() => User, { description: 'Sets a new password from a reset link, ends every session of the account, and signs the person in.' })
  async resetPassword(@Arg('input', () => ResetPasswordInput, { description: 'The token and the new password.' }) input: ResetPasswordInput, @Ctx() ctx: RequestContext) {
    const { accountLinkIp } = ctx.app.rateLimits;
    await accountLinkIp.consume(ctx.ip);
    const { user, session } = await resetPassword(ctx.em, ctx.app, input.token, input.password);
    await accountLinkIp.reward(ctx.ip);
    ctx.cookie.set(session.token, session.expiresAt);
    ctx.viewer = new Viewer(user, hashToken(session.token));
    return user;
  }

  @Authorized()
  @Query(() => [AccountSession], { description: 'My signed-in browsers, newest first.' })
  mySessions(@Ctx() ctx: RequestContext) {
    return accounts.mySessions(ctx.em, requireViewer(ctx.viewer));
  }

  @Authorized()
  @Mutation(() => User, { description: 'Changes my name and language.' })
  updateMyAccount(@Arg('input', () => UpdateAccountInput, { description: 'My name and language.' }) input: UpdateAccountInput, @Ctx() ctx: RequestContext) {
    return accounts.updateAccount(ctx.em, requireViewer(ctx.viewer), input);
  }

  @Authorized()
  @Mutation(() => Boolean, { description: 'Changes my password, given the current one; my other sessions end.' })
  changeMyPassword(@Arg('input', () => ChangePasswordInput, { description: 'The current and the new password.' }) input: ChangePasswordInput, @Ctx() ctx: RequestContext) {
    return accounts.changePassword(ctx.em, ctx.app, requireViewer(ctx.viewer), input);
  }

  @Authorized(Role.FACILITATOR)
  @Mutation(() => User, { description: 'Suspends an account: its sessions end, it cannot sign in, its comments stay, marked. Only an admin suspends staff.' })
  suspendUser(
    @Arg('userId', () => ID, { description: 'The person.' }) userId: string,
    @Arg('reason', () => String, { description: 'Why, for the audit log.' }) reason: string,
    @Ctx() ctx: RequestContext,
  ) {
    return suspendUser(ctx.em, requireViewer(ctx.viewer), userId, withinLength('reason', reason, 2000));
  }

  @Authorized(Role.FACILITATOR)
  @Mutation(() => User, { description: 'Lifts a suspension.' })
  reinstateUser(@Arg('userId', () => ID, { description: 'The person.' }) userId: string, @Ctx() ctx: RequestContext) {
    return reinstateUser(ctx.em, requireViewer(ctx.viewer), userId);
  }

  @Authorized(Role.FACILITATOR)
  @Query(() => [OrganizationRequest], { description: 'Requests for new organizations waiting for a decision, oldest first.' })
  organizationRequests(@Ctx() ctx: RequestContext) {
    return organizationRequests.pendingOrganizationRequests(ctx.em);
  }

  @Authorized(Role.FACILITATOR)
  @Mutation(() => OrganizationRequest, { description: 'Creates the organization asked for and puts the person in it; CONFLICT `REQUEST_DECIDED` when decided already.' })
  approveOrganizationRequest(@Arg('id', () => ID, { description: 'The request.' }) id: string, @Ctx() ctx: RequestContext) {
    return organizationRequests.approveOrganizationRequest(ctx.em, requireViewer(ctx.viewer), id);
  }

  @Authorized(Role.FACILITATOR)
  @Mutation(() => OrganizationRequest, { description: 'Refuses it: the person stays an individual. CONFLICT `REQUEST_DECIDED` when decided already.' })
  refuseOrganizationRequest(@Arg('id', () => ID, { description: 'The request.' }) id: string, @Ctx() ctx: RequestContext) {
    return organizationRequests.refuseOrganizationRequest(ctx.em, requireViewer(ctx.viewer), id);
  }
}

/** An account's status is the person's own business and the facilitators'. */
const seesStatus = (ctx: RequestContext, user: User) => Boolean(ctx.viewer && (ctx.viewer.id === user.id || ctx.viewer.isFacilitator));

@Resolver(() => User)
export class AccountStatusResolver {
  @FieldResolver(() => Boolean, { description: 'True while a facilitator has the account suspended.' })
  suspended(@Root() user: User) {
    return Boolean(user.suspendedAt);
  }

  @FieldResolver(() => Boolean, { nullable: true, description: 'Whether the account may sign in (false while suspended, or once deleted); visible to the person and to facilitators.' })
  active(@Root() user: User, @Ctx() ctx: RequestContext) {
    return seesStatus(ctx, user) ? user.active : null;
  }

  @FieldResolver(() => Date, { nullable: true, description: 'When a facilitator suspended the account; null when it is not suspended, and for anyone but the person and facilitators.' })
  suspendedAt(@Root() user: User, @Ctx() ctx: RequestContext) {
    return seesStatus(ctx, user) ? (user.suspendedAt ?? null) : null;
  }

  @FieldResolver(() => String, { nullable: true, description: 'Why it was suspended, as the facilitator wrote it (also in the audit log); for facilitators only.' })
  suspensionReason(@Root() user: User, @Ctx() ctx: RequestContext) {
    return ctx.viewer?.isFacilitator ? (user.suspensionReason ?? null) : null;
  }

  @FieldResolver(() => Boolean, { nullable: true, description: 'Whether the e-mail is confirmed; visible to the person and to facilitators.' })
  emailConfirmed(@Root() user: User, @Ctx() ctx: RequestContext) {
    return seesStatus(ctx, user) ? Boolean(user.emailConfirmedAt) : null;
  }
}

@Resolver(() => OrganizationRequest)
export class OrganizationRequestResolver {
  @FieldResolver(() => User, { description: 'Who asked, at sign-up.' })
  requestedBy(@Root() request: OrganizationRequest) {
    return request.requestedBy.load();
  }

  @FieldResolver(() => Boolean, { description: 'While it waits: true when the person asked to join an organization Consulta knows (approving puts them in it, creating nothing). False once decided.' })
  joinsExisting(@Root() request: OrganizationRequest) {
    return request.status === OrganizationRequestStatus.PENDING && Boolean(request.organization);
  }
}

@Resolver(() => CommentAuthor)
export class CommentAuthorStatusResolver {
  @FieldResolver(() => Boolean, { description: 'True when the author’s account is suspended now: the comment stays in the record, marked.' })
  suspended(@Root() author: CommentAuthor, @Ctx() ctx: RequestContext) {
    return ctx.loader(suspendedAuthors).load(author.userId);
  }
}
