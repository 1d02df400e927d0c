import type { FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Role } from '../../../api/src/users/user.entity.js';
import type { GraphQLClient } from '../../support/client.js';
import { demo, type TestApi } from '../../support/api.js';

// What a feature's authorization rows are made of: apart from the matrix, which imports every feature's rows.
export type Caller = 'anonymous' | 'stakeholder' | 'member' | 'facilitator' | 'admin' | 'otherOrganization';
export type Outcome = 'allowed' | 'UNAUTHENTICATED' | 'FORBIDDEN' | 'NOT_FOUND';
export type Vars = Record<string, unknown>;

/** The demo accounts behind each caller. `otherOrganization` is a member of another organization than `member`'s. */
export const callers: Record<Exclude<Caller, 'anonymous'>, { email: string; roles: Role[] }> = {
  stakeholder: { email: demo.stakeholder, roles: [Role.STAKEHOLDER] },
  member: { email: demo.member, roles: [Role.MEMBER] },
  facilitator: { email: demo.facilitator, roles: [Role.FACILITATOR] },
  admin: { email: demo.admin, roles: [Role.ADMIN] },
  otherOrganization: { email: demo.member2, roles: [Role.MEMBER] },
};

/** What a row's `variables` may use to find or make what the call needs. */
export interface Fixtures {
  api: TestApi;
  /** A fresh entity manager on the test database. */
  em(): EntityManager;
  /** The id of the first entity matching `where`; fails loudly when there is none. */
  id<T extends object>(entity: new (...args: never[]) => T, where: FilterQuery<T>): Promise<string>;
  /** A signed-in client (the admin by default) for setting things up. */
  setup(caller?: Exclude<Caller, 'anonymous'>): Promise<GraphQLClient>;
  /** A short unique suffix, for names that must not repeat. */
  unique(): string;
  /** A fresh invitation's token (made by the facilitator). */
  invitationToken(): Promise<string>;
}

export interface OperationRow {
  /** The least that may call it: anyone, any signed-in person, or a role (with roles.ts implications). */
  minimum: 'public' | 'signedIn' | Role;
  /** The finer rule in words, when a role is not the whole story. */
  rule?: string;
  /** Outcomes that differ from what `minimum` implies, per caller. */
  cells?: Partial<Record<Caller, Outcome>>;
  /** The operation; its variables are named after the field's arguments. */
  document: string;
  variables?: (fx: Fixtures, caller: Caller) => Vars | Promise<Vars>;
  /** Error codes an allowed caller may still get for reasons other than authorization (e.g. CONFLICT). */
  tolerate?: string[];
  /** The call starts, replaces or ends the caller's session; the test signs in afresh afterwards. */
  changesSession?: boolean;
  /** Why a mutation that succeeds writes no audit entry; every other mutation must write one (audit-log.test.ts). */
  unaudited?: string;
  /**
   * For a mutation that uses up the account calling it (deleting it), which the shared demo callers
   * cannot lend: a fresh account signed in, and variables with which its call succeeds. audit-log.test.ts
   * makes this call to see its entry; the matrix calls as each caller, with `variables`.
   */
  asFreshAccount?: (fx: Fixtures) => Promise<{ client: GraphQLClient; variables: Vars }>;
}
