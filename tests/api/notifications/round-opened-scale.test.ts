import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Framework } from '../../../api/src/frameworks/framework.entity.js';
import { notifyRoundStatus } from '../../../api/src/notifications/notification.reactions.js';
import { demo, startTestApi, type TestApi } from '../../support/api.js';
import { settled } from '../../support/jobs.js';
import { countSql } from '../../support/sql-counter.js';

/** The benchmark's number of registered people. */
const PEOPLE = 5000;

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api?.stop());

const em = () => api.db.orm.em.fork();
const count = async (sql: string, params: unknown[] = []) => Number((await em().execute<{ n: string }[]>(sql, params))[0].n);

describe('a round opening with thousands registered', () => {
  it(`tells ${PEOPLE} people a page at a time, each once, queues the mails of those who want them at once, and tells nobody twice when it runs again`, async () => {
    const org = (await em().execute<{ id: string }[]>(`select id from organization order by name limit 1`))[0].id;
    // Every other person in an organization, so the reading rule loads some.
    await em().execute(
      `insert into app_user (id, name, email, roles, language, active, created_at, email_confirmed_at, organization_id)
       select gen_random_uuid(), 'Persona ' || g, 'escala.' || g || '@example.org', '{STAKEHOLDER}', 'es', true, now(), now(), case when g % 2 = 0 then ?::uuid end
       from generate_series(1, ${PEOPLE}) g`,
      [org],
    );
    // A fifth want each round's opening by mail at once.
    await em().execute(
      `insert into notification_preference (user_id, kind, delivery) select id, 'ROUND_OPENED', 'IMMEDIATE' from app_user where email like 'escala.%' and split_part(split_part(email, '@', 1), '.', 2)::int % 5 = 0`,
    );
    const { createRound } = await (await api.as(demo.facilitator)).data(`mutation($input: CreateRoundInput!) { createRound(input: $input) { id } }`, {
      input: {
        frameworkId: (await em().findOneOrFail(Framework, { slug: 'spwg-lac-certification' })).id,
        title: { es: 'Ronda para miles' },
        opensAt: new Date(Date.now() + 86_400_000).toISOString(),
        closesAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
        audience: { all: true, organizationIds: [], countries: [] },
      },
    });
    await settled(api.db.orm);
    // It opens as its clock would open it; the reaction runs here, measured, rather than in the queue.
    await em().execute(`update consultation_round set opens_at = now() - interval '1 minute' where id = ?`, [createRound.id]);
    const audience = await count(
      `select count(*) as n from app_user where active and email_confirmed_at is not null and not roles && '{FACILITATOR,ADMIN}'`,
    );

    const started = performance.now();
    const first = await countSql(() => notifyRoundStatus(em(), api.app, createRound.id));
    const ms = performance.now() - started;
    const told = await count(`select count(*) as n from notification where key = ?`, [`round-opened:${createRound.id}`]);
    expect(told).toBe(audience);
    expect(told).toBeGreaterThan(PEOPLE);
    const mailed = await count(
      `select count(*) as n from mail_message m join notification n on m.key = 'notification:' || n.id where n.key = ? and n.delivery = 'IMMEDIATE'`,
      [`round-opened:${createRound.id}`],
    );
    expect(mailed).toBe(PEOPLE / 5);

    const again = await countSql(() => notifyRoundStatus(em(), api.app, createRound.id));
    expect(await count(`select count(*) as n from notification where key = ?`, [`round-opened:${createRound.id}`])).toBe(told);
    // Statements grow with the pages (a thousand people each), not with the people.
    expect(first.count).toBeLessThan(10 * Math.ceil(told / 1000) + 10);
    // Each queued with its sending job: all of them leave.
    await settled(api.db.orm, 60_000);
    expect(await count(`select count(*) as n from mail_message where kind = 'notification.ROUND_OPENED' and status <> 'sent'`)).toBe(0);
    console.log(`round opened for ${told} people, ${mailed} of them mailed at once: ${first.count} statements, ${Math.round(ms)} ms; again: ${again.count} statements`);
  }, 120_000);
});
