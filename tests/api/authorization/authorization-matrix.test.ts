import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getMetadataStorage } from 'type-graphql';
import type { GraphQLSchema } from 'graphql';
import { buildApiSchema } from '../../../api/src/schema/build.js';
import { AuditEntry } from '../../../api/src/audit/audit-entry.entity.js';
import { startTestApi, type TestApi } from '../../support/api.js';
import { expectedOutcome, matrixHarness, mutations, PUBLIC_MUTATIONS, queries, type Caller, type OperationRow } from './authorization-matrix.js';

const TABLE = 'tests/api/authorization/authorization-matrix.ts';
const CALLERS: Caller[] = ['anonymous', 'stakeholder', 'member', 'facilitator', 'admin', 'otherOrganization'];

let api: TestApi;
let schema: GraphQLSchema;
let harness: ReturnType<typeof matrixHarness>;

beforeAll(async () => {
  schema = await buildApiSchema();
  api = await startTestApi();
  harness = matrixHarness(api);
});
afterAll(() => api?.stop());

/** The decorator on each root field: undefined for none, [] for `@Authorized()`, or its roles. */
function declaredRoles(kind: 'queries' | 'mutations' | 'subscriptions'): Map<string, string[] | undefined> {
  const storage = getMetadataStorage();
  const out = new Map<string, string[] | undefined>();
  for (const field of storage[kind]) {
    const own = storage.authorizedFields.find((a) => a.target === field.target && a.fieldName === field.methodName);
    const onClass = storage.authorizedResolver.find((a) => a.target === field.target);
    out.set(field.schemaName, (own ?? onClass)?.roles);
  }
  return out;
}

describe('the table covers the schema', () => {
  it.each([
    ['Query', queries],
    ['Mutation', mutations],
  ] as const)('every %s field has a row, and every row a field', (typeName, rows) => {
    const fields = Object.keys(schema.getType(typeName) && (schema.getType(typeName) as any).getFields());
    const missing = fields.filter((f) => !(f in rows));
    const stale = Object.keys(rows).filter((f) => !fields.includes(f));
    expect(
      missing.map((f) => `${typeName}.${f} has no row in ${TABLE}: add one stating who may call it and how (see the comment at the top)`),
    ).toEqual([]);
    expect(stale.map((f) => `${TABLE} has a row for ${typeName}.${f}, which is not in the schema: remove or rename it`)).toEqual([]);
  });

  it('every mutation carries @Authorized, unless it is on the explicit public list', () => {
    const unguarded = [...declaredRoles('mutations')].filter(([name, roles]) => roles === undefined && !PUBLIC_MUTATIONS.includes(name)).map(([name]) => name);
    expect(unguarded.map((m) => `Mutation.${m} has no @Authorized(...) and is not in PUBLIC_MUTATIONS`)).toEqual([]);
  });

  it('every subscription carries @Authorized (sockets are signed in, and each checks what the viewer may follow)', () => {
    const unguarded = [...declaredRoles('subscriptions')].filter(([, roles]) => roles === undefined).map(([name]) => name);
    expect(unguarded.map((s) => `Subscription.${s} has no @Authorized(...)`)).toEqual([]);
  });

  it.each(['queries', 'mutations'] as const)('the %s rows agree with the @Authorized decorators', (kind) => {
    const rows = kind === 'queries' ? queries : mutations;
    const disagreements: string[] = [];
    for (const [name, roles] of declaredRoles(kind)) {
      const row = rows[name];
      if (!row) continue; // reported by the coverage test
      const declared = roles === undefined ? 'public' : roles.length === 0 ? 'signedIn' : roles.join('|');
      if (declared !== row.minimum) disagreements.push(`${name}: the resolver says ${declared}, the table says ${row.minimum}`);
    }
    expect(disagreements).toEqual([]);
  });
});

const cases = (kind: 'Query' | 'Mutation', rows: Record<string, OperationRow>) =>
  Object.entries(rows).flatMap(([field, row]) => CALLERS.map((caller) => ({ kind, field, row, caller, outcome: expectedOutcome(row, caller) })));

describe.each([
  ['Query', queries],
  ['Mutation', mutations],
] as const)('%s', (kind, rows) => {
  it.each(cases(kind, rows).map((c) => [`${c.field} as ${c.caller} → ${c.outcome}`, c] as const))('%s', async (_name, { field, row, caller, outcome }) => {
    const { fx, clientFor, forget } = harness;
    const client = await clientFor(caller);
    const variables = (await row.variables?.(fx, caller)) ?? {};
    const auditBefore = await fx.em().count(AuditEntry, {});
    const r = await client.request(row.document, variables);
    if (row.changesSession) forget(caller);
    const codes = (r.errors ?? []).map((e) => e.extensions?.code);

    if (outcome === 'allowed') {
      const unexpected = (r.errors ?? []).filter((e) => !row.tolerate?.includes(e.extensions?.code ?? ''));
      expect(unexpected, `${kind}.${field} as ${caller} should be allowed`).toEqual([]);
      if (!codes.length) expect(r.data?.[field]).not.toBeUndefined();
    } else {
      expect(codes[0], `${kind}.${field} as ${caller} should be ${outcome}`).toBe(outcome);
      expect(r.data?.[field] ?? null).toBeNull();
      if (kind === 'Mutation') expect(await fx.em().count(AuditEntry, {}), 'a refused mutation writes nothing').toBe(auditBefore);
    }
  });
});
