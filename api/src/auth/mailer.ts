import nodemailer from 'nodemailer';
import type { Logger } from 'pino';

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
}

export interface Mailer {
  /** True when mail really leaves (SMTP_URL set); otherwise the message is only logged. */
  readonly delivers: boolean;
  send(mail: OutgoingMail): Promise<void>;
}

export function createMailer(smtpUrl: string | undefined, from: string, log: Logger): Mailer {
  if (!smtpUrl) {
    return {
      delivers: false,
      send: async (mail) => log.info({ to: mail.to, subject: mail.subject, text: mail.text }, 'mail not sent (no SMTP_URL)'),
    };
  }
  const transport = nodemailer.createTransport(smtpUrl);
  return {
    delivers: true,
    send: async (mail) => {
      await transport.sendMail({ from, ...mail });
    },
  };
}
