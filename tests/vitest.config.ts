import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);
// One copy of graphql for the API code and the tests ("Cannot use GraphQLSchema from another realm").
const alias = [{ find: /^graphql$/, replacement: require.resolve('graphql') }];

export default defineConfig({
  resolve: { alias },
  test: {
    setupFiles: ['./support/setup.ts'],
    globalSetup: ['./support/templates.ts'],
    // A worker imports the API's modules once for all its files, not once per file (about 5 s each): every file
    // starts and stops its own servers and databases, and no test mocks a module or changes the environment.
    isolate: false,
    testTimeout: 30_000,
    hookTimeout: 120_000,
    projects: [
      {
        extends: true,
        // Each file has databases of its own: as many files at once as there are cores (vitest's default leaves one idle).
        test: { name: 'api', include: ['api/**/*.test.ts'], pool: 'forks', maxWorkers: '100%' },
      },
      {
        extends: true,
        // Two files at once: each has its own platform (API, web server, database) and Chromium on free ports,
        // and a browser test waits more than it computes (357 s for the 33 files on two cores, where one at a time took over 1,300 s).
        // 120 s a test: on a slower two-core machine the suite took 1,400 s, Chromium 70 % of its CPU, and a test that
        // takes 20 s alone passed 60 s with another file beside it. A timed-out attempt keeps running beside its retry.
        test: { name: 'e2e', include: ['e2e/**/*.e2e.test.ts'], pool: 'forks', maxWorkers: 2, testTimeout: 120_000, retry: 1 },
      },
    ],
  },
});
