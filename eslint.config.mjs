// Lint: the boundaries written in ARCHITECTURE.md, as rules, and the habits that catch real bugs
// (a promise nobody awaits, a hook called conditionally). `npm test` runs it; a violation fails CI.
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

/** Imports that do I/O or reach the database: never in workflow code (it must replay deterministically). */
const IO_MODULES = [
  'node:*',
  'fs',
  'path',
  'http',
  'https',
  'net',
  'child_process',
  'crypto',
  'os',
  'pg',
  '@baton/db',
  '@baton/db/*',
  '@prisma/*',
  '@temporalio/client',
  '@temporalio/activity',
  '@temporalio/worker',
];

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/.next/**',
      '**/dist/**',
      'packages/db/src/generated/**',
      '.baton/**',
      'test-results/**',
      'bench/results/**',
      'e2e/artifacts/**',
      '**/*.d.ts',
      '**/*.d.mts',
      'apps/web/next-env.d.ts',
    ],
  },
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: {
      parser: tseslint.parser,
      parserOptions: {
        // Files outside every package's tsconfig (benchmarks, the e2e suite, root configs) get a default project.
        projectService: {
          allowDefaultProject: ['*.config.ts', 'bench/*.ts', 'bench/lib/*.ts', 'e2e/*.ts', 'e2e/lib/*.ts'],
          maximumDefaultProjectFileMatchCount_THIS_WILL_SLOW_DOWN_LINTING: 60,
        },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    plugins: { '@typescript-eslint': tseslint.plugin },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // A promise that is neither awaited nor explicitly voided loses its error.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
    },
  },
  {
    // Only the db package and the engine's services talk to Prisma; everyone else goes through them.
    files: ['apps/**/*.{ts,tsx}', 'packages/**/*.{ts,tsx}'],
    ignores: ['packages/db/**', 'packages/engine/src/services/**', '**/test/**', '**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['@prisma/*', '**/generated/*'], message: 'only packages/db and the engine services import Prisma' }] }],
    },
  },
  {
    // The web app gets plugin definitions, never runtimes (they are worker-only code).
    files: ['apps/web/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@baton/plugin-*/runtime', '@baton/plugin-*/*-runtime', '@baton/plugin-catalog/runtimes', '**/runtime', '**/*-runtime'],
              message: 'the web app imports plugin definitions only; runtimes belong to the worker',
            },
            { group: ['@prisma/*', '**/generated/*'], message: 'only packages/db and the engine services import Prisma' },
          ],
        },
      ],
    },
  },
  {
    // The workflow is replayed by Temporal: it may not do I/O (also checked by workflow-fence.test.ts).
    // After the blocks above: for a rule set twice, the later block wins (flat config).
    files: ['packages/engine/src/workflow/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: IO_MODULES, message: 'workflow code must be deterministic: I/O goes through activities (EngineActivities)' }] }],
    },
  },
  {
    // Browser code (pages, modules, components) reads the API's shapes from the wire contract, never
    // server packages: they would pull server code (and Prisma) into the bundle.
    files: ['apps/web/src/modules/**/*.{ts,tsx}', 'apps/web/src/components/**/*.{ts,tsx}', 'apps/web/src/app/**/*.tsx'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@baton/engine', '@baton/engine/*', '@baton/db', '@baton/db/*'],
              message: 'browser code uses @baton/contract for API shapes; server packages stay on the server',
            },
            {
              group: ['@baton/plugin-*/runtime', '@baton/plugin-*/*-runtime', '@baton/plugin-catalog/runtimes', '**/runtime', '**/*-runtime'],
              message: 'the web app imports plugin definitions only; runtimes belong to the worker',
            },
          ],
        },
      ],
    },
  },
  {
    // Configuration is read and checked once per process, in its env module (zod; every bad variable
    // named at once). SECRET_<NAME> fallbacks are a dynamic set of names, read by the secret store;
    // instrumentation.ts reads Next.js's own NEXT_RUNTIME/NEXT_PHASE before any module loads.
    files: ['apps/*/src/**/*.{ts,tsx}', 'packages/engine/src/**/*.ts', 'packages/flow/src/**/*.ts', 'packages/plugin-sdk/src/**/*.ts', 'packages/plugins/*/src/**/*.ts'],
    ignores: ['apps/*/src/env.ts', 'apps/web/src/server/env.ts', 'apps/web/src/instrumentation.ts', 'packages/engine/src/services/secrets.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'read configuration in the env module of the app (apps/worker/src/env.ts, apps/web/src/server/env.ts)' },
      ],
    },
  },
  {
    // Server processes log JSON lines through pino (packages/engine/src/logging.ts), with execution
    // ids as fields; a console call would bypass the level and the fields.
    files: ['apps/worker/src/**/*.ts', 'apps/web/src/server/**/*.ts', 'packages/engine/src/**/*.ts'],
    rules: { 'no-console': 'error' },
  },
  {
    files: ['apps/web/**/*.tsx', 'apps/web/src/modules/**/hooks/**/*.ts'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'warn',
    },
  },
);
