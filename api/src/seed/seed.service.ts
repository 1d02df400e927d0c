import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { PasswordHasher } from '../auth/password.js';
import { frameworksStep } from '../frameworks/framework.seed.js';
import { consultationStep } from '../rounds/consultation.seed.js';
import { ballotsStep } from '../ballots/ballot.seed.js';
import { releasesStep } from '../releases/release.seed.js';
import { analysisStep } from '../analysis/analysis.seed.js';
import { Organization, type OrganizationKind } from '../organizations/organization.entity.js';
import { User, type Locale, type Role } from '../users/user.entity.js';

const SEEDS_DIR = new URL('../../../seeds/demo/', import.meta.url);

export function readSeed<T>(file: string): T {
  return JSON.parse(readFileSync(fileURLToPath(new URL(file, SEEDS_DIR)), 'utf8')) as T;
}

/** What the demo steps share: organizations and people by their seed keys. */
export interface SeedState {
  organizations: Map<string, Organization>;
  users: Map<string, User>;
}

export type SeedStep = (em: EntityManager, state: SeedState) => Promise<Record<string, number>>;

interface OrganizationSeed { key: string; name: string; acronym: string | null; kind: OrganizationKind; country: string }
interface UserSeed { email: string; name: string; organization: string; roles: Role[]; language: Locale }

export function peopleStep(hasher: PasswordHasher): SeedStep {
  return async (em, state) => {
    for (const { key, ...org } of readSeed<OrganizationSeed[]>('organizations.json')) {
      state.organizations.set(key, em.create(Organization, org));
    }
    const { password, users } = readSeed<{ password: string; users: UserSeed[] }>('users.json');
    const passwordHash = await hasher.hash(password);
    for (const u of users) {
      const organization = state.organizations.get(u.organization);
      if (!organization) throw new Error(`users.json: unknown organization ${u.organization}`);
      state.users.set(u.email, em.create(User, { ...u, organization, passwordHash }));
    }
    await em.flush();
    return { organizations: state.organizations.size, users: state.users.size };
  };
}

/** Loads the demo data into an empty database, in one transaction. Returns null when there is data already. */
export async function seedDemoIfEmpty(orm: MikroORM, hasher: PasswordHasher, steps: SeedStep[] = demoSteps(hasher)) {
  const em = orm.em.fork();
  if (await em.count(User, {})) return null;
  return seedDemo(em, steps);
}

export async function seedDemo(em: EntityManager, steps: SeedStep[]) {
  return em.transactional(async (tx) => {
    const state: SeedState = { organizations: new Map(), users: new Map() };
    const counts: Record<string, number> = {};
    for (const step of steps) Object.assign(counts, await step(tx, state));
    return counts;
  });
}

/** The demo, in dependency order; a feature appends its step. */
export function demoSteps(hasher: PasswordHasher): SeedStep[] {
  return [peopleStep(hasher), frameworksStep, releasesStep, consultationStep, ballotsStep, analysisStep];
}
