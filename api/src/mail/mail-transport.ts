import nodemailer from 'nodemailer';
import type { Logger } from 'pino';
import type { Config } from '../config.js';

declare module '../context.js' {
  interface AppServices {
    /** Where mail goes; only the `mail.send` job uses it (mail/mail.service.ts queues every mail). */
    mail: MailTransport;
  }
}

/** One message as it leaves: what the job hands the transport. */
export interface OutgoingMessage {
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Derived from the message's key, so a receiver that sees it twice knows it for one. */
  messageId: string;
  headers: Record<string, string>;
}

/**
 * Where mail goes: an SMTP server (SMTP_URL); without one, outside production, the development
 * mailbox (the stored messages themselves, read at /dev/mailbox); in production without one, the log.
 */
export interface MailTransport {
  readonly kind: 'smtp' | 'mailbox' | 'log';
  /** True when mail really leaves this instance. */
  readonly delivers: boolean;
  /** Resolves once the server accepted the message; rejects when it refused it or could not be reached. */
  send(message: OutgoingMessage): Promise<void>;
  close(): void;
}

export function createMailTransport(config: Config, log: Logger): MailTransport {
  if (config.SMTP_URL) {
    const transport = nodemailer.createTransport(config.SMTP_URL);
    return {
      kind: 'smtp',
      delivers: true,
      send: async ({ messageId, ...mail }) => {
        await transport.sendMail({ ...mail, messageId });
      },
      close: () => transport.close(),
    };
  }
  if (config.NODE_ENV !== 'production') {
    return { kind: 'mailbox', delivers: false, send: async () => undefined, close: () => undefined };
  }
  return {
    kind: 'log',
    delivers: false,
    send: async (mail) => log.info({ to: mail.to, subject: mail.subject, text: mail.text }, 'mail not sent (no SMTP_URL)'),
    close: () => undefined,
  };
}

/** Whether the development mailbox may be read: never in production, and not when mail really leaves. */
export const mailboxOpen = (config: Config) => config.NODE_ENV !== 'production' && !config.SMTP_URL;
