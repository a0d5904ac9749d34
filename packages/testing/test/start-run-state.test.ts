// What an `npm start` killed with SIGKILL leaves behind (its children lead their own process
// groups and survive it) is stopped by the next start, and a live one is recognised as running
// (scripts/lib/run-state.mjs), with real processes.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, expect, it } from 'vitest';
// @ts-expect-error plain ESM module of the start scripts
import { RunState } from '../../../scripts/lib/run-state.mjs';
// @ts-expect-error plain ESM module of the start scripts
import { groupMembers } from '../../../scripts/lib/process-group.mjs';

const repo = path.resolve(import.meta.dirname, '../../..');
const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

async function until<T>(what: string, check: () => T | undefined | false, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = check();
    if (value) return value;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

it('a killed npm start: its leftover process groups are stopped; a live one is reported as running', async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'baton-run-'));
  cleanups.push(() => fs.rmSync(dataDir, { recursive: true, force: true }));
  // Stands in for npm start: records a detached child (with a grandchild) as the stack does.
  const harness = path.join(dataDir, 'harness.mjs');
  fs.writeFileSync(
    harness,
    `
    import { spawn } from 'node:child_process';
    import { RunState } from ${JSON.stringify(pathToFileURL(path.join(repo, 'scripts/lib/run-state.mjs')).href)};
    const run = new RunState(${JSON.stringify(dataDir)});
    await run.takeOver();
    const child = spawn('sh', ['-c', 'sleep 300 & exec sleep 300'], { detached: true, stdio: 'ignore' });
    child.on('spawn', () => { run.track('worker', child); console.log('child ' + child.pid); });
    setInterval(() => {}, 1000);
  `,
  );
  const proc = spawn(process.execPath, [harness], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  proc.stdout!.on('data', (c: Buffer) => {
    out += c.toString();
  });
  cleanups.push(() => {
    try {
      proc.kill('SIGKILL');
    } catch {}
  });
  const pgid = Number((await until('the child', () => /child (\d+)/.exec(out) ?? undefined))[1]);
  cleanups.push(() => {
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {}
  });
  await until('the grandchild', () => groupMembers(pgid).length === 2);

  expect(await new RunState(dataDir).takeOver()).toEqual({ running: proc.pid });
  expect(groupMembers(pgid)).toHaveLength(2);

  const exited = new Promise((r) => proc.once('exit', r));
  proc.kill('SIGKILL');
  await exited;
  expect(groupMembers(pgid)).toHaveLength(2); // orphaned, still running

  expect(await new RunState(dataDir).takeOver()).toEqual({ stopped: [`worker (pid ${pgid})`] });
  expect(groupMembers(pgid)).toEqual([]);
  expect(await new RunState(dataDir).takeOver()).toEqual({ stopped: [] });
});
