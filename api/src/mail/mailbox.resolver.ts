import { Arg, Ctx, Field, ID, ObjectType, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../context.js';
import { notFound } from '../errors.js';
import { mailboxOpen } from './mail-transport.js';
import { mailboxMessage, mailboxMessages } from './mail.service.js';

@ObjectType({ description: 'A message in the development mailbox (mail kept here because no SMTP_URL is set, outside production).' })
export class MailboxMessage {
  @Field(() => ID, { description: 'The message.' })
  id!: string;
  @Field(() => String, { description: 'What it is: invitation, signupConfirm, passwordReset, …' })
  kind!: string;
  @Field(() => String, { description: 'The address it is for.' })
  to!: string;
  @Field(() => String, { description: 'Its subject.' })
  subject!: string;
  @Field(() => String, { description: 'queued, sending, sent, unknown or failed.' })
  status!: string;
  @Field(() => Date, { description: 'When it was queued.' })
  createdAt!: Date;
  @Field(() => String, { nullable: true, description: 'The text part (only when one message is asked for).' })
  text?: string | null;
}

/**
 * The development mailbox, so a newcomer on the embedded default can register and reset a password.
 * Anyone may read it — that is its point — so it answers NOT_FOUND in production and whenever mail
 * really leaves (SMTP_URL set).
 */
@Resolver()
export class MailboxResolver {
  @Query(() => [MailboxMessage], { description: 'The latest 50 messages, newest first; NOT_FOUND in production or when SMTP_URL is set.' })
  developmentMailbox(@Ctx() ctx: RequestContext) {
    if (!mailboxOpen(ctx.app.config)) throw notFound('Mailbox');
    return mailboxMessages(ctx.em);
  }

  @Query(() => MailboxMessage, { description: 'One message with its text; NOT_FOUND in production or when SMTP_URL is set.' })
  async developmentMailboxMessage(@Arg('id', () => ID, { description: 'The message.' }) id: string, @Ctx() ctx: RequestContext) {
    if (!mailboxOpen(ctx.app.config)) throw notFound('Mailbox');
    const message = await mailboxMessage(ctx.em, id);
    if (!message) throw notFound('Message', id);
    return message;
  }
}
