import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditEntry } from '../../../api/src/audit/audit-entry.entity.js';
import { Session } from '../../../api/src/auth/session.entity.js';
import { Organization } from '../../../api/src/organizations/organization.entity.js';
import { User } from '../../../api/src/users/user.entity.js';
import { createTestDatabase } from '../../support/database.js';
import { demo, DEMO_PASSWORD, startTestApi, type TestApi } from '../../support/api.js';
import { startThrowawayPostgres, throwawayPostgresUnavailable, type ThrowawayPostgres } from '../../support/throwaway-postgres.js';

/**
 * PostgreSQL goes away (a crash, then a clean restart) while people write. The database is a
 * throwaway server of this test's own, so no other suite is disturbed.
 */
const unavailable = throwawayPostgresUnavailable();
if (unavailable) console.warn(`postgres-restart: skipped, ${unavailable}`);

const CREATE = `mutation($input: OrganizationInput!) { createOrganization(input: $input) { id name } }`;
const SIGN_IN = `mutation($input: SignInInput!) { signIn(input: $input) { id } }`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Until the wall clock reads `at` (ms since the epoch): the condition under test is a time of day, not an event. */
const untilClock = (at: number) => sleep(Math.max(0, at - Date.now()));

describe.skipIf(unavailable)('PostgreSQL restarts while mutations are being written', () => {
  let server: ThrowawayPostgres;
  let api: TestApi;

  beforeAll(async () => {
    server = await startThrowawayPostgres();
    api = await startTestApi({ db: await createTestDatabase(server.url) });
  }, 180_000);
  afterAll(async () => {
    await api?.stop().catch(() => undefined);
    server?.destroy();
  });

  async function readiness() {
    try {
      return (await fetch(`${api.url}/readyz`, { signal: AbortSignal.timeout(5000) })).status;
    } catch {
      return 0;
    }
  }

  it('every acknowledged write is kept, none is half-written, /readyz follows the database and the API recovers by itself', async () => {
    const facilitator = await api.as(demo.facilitator);
    const acknowledged: { id: string; name: string }[] = [];
    let acknowledgedSignIns = 0;
    let failures = 0;
    let running = true;
    let serial = 0;

    const writer = async (w: number) => {
      while (running) {
        const name = `Cooperativa Reinicio ${w}-${serial++}`;
        try {
          const r = await facilitator.request(CREATE, { input: { name, kind: 'MFI', country: 'PE' } });
          if (r.data?.createOrganization) acknowledged.push(r.data.createOrganization);
          else failures++;
        } catch {
          failures++;
        }
        await sleep(5);
      }
    };
    const signer = async () => {
      while (running) {
        try {
          const r = await api.client().request(SIGN_IN, { input: { email: demo.stakeholderEn, password: DEMO_PASSWORD } });
          if (r.data?.signIn) acknowledgedSignIns++;
          else failures++;
        } catch {
          failures++;
        }
        await sleep(5);
      }
    };
    const writers = [writer(1), writer(2), writer(3), signer()];

    const waitFor = async (done: () => boolean | Promise<boolean>, failure: string) => {
      const deadline = Date.now() + 30_000;
      while (!(await done())) {
        if (Date.now() > deadline) throw new Error(failure);
        await sleep(100);
      }
    };
    const downStatuses: number[] = [];
    for (const mode of ['immediate', 'fast'] as const) {
      const base = acknowledged.length;
      await waitFor(() => acknowledged.length >= base + 5, 'no writes succeeded before the restart');
      // The clean restart spans a minute's turn, when the job queue's clock adds the periodic jobs:
      // the queue must wait for the database then, not stop (or reject where no one listens).
      const minuteTurn = Math.ceil((Date.now() + 1000) / 60_000) * 60_000;
      if (mode === 'fast') await untilClock(minuteTurn - 1000);
      server.stop(mode);
      for (let i = 0; i < 8; i++) {
        downStatuses.push(await readiness());
        await sleep(150);
      }
      if (mode === 'fast') await untilClock(minuteTurn + 2000);
      server.start();
      await waitFor(async () => (await readiness()) === 200, 'the API did not report ready within 30 s of the database coming back');
      const readyAt = acknowledged.length;
      await waitFor(() => acknowledged.length >= readyAt + 5, 'writes did not succeed again after the restart: the API did not recover by itself');
    }
    running = false;
    await Promise.all(writers);

    // the API's job queue works again: a job added now is taken and done
    const em = api.db.orm.em.fork();
    await em.execute(`select graphile_worker.add_job('live:sweep', '{}'::json, job_key => 'postgres-restart-check')`);
    await waitFor(
      async () => (await em.execute(`select 1 from graphile_worker.jobs where key = 'postgres-restart-check'`)).length === 0,
      'the job queue did not run a job within 30 s of the database coming back: it stopped while the database was away',
    );

    console.info(
      `postgres-restart: ${acknowledged.length} organizations and ${acknowledgedSignIns} sign-ins acknowledged, ${failures} calls failed while the database was away; /readyz while down: ${[...new Set(downStatuses)].join(', ')}`,
    );
    expect(new Set(downStatuses)).toEqual(new Set([503]));
    expect(failures).toBeGreaterThan(0);

    const stored = await em.find(Organization, { name: { $like: 'Cooperativa Reinicio %' } });
    const storedIds = new Set(stored.map((o) => o.id));
    expect(acknowledged.filter((a) => !storedIds.has(a.id)), 'acknowledged but missing').toEqual([]);

    // one transaction per mutation: each organization has its audit entry and each entry its organization
    const created = await em.find(AuditEntry, { action: 'organization.created' });
    const audited = new Set(created.map((e) => e.subjectId));
    expect(stored.filter((o) => !audited.has(o.id)), 'organizations without their audit entry').toEqual([]);
    expect(created.filter((e) => !storedIds.has(e.subjectId)), 'audit entries without their organization').toEqual([]);

    const person = await em.findOneOrFail(User, { email: demo.stakeholderEn });
    const sessions = await em.count(Session, { user: person.id });
    const signedIn = await em.count(AuditEntry, { action: 'user.signed_in', actorId: person.id });
    expect(sessions, 'each session has its sign-in entry').toBe(signedIn);
    expect(sessions).toBeGreaterThanOrEqual(acknowledgedSignIns);
  }, 180_000);
});
