import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { getNamedType, isEnumType, isInputObjectType, isLeafType, isListType, isNonNullType, type GraphQLInputObjectType, type GraphQLInputType } from 'graphql';
import { buildApiSchema } from '../../../api/src/schema/build.js';
import { renderMarkdown } from '../../../api/src/comments/markdown.js';
import { startTestApi, type TestApi } from '../../support/api.js';
import { hostileStrings, unsafeMarkup } from '../../support/hostile-strings.js';
import { callers, expectedOutcome, matrixHarness, mutations, type Caller, type Vars } from '../authorization/authorization-matrix.js';

/**
 * Every String argument and input field of every mutation (read from the schema) gets every string
 * of the corpus, with the other arguments valid (from the authorization matrix's rows). Each answer
 * must be a clear error code or a success; never a 500. Plain text is stored as text (the web escapes
 * it when showing it); stored or rendered HTML must carry no script.
 */
const schema = await buildApiSchema();
const CALLER_PREFERENCE: Caller[] = ['admin', 'facilitator', 'member', 'stakeholder', 'anonymous'];
/** Codes that say clearly why a hostile value did not go through. */
const CLEAR_CODES = ['BAD_USER_INPUT', 'CONFLICT', 'NOT_FOUND', 'UNAUTHENTICATED', 'FORBIDDEN'];

type Path = (string | number)[];

function stringPositions(type: GraphQLInputType, path: Path, depth = 0): Path[] {
  if (depth > 4) return [];
  let t: GraphQLInputType = isNonNullType(type) ? type.ofType : type;
  let listed = false;
  while (isListType(t) || isNonNullType(t)) {
    if (isListType(t)) listed = true;
    t = t.ofType;
  }
  const here = listed ? [...path, 0] : path;
  const named = getNamedType(t);
  if (named.name === 'String') return [here];
  if (isInputObjectType(named)) return Object.values(named.getFields()).flatMap((f) => stringPositions(f.type, [...here, f.name], depth + 1));
  return [];
}

/** The fields an input object cannot do without, filled with plain valid values. */
function requiredFields(type: GraphQLInputObjectType): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of Object.values(type.getFields())) {
    if (!isNonNullType(f.type) || f.defaultValue !== undefined) continue;
    const named = getNamedType(f.type);
    if (isListType(f.type.ofType)) out[f.name] = [];
    else if (isInputObjectType(named)) out[f.name] = requiredFields(named);
    else if (isEnumType(named)) out[f.name] = named.getValues()[0].name;
    else out[f.name] = { Boolean: false, Int: 0, Float: 0, ID: '00000000-0000-4000-8000-000000000000' }[named.name] ?? 'x';
  }
  return out;
}

/** `vars` with `value` at `path`; objects the path creates get their required fields, so only `value` is on trial. */
function withValueAt(vars: Vars, path: Path, value: string, argType: GraphQLInputType): Vars {
  const copy = structuredClone(vars) as Record<string | number, unknown>;
  let node: Record<string | number, unknown> = copy;
  let type: GraphQLInputType | undefined = argType;
  path.forEach((key, i) => {
    if (i === path.length - 1) {
      node[key] = value;
      return;
    }
    const named = type ? getNamedType(type) : undefined;
    const object = named && isInputObjectType(named) ? named : undefined;
    const nextKey = path[i + 1];
    node[key] ??= typeof nextKey === 'number' ? [] : object ? requiredFields(object) : {};
    node = node[key] as Record<string | number, unknown>;
    // A list index keeps the element's type; a field name steps into the input object.
    if (typeof nextKey !== 'number') type = object?.getFields()[nextKey]?.type;
  });
  return copy as Vars;
}

/** The input field a path ends in: a list element is named by its list (`countries`, not `0`). */
const fieldName = (path: Path) => String([...path].reverse().find((k) => typeof k === 'string'));

const targets = Object.values(schema.getMutationType()?.getFields() ?? {})
  .filter((field) => mutations[field.name])
  .flatMap((field) => {
    const row = mutations[field.name];
    const caller = CALLER_PREFERENCE.find((c) => expectedOutcome(row, c) === 'allowed') ?? 'admin';
    const args = field.args;
    const document = `mutation${args.length ? `(${args.map((a) => `$${a.name}: ${a.type}`).join(', ')})` : ''} { ${field.name}${
      args.length ? `(${args.map((a) => `${a.name}: $${a.name}`).join(', ')})` : ''
    }${isLeafType(getNamedType(field.type)) ? '' : ' { __typename }'} }`;
    return args.flatMap((a) => stringPositions(a.type, [a.name]).map((path) => ({ field: field.name, row, caller, document, path, argType: a.type })));
  });

let api: TestApi;
let harness: ReturnType<typeof matrixHarness>;
beforeAll(async () => {
  api = await startTestApi();
  harness = matrixHarness(api);
});
afterAll(() => api?.stop());

async function passwordHashOf(caller: Exclude<Caller, 'anonymous'>): Promise<string> {
  const [row] = await api.db.orm.em.fork().execute<{ password_hash: string }[]>('select password_hash from app_user where email = ?', [callers[caller].email]);
  return row.password_hash;
}

describe('hostile strings in every text input of every mutation', () => {
  it('the schema has text inputs to try', () => {
    expect(targets.length).toBeGreaterThan(5);
  });

  it.each(targets.map((t) => [`${t.field}(${t.path.join('.')}) as ${t.caller}`, t] as const))('%s', async (_name, { field, row, caller, document, path, argType }) => {
    const problems: string[] = [];
    for (const hostile of hostileStrings) {
      const client = await harness.clientFor(caller);
      const valid = (await row.variables?.(harness.fx, caller)) ?? {};
      // A hostile string may be a good new password: the caller's own is put back, so the next call signs in.
      const keptPassword = row.changesSession && caller !== 'anonymous' ? await passwordHashOf(caller) : null;
      const res = await fetch(api.graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(client.cookie ? { cookie: client.cookie } : {}) },
        body: JSON.stringify({ query: document, variables: withValueAt(valid, path, hostile.value, argType) }),
      });
      if (row.changesSession) harness.forget(caller);
      if (keptPassword) await api.db.orm.em.fork().execute('update app_user set password_hash = ? where email = ?', [keptPassword, callers[caller as Exclude<Caller, 'anonymous'>].email]);
      const text = await res.text();
      const body = JSON.parse(text) as { data?: Record<string, unknown> | null; errors?: Array<{ message: string; extensions?: { code?: string; fields?: { field: string }[] } }> };
      const error = body.errors?.[0];
      const code = error?.extensions?.code;
      const what = `${hostile.name}: HTTP ${res.status}, ${code ?? 'success'}${error ? ` (${error.message.slice(0, 120)})` : ''}`;

      if (res.status >= 500 || code === 'INTERNAL_SERVER_ERROR') problems.push(`${what} — a server error`);
      else if (error && !CLEAR_CODES.includes(code ?? '')) problems.push(`${what} — not a clear code`);
      else if (hostile.mustRefuse && code !== 'BAD_USER_INPUT') problems.push(`${what} — must be refused with BAD_USER_INPUT`);
      else if (hostile.mustRefuse && res.status !== 413 && !error?.extensions?.fields?.some((f) => f.field.split(/[.[]/).includes(fieldName(path)) || f.field === path.join('.'))) {
        problems.push(`${what} — the error must name the field ${path.join('.')}, named ${JSON.stringify(error?.extensions?.fields)}`);
      } else if (!error && body.data?.[field] == null) problems.push(`${what} — success without data`);
    }
    expect(problems).toEqual([]);
  }, 180_000);

  it('no stored or rendered HTML in the database carries script', async () => {
    const c = new pg.Client({ connectionString: api.db.url });
    await c.connect();
    try {
      const { rows: columns } = await c.query<{ table_name: string; column_name: string }>(
        `select table_name, column_name from information_schema.columns
          where table_schema = 'public' and data_type in ('text', 'character varying', 'jsonb') and column_name ~ 'html'`,
      );
      const found: string[] = [];
      for (const { table_name, column_name } of columns) {
        const { rows } = await c.query(`select ${column_name}::text as v from "${table_name}" where ${column_name} is not null`);
        for (const { v } of rows) {
          const unsafe = unsafeMarkup(v);
          if (unsafe) found.push(`${table_name}.${column_name} holds ${unsafe}: ${v.slice(0, 120)}`);
        }
      }
      expect(found).toEqual([]);
    } finally {
      await c.end();
    }
  });
});

describe('NUL characters', () => {
  it('are refused as BAD_USER_INPUT naming the field, in variables and in literals alike, and nothing is written', async () => {
    const facilitator = await api.as('facilitadora@consulta.demo');
    const viaVariables = await facilitator.error(`mutation($input: OrganizationInput!) { createOrganization(input: $input) { id } }`, {
      input: { name: 'Nul\u0000Org', kind: 'MFI', country: 'PE' },
    });
    expect(viaVariables.code).toBe('BAD_USER_INPUT');
    expect(viaVariables.extensions?.fields).toEqual([{ field: 'input.name', message: expect.stringMatching(/NUL/) }]);
    const viaLiteral = await facilitator.error(`mutation { createOrganization(input: { name: "Nul\\u0000Org", kind: MFI, country: "PE" }) { id } }`);
    expect(viaLiteral.code).toBe('BAD_USER_INPUT');
    const c = new pg.Client({ connectionString: api.db.url });
    await c.connect();
    const { rows } = await c.query(`select count(*)::int as n from organization where name like 'Nul%Org'`);
    await c.end();
    expect(rows[0].n).toBe(0);
  });

  it('in a query argument too', async () => {
    const err = await api.client().error(`query($token: String!) { invitation(token: $token) { email } }`, { token: 'abc\u0000def' });
    expect(err.code).toBe('BAD_USER_INPUT');
    expect(err.extensions?.fields?.[0].field).toBe('token');
  });
});

describe('malformed ids', () => {
  it('are BAD_USER_INPUT (INVALID_ID), not a server error, in queries and in mutations', async () => {
    const facilitator = await api.as('facilitadora@consulta.demo');
    const inQuery = await facilitator.error(`{ round(id: "not-a-uuid") { id } }`);
    expect(inQuery.code).toBe('BAD_USER_INPUT');
    expect(inQuery.extensions?.reason).toBe('INVALID_ID');
    const inMutation = await facilitator.error(`mutation { openRoundNow(id: "1/2") { id } }`);
    expect(inMutation.code).toBe('BAD_USER_INPUT');
  });

  it('name the argument that holds them, in an input, a list or a nested field, before anything is written', async () => {
    const facilitator = await api.as('facilitadora@consulta.demo');
    const stakeholder = await api.as('actor@consulta.demo');
    const field = async (client: typeof facilitator, document: string, variables?: Record<string, unknown>) => {
      const err = await client.error(document, variables);
      expect(err.code).toBe('BAD_USER_INPUT');
      expect(err.extensions?.reason).toBe('INVALID_ID');
      return err.extensions?.fields?.[0].field;
    };
    expect(await field(facilitator, `{ round(id: "not-a-uuid") { id } }`)).toBe('id');
    const [{ id: roundId }] = (await facilitator.data(`{ rounds { id } }`)).rounds;
    expect(await field(facilitator, `query($r: ID!) { round(id: $r) { indicator(indicatorId: "x") { id } } }`, { r: roundId })).toBe('indicatorId');
    expect(await field(facilitator, `query($r: ID!) { roundComments(roundId: $r, filter: { indicatorIds: [$r, "nope"] }) { totalCount } }`, { r: roundId })).toBe('filter.indicatorIds[1]');
    const comments = () => api.db.orm.em.fork().execute<{ n: number }[]>('select count(*)::int as n from comment');
    const [before] = await comments();
    expect(await field(stakeholder, `mutation($r: ID!) { addComment(input: { roundId: $r, targetKind: FRAMEWORK, targetId: "../x", type: GENERAL, body: "Hola" }) { id } }`, { r: roundId })).toBe('input.targetId');
    expect((await comments())[0].n).toBe(before.n);
  });
});

describe('the Markdown renderer behind every stored *_html', () => {
  it.each(hostileStrings.filter((h) => !h.mustRefuse).map((h) => [h.name, h.value] as const))('%s renders quickly to HTML with nothing executable, or is refused as nested too deep', (_name, value) => {
    const started = performance.now();
    let html = '';
    try {
      html = renderMarkdown(value, 'body');
    } catch (err) {
      expect(err).toMatchObject({ code: 'BAD_USER_INPUT', details: { reason: 'MARKDOWN_TOO_DEEP' } });
    }
    expect(performance.now() - started).toBeLessThan(1000);
    expect(unsafeMarkup(html)).toBeNull();
  });
});
