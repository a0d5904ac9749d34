// Building the temporal CLI is one build per machine at a time: a second process waits for the
// first instead of compiling the same Go packages again, and a lock left by a dead process is
// taken over rather than waited on forever.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
// @ts-expect-error plain ESM module of the start scripts
import { withBuildLock } from '../../../scripts/lib/temporal-binary.mjs';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});
function tempDir() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'baton-lock-'));
  dirs.push(dir);
  return dir;
}

describe('temporal CLI build lock', () => {
  it('runs two builds one after the other, never side by side, and removes the lock', async () => {
    const dir = tempDir();
    const events: string[] = [];
    const logs: string[] = [];
    const build = (name: string) => async () => {
      events.push(`${name} start`);
      await new Promise((r) => setTimeout(r, 300));
      events.push(`${name} end`);
      return name;
    };
    const results = await Promise.all([withBuildLock(dir, (l: string) => logs.push(l), build('a')), withBuildLock(dir, (l: string) => logs.push(l), build('b'))]);
    expect(results).toEqual(['a', 'b']);
    expect(events).toEqual(['a start', 'a end', 'b start', 'b end']);
    expect(logs.some((l) => /another process \(pid \d+\) is building the temporal CLI/.test(l))).toBe(true);
    expect(fs.existsSync(path.join(dir, '.build.lock'))).toBe(false);
  });

  it('takes over a lock whose process is gone', async () => {
    const dir = tempDir();
    // A pid far above pid_max on Linux: no such process.
    fs.writeFileSync(path.join(dir, '.build.lock'), '99999999');
    await expect(
      withBuildLock(
        dir,
        () => undefined,
        async () => 'built',
      ),
    ).resolves.toBe('built');
  });

  it('frees the lock when the build fails', async () => {
    const dir = tempDir();
    await expect(
      withBuildLock(
        dir,
        () => undefined,
        async () => Promise.reject(new Error('go failed')),
      ),
    ).rejects.toThrow('go failed');
    expect(fs.existsSync(path.join(dir, '.build.lock'))).toBe(false);
  });
});
