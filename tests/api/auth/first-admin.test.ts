import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditEntry } from '../../../api/src/audit/audit-entry.entity.js';
import { inviteFirstAdmin } from '../../../api/src/auth/first-admin.js';
import { Invitation } from '../../../api/src/auth/invitation.entity.js';
import { Role, User } from '../../../api/src/users/user.entity.js';
import { createTestDatabase, type TestDatabase } from '../../support/database.js';
import { DEMO_PASSWORD, startTestApi, type TestApi } from '../../support/api.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const PUBLIC_URL = 'https://consulta.example.org';
const PREVIEW = `query($t: String!) { invitation(token: $t) { email } }`;
const ACCEPT = `mutation($input: AcceptInvitationInput!) { acceptInvitation(input: $input) { email roles } }`;

/** Runs a command to its end, as the operator would in a shell. */
function run(command: string, args: string[], env: Record<string, string>) {
  return new Promise<{ code: number | null; out: string }>((resolve) => {
    const child = spawn(command, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (out += c));
    child.once('exit', (code) => resolve({ code, out }));
  });
}

const tokenOf = (output: string) => new RegExp(`${PUBLIC_URL}/invitation/([\\w-]+)`).exec(output)?.[1];

describe('the first admin of a production instance (SEED=none), by command', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi({ seed: 'none', env: { NODE_ENV: 'production', PUBLIC_URL } });
  });
  afterAll(() => api?.stop());

  const admin = (email: string) =>
    run('npm', ['run', 'admin', '--silent', '-w', 'api', '--', 'create', email], { DATABASE_URL: api.db.url, NODE_ENV: 'production', PUBLIC_URL, LOG_LEVEL: 'silent' });
  const em = () => api.db.orm.em.fork();

  it('is invited once with a link on PUBLIC_URL, sets their own password there, and a second attempt does nothing', async () => {
    expect(await em().count(User, {})).toBe(0);
    const lost = await admin('Primera@Example.org');
    expect(lost.code, lost.out).toBe(0);
    // The operator lost the link: asking again replaces it, while there is still no admin.
    const first = await admin('primera@example.org');
    expect(first.code, first.out).toBe(0);
    expect(first.out).toMatch(/earlier first-admin link no longer works/);
    expect((await api.client().error(PREVIEW, { t: tokenOf(lost.out) })).extensions?.reason).toBe('INVITATION_EXPIRED');

    const token = tokenOf(first.out)!;
    expect((await api.client().data(PREVIEW, { t: token })).invitation.email).toBe('primera@example.org');
    const person = api.client();
    const { acceptInvitation } = await person.data(ACCEPT, { input: { token, password: 'una-clave-larga-y-mia', name: 'Primera Admin' } });
    expect(acceptInvitation).toEqual({ email: 'primera@example.org', roles: [Role.ADMIN] });
    // an admin may do what only admins may: invite a facilitator
    const { inviteUser } = await person.data(`mutation($input: InviteInput!) { inviteUser(input: $input) { invitation { roles } } }`, {
      input: { email: 'facilitadora@example.org', name: 'Facilitadora', roles: [Role.FACILITATOR] },
    });
    expect(inviteUser.invitation.roles).toEqual([Role.FACILITATOR]);

    const created = await em().find(AuditEntry, { action: 'invitation.created', actorId: null }, { orderBy: { id: 'asc' } });
    expect(created.map((e) => e.data)).toEqual([
      expect.objectContaining({ email: 'primera@example.org', roles: [Role.ADMIN], firstAdmin: true, source: 'command', replaced: 0 }),
      expect.objectContaining({ email: 'primera@example.org', firstAdmin: true, source: 'command', replaced: 1 }),
    ]);

    const [invitations, entries] = [await em().count(Invitation, {}), await em().count(AuditEntry, {})];
    const again = await admin('otra@example.org');
    expect(again.code).toBe(1);
    expect(again.out).toMatch(/already has an admin: nothing done/);
    expect(tokenOf(again.out)).toBeUndefined();
    expect([await em().count(Invitation, {}), await em().count(AuditEntry, {})]).toEqual([invitations, entries]);
    expect(await em().count(User, { roles: { $contains: [Role.ADMIN] } })).toBe(1);
  }, 180_000);

  it('a first-admin link still open when an admin appears another way no longer opens', async () => {
    const db = await createTestDatabase();
    try {
      const outcome = await inviteFirstAdmin(db.orm.em.fork(), api.app.config, 'tardia@example.org', 'command');
      if (!outcome.invited) throw new Error(outcome.reason);
      const other = await startTestApi({ seed: 'none', db: { ...db, drop: async () => undefined } });
      try {
        const token = new URL(outcome.link).pathname.split('/').pop()!;
        expect((await other.client().data(PREVIEW, { t: token })).invitation.email).toBe('tardia@example.org');
        const em = db.orm.em.fork();
        em.create(User, { email: 'importada@example.org', name: 'Admin Importada', roles: [Role.ADMIN], passwordHash: await other.app.hasher.hash(DEMO_PASSWORD) });
        await em.flush();
        for (const answer of [
          await other.client().error(PREVIEW, { t: token }),
          await other.client().error(ACCEPT, { input: { token, password: 'una-clave-larga-y-mia' } }),
        ]) {
          expect(answer.code).toBe('CONFLICT');
          expect(answer.extensions?.reason).toBe('FIRST_ADMIN_EXISTS');
        }
        expect(await db.orm.em.fork().count(User, { email: 'tardia@example.org' })).toBe(0);
      } finally {
        await other.stop();
      }
    } finally {
      await db.drop();
    }
  });
});

describe('the first admin by ADMIN_EMAIL, read at start', () => {
  let db: TestDatabase;
  const children: ChildProcess[] = [];
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    await db?.drop();
  });

  /** Starts the API as production runs it, until it is ready, and stops it; what it logged. */
  async function startAndStop(): Promise<string> {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: `${root}api`,
      env: { ...process.env, NODE_ENV: 'production', DATABASE_URL: db.url, API_PORT: '0', API_HOST: '127.0.0.1', PUBLIC_URL, ADMIN_EMAIL: 'inicio@example.org', LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let output = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the API did not start:\n${output}`)), 90_000);
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        if (/API ready at/.test(output)) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', onData);
      child.once('exit', () => reject(new Error(`the API exited early:\n${output}`)));
    });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
    return output;
  }

  it('invites the first admin on the first start, and a restart does nothing more', async () => {
    const first = await startAndStop();
    expect(tokenOf(first), first).toBeTruthy();
    expect(first).toMatch(/invited the first admin \(ADMIN_EMAIL\)/);
    const second = await startAndStop();
    expect(tokenOf(second)).toBeUndefined();
    expect(second).toMatch(/first admin's invitation is still open/);
    const em = db.orm.em.fork();
    expect(await em.count(Invitation, { email: 'inicio@example.org' })).toBe(1);
    expect(await em.count(AuditEntry, { action: 'invitation.created' })).toBe(1);
  }, 240_000);
});
