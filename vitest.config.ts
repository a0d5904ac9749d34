import path from 'node:path';
import { defineConfig } from 'vitest/config';

// Two projects: fast tests that need nothing but Node (and in-process simulators), and
// integration tests that run against a real Temporal dev server, PostgreSQL, the worker and
// the web app, all started once by the integration global setup.
export default defineConfig({
  test: {
    projects: [
      {
        // The web app's `@/` import alias, for its component and library tests.
        resolve: { alias: { '@': path.resolve(import.meta.dirname, 'apps/web/src') } },
        esbuild: { jsx: 'automatic' },
        test: {
          name: 'unit',
          include: ['packages/**/test/**/*.test.ts', 'apps/*/test/**/*.test.ts'],
          exclude: ['**/*.int.test.ts', '**/node_modules/**'],
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['packages/**/test/**/*.int.test.ts', 'apps/*/test/**/*.int.test.ts', 'e2e/**/*.e2e.test.ts'],
          exclude: ['**/node_modules/**'],
          globalSetup: ['packages/testing/src/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 300_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
