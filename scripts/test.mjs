// `npm test`: every test suite, with what they need set up the same way `npm start` does.
//   1. dependencies and the Prisma client
//   2. type checks of every package (tsc)
//   3. vitest: unit tests, then integration tests against a real stack (PostgreSQL, the Temporal
//      dev server, the worker, the web app, the simulators), started by packages/testing
//   (docker/compose.yaml is checked by packages/engine/test/docker-compose.test.ts)
// Extra arguments go to vitest, e.g. `npm test -- packages/flow`.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ensureDependencies, ensurePrismaClient, log, root } from './lib/stack.mjs';

const args = process.argv.slice(2);
process.env.NEXT_TELEMETRY_DISABLED = '1';
process.env.TURBO_TELEMETRY_DISABLED = '1';
ensureDependencies();
await ensurePrismaClient();

const results = [];
function step(name, command, commandArgs, options = {}) {
  log(`${name}...`);
  const started = Date.now();
  const result = spawnSync(command, commandArgs, { cwd: root, stdio: 'inherit', env: process.env, ...options });
  const ok = result.status === 0;
  results.push({ name, ok, seconds: (Date.now() - started) / 1000 });
  log(`${name}: ${ok ? 'ok' : 'FAILED'} (${((Date.now() - started) / 1000).toFixed(0)} s)`);
  return ok;
}

const bin = (name) => path.join(root, 'node_modules/.bin', name);
if (!args.length) step('type check', bin('turbo'), ['run', 'typecheck', '--output-logs=errors-only']);
// The boundaries of ARCHITECTURE.md and the no-floating-promises habit (eslint.config.mjs).
if (!args.length) step('lint', bin('eslint'), ['.', '--max-warnings', '0']);
// One formatting for all code (.prettierrc.json); `npm run format` fixes what this refuses.
if (!args.length) step('format check', bin('prettier'), ['--check', '--log-level', 'warn', '**/*.{ts,tsx,mjs}']);

const report = path.join(root, 'test-results/vitest.json');
fs.mkdirSync(path.dirname(report), { recursive: true });
step('vitest', bin('vitest'), ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...args]);

// The file tests again with internal storage in an S3-compatible server (s3rver, started by the
// integration setup): the worker and the web app on BATON_STORAGE=s3, files uploaded, written by
// tasks, downloaded through the API and purged (docs/files.md).
const s3Report = path.join(root, 'test-results/vitest-s3.json');
if (!args.length)
  step(
    'integration tests on S3 storage',
    bin('vitest'),
    [
      'run',
      '--project',
      'integration',
      '--reporter=default',
      '--reporter=json',
      `--outputFile.json=${s3Report}`,
      'packages/engine/test/files.int.test.ts',
      'packages/engine/test/namespace-files.int.test.ts',
    ],
    { env: { ...process.env, BATON_TEST_STORAGE: 's3' } },
  );

// A clone with nothing beside it passes its unit tests (the shared folder is optional): issue 16.
if (!args.length) step('unit tests in a standalone clone', process.execPath, [path.join(root, 'scripts/test-clone.mjs')]);

let passed = 0;
let failed = 0;
let skipped = 0;
// A vitest step that failed without a failed test (its stack did not start) still counts as one failure.
const vitestSteps = new Map([
  ['vitest', report],
  ['integration tests on S3 storage', s3Report],
]);
for (const r of results) {
  const file = vitestSteps.get(r.name);
  const data = file && fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : undefined;
  passed += data?.numPassedTests ?? 0;
  failed += data?.numFailedTests ?? 0;
  skipped += (data?.numPendingTests ?? 0) + (data?.numTodoTests ?? 0);
  if (!r.ok && r.name !== 'vitest' && !(data?.numFailedTests > 0)) failed += 1;
}
console.log(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 || results.some((r) => !r.ok) ? 1 : 0);
