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

// A clone with nothing beside it passes its unit tests (the shared folder is optional): issue 16.
if (!args.length) step('unit tests in a standalone clone', process.execPath, [path.join(root, 'scripts/test-clone.mjs')]);

let passed = 0;
let failed = 0;
let skipped = 0;
if (fs.existsSync(report)) {
  const data = JSON.parse(fs.readFileSync(report, 'utf8'));
  passed = data.numPassedTests ?? 0;
  failed = data.numFailedTests ?? 0;
  skipped = (data.numPendingTests ?? 0) + (data.numTodoTests ?? 0);
}
for (const r of results) if (!r.ok && r.name !== 'vitest') failed += 1;
console.log(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 || results.some((r) => !r.ok) ? 1 : 0);
