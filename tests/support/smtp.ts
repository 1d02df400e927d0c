import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll } from 'vitest';
import { startTestApi, type TestApi } from './api.js';
import { eventually } from './jobs.js';

export interface TestSmtp {
  /** `smtp://127.0.0.1:<port>`: give it to the API as SMTP_URL. */
  url: string;
  /** Every message accepted so far, parsed, in arrival order. */
  received: ParsedMail[];
  /** Refuses the next `count` messages with a temporary failure (451), as a busy server does. */
  refuseNext(count: number): void;
  /** Waits until a message to `to` matching `where` has arrived (the newest such), and returns it. */
  waitFor(to: string, where?: (m: ParsedMail) => boolean): Promise<ParsedMail>;
  stop(): Promise<void>;
}

/** A real SMTP server in the test process (smtp-server): the API sends to it as to any other. */
export async function startTestSmtp(): Promise<TestSmtp> {
  const received: ParsedMail[] = [];
  let refusals = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        if (refusals > 0) {
          refusals -= 1;
          const err = Object.assign(new Error('Try again later'), { responseCode: 451 });
          return callback(err);
        }
        simpleParser(Buffer.concat(chunks))
          .then((mail) => {
            received.push(mail);
            callback();
          })
          .catch(callback);
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  const addressedTo = (m: ParsedMail, to: string) => [m.to].flat().some((a) => a?.value.some((v) => v.address?.toLowerCase() === to.toLowerCase()));
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    refuseNext: (count) => {
      refusals = count;
    },
    waitFor: async (to, where = () => true) => {
      const find = () => received.filter((m) => addressedTo(m, to) && where(m)).at(-1);
      await eventually(() => Boolean(find()), () => `no mail to ${to} arrived`);
      return find()!;
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The first link in a mail's text that starts with `prefix` (e.g. `${PUBLIC_URL}/reset-password/`). */
export function linkIn(text: string | undefined, prefix: string): string {
  const link = (text ?? '').split(/\s+/).find((w) => w.startsWith(prefix));
  if (!link) throw new Error(`no link starting ${prefix} in:\n${text}`);
  return link;
}

/**
 * For a test file whose API sends its mail over SMTP: before its tests, a test SMTP server and an
 * API sending to it, handed to `started`; after them, both stopped (the API first, as it may be sending).
 */
export function withApiAndSmtp(started: (both: { api: TestApi; smtp: TestSmtp }) => void): void {
  let smtp: TestSmtp | undefined;
  let api: TestApi | undefined;
  beforeAll(async () => {
    smtp = await startTestSmtp();
    api = await startTestApi({ env: { SMTP_URL: smtp.url } });
    started({ api, smtp });
  });
  afterAll(async () => {
    await api?.stop();
    await smtp?.stop();
  });
}
