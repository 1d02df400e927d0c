import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { Organization } from '../organizations/organization.entity.js';
import { User } from '../users/user.entity.js';

const SEEDS_DIR = new URL('../../../seeds/demo/', import.meta.url);

export function readSeed<T>(file: string): T {
  return JSON.parse(readFileSync(fileURLToPath(new URL(file, SEEDS_DIR)), 'utf8')) as T;
}

/** A file the demo ships as it is (`seeds/demo/files/<name>`), e.g. an evidence PDF. */
export function readSeedFile(name: string): Buffer {
  return readFileSync(fileURLToPath(new URL(`files/${name}`, SEEDS_DIR)));
}

/** What the demo steps share: organizations and people by their seed keys. */
export interface SeedState {
  organizations: Map<string, Organization>;
  users: Map<string, User>;
}

/** One feature's part of the demo; the list of steps is assembled above the features (demo-steps.ts). */
export type SeedStep = (em: EntityManager, state: SeedState) => Promise<Record<string, number>>;

/** Loads the demo data into an empty database, in one transaction. Returns null when there is data already. */
export async function seedDemoIfEmpty(orm: MikroORM, steps: SeedStep[]) {
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
