import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildClientSchema, getIntrospectionQuery, lexicographicSortSchema, printSchema, buildSchema } from 'graphql';
import { SCHEMA_FILE, printApiSchema } from '../../../api/src/schema/emit.js';
import { startTestApi, type TestApi } from '../../support/api.js';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi({ seed: 'none' });
});
afterAll(() => api?.stop());

const normalize = (sdl: string) => printSchema(lexicographicSortSchema(buildSchema(sdl)));

describe('the checked-in schema', () => {
  it('is what the resolvers build (run `npm run schema` when this fails)', async () => {
    expect(readFileSync(SCHEMA_FILE, 'utf8')).toBe(await printApiSchema());
  });

  it('is what the running API introspects', async () => {
    const res = await api.client().data(getIntrospectionQuery({ specifiedByUrl: true, inputValueDeprecation: true }));
    const live = printSchema(lexicographicSortSchema(buildClientSchema(res)));
    expect(live).toBe(normalize(readFileSync(SCHEMA_FILE, 'utf8')));
  });

  it('answers { __typename }', async () => {
    expect(await api.client().data('{ __typename }')).toEqual({ __typename: 'Query' });
  });
});
