// Proves that a clone with nothing beside it passes its unit tests (issue 16).
//
// Clones the committed repository into an empty folder (inside .baton/, so no `shared` folder can
// be beside it), reuses this checkout's installed dependencies through hard links (the point is
// the missing shared folder, not the install), and runs the unit tests there with BATON_SHARED_DIR
// unset. It passes only when those tests pass AND the suites that need the shared material report
// themselves as skipped with the reason: a clone that silently ran fewer tests would not pass.
//
// `npm test` runs it as a step; `node scripts/test-clone.mjs` runs it alone.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { root } from './lib/stack.mjs';

/** The skip lines the suites print when the shared folder is absent: each must appear. */
const EXPECTED_SKIPS = ['[conformance] skipped:', '[seed flows] byte-identical check skipped:'];

/** Hard-links every node_modules folder of the workspace into the clone (seconds, no disk). */
function linkDependencies(from, to) {
  const folders = ['.'];
  for (const group of ['apps', 'packages', 'packages/plugins']) {
    const dir = path.join(from, group);
    if (!fs.existsSync(dir)) continue;
    for (const name of fs.readdirSync(dir)) folders.push(path.join(group, name));
  }
  folders.push('e2e');
  for (const folder of folders) {
    const source = path.join(from, folder, 'node_modules');
    const target = path.join(to, folder, 'node_modules');
    if (!fs.existsSync(source) || !fs.existsSync(path.dirname(target))) continue;
    const copy = spawnSync('cp', ['-al', source, target], { stdio: 'inherit' });
    if (copy.status !== 0) throw new Error(`could not link ${source} into the clone`);
  }
  // The clone's package-lock.json is newer than the linked install marker, which would make
  // ensureDependencies reinstall: a fresh copy of the marker (its own inode) says it is current.
  const marker = path.join(to, 'node_modules/.package-lock.json');
  if (fs.existsSync(marker)) {
    const content = fs.readFileSync(marker);
    fs.rmSync(marker);
    fs.writeFileSync(marker, content);
  }
}

export function runCloneCheck({ log = console.log } = {}) {
  fs.mkdirSync(path.join(root, '.baton'), { recursive: true });
  const parent = fs.mkdtempSync(path.join(root, '.baton', 'clone-test-'));
  const result = checkIn(parent, log);
  // Keep the folder only when something failed, to read its log.
  if (result.ok) fs.rmSync(parent, { recursive: true, force: true });
  else log(`clone kept for inspection: ${parent}`);
  return result;
}

function checkIn(parent, log) {
  const clone = path.join(parent, 'baton');
  const logFile = path.join(parent, 'unit-tests.log');
  const cloned = spawnSync('git', ['clone', '--quiet', '--no-hardlinks', root, clone], { stdio: 'inherit' });
  if (cloned.status !== 0) return { ok: false, reason: 'git clone of this checkout failed' };
  linkDependencies(root, clone);
  const env = { ...process.env, NEXT_TELEMETRY_DISABLED: '1' };
  delete env.BATON_SHARED_DIR;
  log(`running the unit tests in a clone with nothing beside it (${clone})...`);
  const run = spawnSync(process.execPath, ['scripts/test.mjs', '--project', 'unit'], { cwd: clone, env, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const output = `${run.stdout ?? ''}${run.stderr ?? ''}`;
  fs.writeFileSync(logFile, output);
  const summary = output.match(/^(\d+) passed, (\d+) failed(?:, (\d+) skipped)?$/m);
  if (run.status !== 0 || !summary) return { ok: false, reason: `unit tests failed in the clone (exit ${run.status}); output in ${logFile}` };
  const missingSkips = EXPECTED_SKIPS.filter((line) => !output.includes(line));
  if (missingSkips.length) return { ok: false, reason: `the clone did not report these skips: ${missingSkips.join(', ')}; output in ${logFile}` };
  return { ok: true, passed: Number(summary[1]), skipped: Number(summary[3] ?? 0) };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = runCloneCheck();
  if (result.ok) console.log(`standalone clone (no shared folder beside it): unit tests green, ${result.passed} ran and ${result.skipped} were skipped as expected`);
  else console.log(`standalone clone: FAILED: ${result.reason}`);
  process.exit(result.ok ? 0 : 1);
}
