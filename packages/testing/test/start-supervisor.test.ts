// The supervisor of `npm start` (scripts/lib/supervisor.mjs) over real child processes: a child
// killed with SIGKILL is restarted and the event logged in one line, whatever it started dies with
// it, a crash loop backs off without touching the other children, and SIGTERM to the supervisor's
// process stops every process group it started.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
// @ts-expect-error plain ESM module of the start scripts
import { Supervisor, backoffDelay, DEFAULT_POLICY } from '../../../scripts/lib/supervisor.mjs';
// @ts-expect-error plain ESM module of the start scripts
import { groupMembers } from '../../../scripts/lib/process-group.mjs';

const repo = path.resolve(import.meta.dirname, '../../..');

/** A child that starts a grandchild in its own group, prints both pids and `ready`, then idles. */
const TOY = `
  const { spawn } = require('node:child_process');
  const g = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  console.log('pids ' + process.pid + ' ' + g.pid);
  console.log('ready');
  if (process.env.TOY_EXIT_AFTER_MS) setTimeout(() => process.exit(3), Number(process.env.TOY_EXIT_AFTER_MS));
  setInterval(() => {}, 1000);
`;

function spawnToy(env: Record<string, string> = {}): ChildProcess {
  return spawn(process.execPath, ['-e', TOY], { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
}

function readyOf(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    let seen = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      if (seen.includes('ready')) resolve();
    });
  });
}

function alive(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

async function until<T>(what: string, check: () => T | undefined | false, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = check();
    if (value) return value;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('backoff', () => {
  it('doubles from 0.5 s up to 30 s', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9].map((n) => backoffDelay(n, DEFAULT_POLICY))).toEqual([500, 1000, 2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000]);
  });
});

describe('Supervisor', () => {
  it('restarts a child killed with SIGKILL, logs it in one line and stops its leftovers', async () => {
    const lines: string[] = [];
    const supervisor = new Supervisor({ log: (l: string) => lines.push(l), policy: { initialDelayMs: 100 } });
    cleanups.push(() => supervisor.stop());
    let grandchildren: number[] = [];
    await supervisor.start({
      name: 'toy',
      spawn: () => {
        const child = spawnToy();
        child.stdout!.on('data', (c: Buffer) => {
          const m = /pids (\d+) (\d+)/.exec(c.toString());
          if (m) grandchildren.push(Number(m[2]));
        });
        return child;
      },
      ready: readyOf,
      logHint: 'toy.log',
    });
    const first = supervisor.child('toy').pid as number;
    await until('the first grandchild', () => grandchildren.length === 1);
    const firstGrandchild = grandchildren[0];

    process.kill(first, 'SIGKILL');
    const line = await until('the restart line', () => lines.find((l) => l.startsWith('toy (pid')));
    expect(line).toMatch(new RegExp(`^toy \\(pid ${first}\\) was killed by SIGKILL after running [\\d.]+ m?s; restarting it in 0\\.1 s \\(at \\d\\d:\\d\\d:\\d\\d UTC\\)$`));
    await until('the restarted child to be ready', () => lines.some((l) => /^toy is back \(pid \d+\)$/.test(l)));
    const second = supervisor.child('toy').pid as number;
    expect(second).not.toBe(first);
    expect(alive(second)).toBe(true);
    // The grandchild of the killed child was in its process group: it is gone, not orphaned.
    expect(alive(firstGrandchild)).toBe(false);

    await supervisor.stop();
    expect(groupMembers(second)).toEqual([]);
  });

  it('keeps backing off a crash loop, says so, and leaves the other children alone', async () => {
    const lines: string[] = [];
    const policy = { initialDelayMs: 20, maxDelayMs: 80, crashLoopCount: 3, crashLoopWindowMs: 60_000 };
    const supervisor = new Supervisor({ log: (l: string) => lines.push(l), policy });
    cleanups.push(() => supervisor.stop());
    await supervisor.start({ name: 'steady', spawn: () => spawnToy(), ready: readyOf });
    const steady = supervisor.child('steady').pid as number;
    await supervisor.start({ name: 'flaky', spawn: () => spawnToy({ TOY_EXIT_AFTER_MS: '30' }), ready: readyOf, logHint: 'flaky.log' });

    const failures = await until(
      'six failures',
      () => {
        const f = lines.filter((l) => l.startsWith('flaky (pid'));
        return f.length >= 6 && f;
      },
      15_000,
    );
    for (const l of failures) expect(l).toMatch(/exited with code 3 after running/);
    const delays = failures.map((l) => /restarting it in (\d+ ms)/.exec(l)![1]);
    expect(delays.slice(0, 6)).toEqual(['20 ms', '40 ms', '80 ms', '80 ms', '80 ms', '80 ms']); // doubling, capped
    expect(failures[1]).not.toMatch(/crash-looping/);
    expect(failures[2]).toMatch(/It is crash-looping \(3 failures in the last 60 s\): it keeps being restarted, waiting up to 80 ms between tries; its log: flaky\.log$/);
    expect(supervisor.child('steady').pid).toBe(steady);
    expect(alive(steady)).toBe(true);
  });

  it('starts the backoff over after a child ran for a healthy while', async () => {
    const lines: string[] = [];
    // Each incarnation runs 400 ms (> healthyAfterMs) before it exits: every restart is a first one.
    const supervisor = new Supervisor({ log: (l: string) => lines.push(l), policy: { initialDelayMs: 30, maxDelayMs: 1000, healthyAfterMs: 200 } });
    cleanups.push(() => supervisor.stop());
    await supervisor.start({ name: 'tired', spawn: () => spawnToy({ TOY_EXIT_AFTER_MS: '400' }), ready: readyOf });
    const failures = await until(
      'three failures',
      () => {
        const f = lines.filter((l) => l.startsWith('tired (pid'));
        return f.length >= 3 && f;
      },
      15_000,
    );
    for (const l of failures) expect(l).toMatch(/exited with code 3 after running [\d.]+ m?s; restarting it in 30 ms/);
  });

  it('fails the first start of a child that exits before it is ready, leaving nothing running', async () => {
    const supervisor = new Supervisor({ log: () => {} });
    cleanups.push(() => supervisor.stop());
    const child = () => spawn(process.execPath, ['-e', 'process.exit(7)'], { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    await expect(supervisor.start({ name: 'broken', spawn: child, ready: () => new Promise(() => {}), logHint: 'broken.log' })).rejects.toThrow(
      'broken exited with code 7 before it was ready; see broken.log',
    );
    await expect(supervisor.start({ name: 'missing', spawn: () => spawn('/nonexistent/binary', [], { detached: true }) })).rejects.toThrow(/ENOENT/);
  });

  it('stops every process group when its process gets SIGTERM (no orphans)', async () => {
    // A small supervisor process, as `npm start` is one: two toys, SIGTERM stops them.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'baton-supervisor-'));
    cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
    const harness = path.join(dir, 'harness.mjs');
    fs.writeFileSync(
      harness,
      `
      import { spawn } from 'node:child_process';
      import { Supervisor } from ${JSON.stringify(pathToFileURL(path.join(repo, 'scripts/lib/supervisor.mjs')).href)};
      const toy = ${JSON.stringify(TOY)};
      const supervisor = new Supervisor({ log: (l) => console.log('LOG ' + l), policy: { initialDelayMs: 50 } });
      const ready = (c) => new Promise((r) => c.stdout.on('data', (d) => { process.stdout.write(d); if (String(d).includes('ready')) r(); }));
      process.on('SIGTERM', async () => { await supervisor.stop(); console.log('STOPPED'); process.exit(0); });
      for (const name of ['a', 'b']) {
        await supervisor.start({ name, spawn: () => spawn(process.execPath, ['-e', toy], { detached: true, stdio: ['ignore', 'pipe', 'pipe'] }), ready });
      }
      console.log('ALL READY');
    `,
    );
    const proc = spawn(process.execPath, [harness], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    proc.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
    });
    proc.stderr!.on('data', (c: Buffer) => {
      out += c.toString();
    });
    const exited = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)));
    cleanups.push(() => {
      if (proc.exitCode === null) proc.kill('SIGKILL');
    });

    await until('both toys', () => out.includes('ALL READY'));
    const pids = () => [...out.matchAll(/pids (\d+) (\d+)/g)].flatMap((m) => [Number(m[1]), Number(m[2])]);
    const [a] = pids();
    process.kill(a, 'SIGKILL');
    await until('the restart of a', () => /LOG a is back \(pid \d+\)/.test(out));
    expect(out).toMatch(new RegExp(`LOG a \\(pid ${a}\\) was killed by SIGKILL after running [\\d.]+ m?s; restarting it in 50 ms`));
    const all = await until('three toys and their grandchildren', () => pids().length === 6 && pids());
    expect(all.filter(alive)).toHaveLength(4); // a's first incarnation and its grandchild are gone

    proc.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(out).toContain('STOPPED');
    expect(all.filter(alive)).toEqual([]);
  });
});
