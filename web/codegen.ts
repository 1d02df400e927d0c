import type { CodegenConfig } from '@graphql-codegen/cli';

// Types for every operation in src/lib/graphql/operations/*.graphql, checked against the API's schema:
// an operation that no longer matches the schema fails here.
const config: CodegenConfig = {
  schema: '../schema/schema.graphql',
  documents: ['src/**/*.graphql'],
  generates: {
    'src/lib/graphql/generated.ts': {
      plugins: ['typescript-operations', 'typed-document-node'],
      config: {
        enumsAsTypes: true,
        useTypeImports: true,
        scalars: { DateTimeISO: 'string', ID: 'string' },
        avoidOptionals: { field: true, inputValue: false, object: true, defaultValue: false },
        skipTypename: true,
        nonOptionalTypename: false,
      },
    },
  },
  hooks: {},
};
export default config;
