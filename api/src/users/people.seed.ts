import type { PasswordHasher } from '../auth/password.js';
import { Organization, type OrganizationKind } from '../organizations/organization.entity.js';
import { readSeed, type SeedStep } from '../seed/seed.service.js';
import { User, type Locale, type Role } from './user.entity.js';

interface OrganizationSeed { key: string; name: string; acronym: string | null; kind: OrganizationKind; country: string }
interface UserSeed { email: string; name: string; organization: string; roles: Role[]; language: Locale }

/** The demo's organizations and people, all with the demo password: the first step, the others refer to them. */
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
