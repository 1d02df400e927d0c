import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderMail } from '../../../api/src/mail/mail-content.js';
import { messageIdFor, queueMail } from '../../../api/src/mail/mail.service.js';
import { Locale } from '../../../api/src/users/user.entity.js';
import { demo, startTestApi, type TestApi } from '../../support/api.js';
import { eventually, runClockJobNow, settled } from '../../support/jobs.js';
import { withApiAndSmtp, type TestSmtp } from '../../support/smtp.js';

let smtp: TestSmtp;
let api: TestApi;
withApiAndSmtp((started) => ({ api, smtp } = started));

const em = () => api.db.orm.em.fork();
let n = 0;
const address = () => `mail.${Date.now()}.${++n}@example.org`;

/** Queues a password-reset-shaped mail to `to` under `key`, in its own transaction, as a service would. */
function queue(to: string, key: string, extra: { unsubscribeUrl?: string; language?: Locale } = {}) {
  const language = extra.language ?? Locale.EN;
  return em().transactional((tx) =>
    queueMail(tx, { key, kind: 'passwordReset', to, language, unsubscribeUrl: extra.unsubscribeUrl, content: renderMail(language, 'passwordReset', { name: 'Ana', minutes: 60 }, { actionUrl: `http://localhost:3000/reset-password/${key}`, unsubscribeUrl: extra.unsubscribeUrl }) }),
  );
}

const row = async (key: string) => (await em().execute<{ id: string; status: string; attempts: number; last_error: string | null }[]>('select id, status, attempts, last_error from mail_message where key = ?', [key]))[0];
const arrivedFor = (to: string) => smtp.received.filter((m) => m.to && [m.to].flat().some((a) => a.text.includes(to))).length;

describe('the mail pipeline', () => {
  it('sends an invitation over SMTP after the commit, in the invitee’s language, as text and HTML, with a Message-ID from its key', async () => {
    const facilitator = await api.as(demo.facilitator);
    const to = address();
    const { inviteUser } = await facilitator.data(`mutation($input: InviteInput!) { inviteUser(input: $input) { emailed link invitation { id } } }`, {
      input: { email: to, name: 'Marie Curie', language: 'FR' },
    });
    expect(inviteUser.emailed).toBe(true);
    expect(inviteUser.link).toBeNull();
    const mail = await smtp.waitFor(to);
    expect(mail.subject).toBe('Invitation à Consulta');
    expect(mail.text).toContain('Bonjour Marie Curie');
    expect(mail.text).toMatch(/http:\/\/localhost:3000\/invitation\/[\w-]{20,}/);
    expect(mail.html).toContain('<a href="http://localhost:3000/invitation/');
    expect(mail.messageId).toBe(messageIdFor(`invitation:${inviteUser.invitation.id}`, 'http://localhost:3000'));
    await settled(api.db.orm);
    expect((await row(`invitation:${inviteUser.invitation.id}`)).status).toBe('sent');
  });

  it('queues one message per key: deciding the same mail twice sends it once', async () => {
    const to = address();
    const key = `test-twice:${to}`;
    expect(await queue(to, key)).toBe(true);
    expect(await queue(to, key)).toBe(false);
    await smtp.waitFor(to);
    await settled(api.db.orm);
    expect(arrivedFor(to)).toBe(1);
  });

  it('a rolled-back transaction sends nothing', async () => {
    const to = address();
    await expect(
      em().transactional(async (tx) => {
        await queueMail(tx, { key: `rolled-back:${to}`, kind: 'passwordReset', to, language: Locale.ES, content: renderMail(Locale.ES, 'passwordReset', { name: 'Ana', minutes: 60 }) });
        throw new Error('the write failed');
      }),
    ).rejects.toThrow('the write failed');
    await settled(api.db.orm);
    expect(await row(`rolled-back:${to}`)).toBeUndefined();
    expect(arrivedFor(to)).toBe(0);
  });

  it('retries a send the server refused, with a delay, and delivers it once', async () => {
    const to = address();
    const key = `refused:${to}`;
    smtp.refuseNext(1);
    await queue(to, key);
    await eventually(async () => (await row(key)).last_error !== null, () => 'the first try did not fail');
    const failed = await row(key);
    expect(failed).toMatchObject({ status: 'queued', attempts: 1 });
    expect(failed.last_error).toMatch(/451|Try again later/);
    expect(arrivedFor(to)).toBe(0);
    // graphile-worker waits about e^1 seconds before the retry: bring it forward.
    await runClockJobNow(api.db.orm, `mail:${failed.id}`);
    await smtp.waitFor(to);
    await settled(api.db.orm);
    expect(await row(key)).toMatchObject({ status: 'sent', attempts: 2 });
    expect(arrivedFor(to)).toBe(1);
  });

  it('does not send twice after a crash between the send and its commit', async () => {
    const to = address();
    const key = `crash:${to}`;
    // The mark after the send fails, as if the process died once the server had the message.
    await em().execute(`create function refuse_sent_mark() returns trigger language plpgsql as $$ begin
        if new.status = 'sent' and new.key = '${key}' then raise exception 'crashed before the commit'; end if; return new; end $$`);
    await em().execute('create trigger refuse_sent_mark before update on mail_message for each row execute function refuse_sent_mark()');
    try {
      await queue(to, key);
      await smtp.waitFor(to);
      await eventually(async () => (await em().execute<{ n: number }[]>('select count(*)::int as n from graphile_worker.jobs where key = ? and attempts = 1 and last_error is not null', [`mail:${(await row(key)).id}`]))[0].n === 1, () => 'the job did not fail after sending');
      expect((await row(key)).status).toBe('sending');
    } finally {
      await em().execute('drop trigger refuse_sent_mark on mail_message');
      await em().execute('drop function refuse_sent_mark()');
    }
    await runClockJobNow(api.db.orm, `mail:${(await row(key)).id}`);
    await settled(api.db.orm);
    expect(await row(key)).toMatchObject({ status: 'unknown', attempts: 1 });
    expect(arrivedFor(to)).toBe(1);
  });

  it('carries List-Unsubscribe and List-Unsubscribe-Post when the mail may be stopped', async () => {
    const to = address();
    const unsubscribeUrl = 'http://localhost:3000/unsubscribe/signed-token';
    await queue(to, `unsubscribe:${to}`, { unsubscribeUrl, language: Locale.ES });
    const mail = await smtp.waitFor(to);
    const header = (name: string) => mail.headerLines.find((h) => h.key === name)?.line;
    expect(header('list-unsubscribe')).toBe(`List-Unsubscribe: <${unsubscribeUrl}>`);
    expect(header('list-unsubscribe-post')).toBe('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
    expect(mail.text).toContain(`Dejar de recibir estos avisos: ${unsubscribeUrl}`);
  });

  it('keeps the development mailbox closed when mail really leaves', async () => {
    expect((await api.client().error(`{ developmentMailbox { id } }`)).code).toBe('NOT_FOUND');
  });
});

describe('the development mailbox (no SMTP_URL, not production)', () => {
  let local: TestApi;
  beforeAll(async () => {
    local = await startTestApi({ seed: 'none' });
  });
  afterAll(() => local?.stop());

  it('keeps every mail, readable signed out, with its text', async () => {
    const to = address();
    await local.db.orm.em.fork().transactional((tx) =>
      queueMail(tx, { key: `mailbox:${to}`, kind: 'signupConfirm', to, language: Locale.PT, content: renderMail(Locale.PT, 'signupConfirm', { name: 'João', hours: 24 }, { actionUrl: 'http://localhost:3000/signup/confirm/abc' }) }),
    );
    await settled(local.db.orm);
    const { developmentMailbox } = await local.client().data(`{ developmentMailbox { id to subject status kind } }`);
    expect(developmentMailbox[0]).toMatchObject({ to, subject: 'Confirme seu endereço de e-mail no Consulta', status: 'SENT'.toLowerCase(), kind: 'signupConfirm' });
    const { developmentMailboxMessage } = await local.client().data(`query($id: ID!) { developmentMailboxMessage(id: $id) { text } }`, { id: developmentMailbox[0].id });
    expect(developmentMailboxMessage.text).toContain('http://localhost:3000/signup/confirm/abc');
  });
});
