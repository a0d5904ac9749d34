// Finds or builds the `temporal` CLI (which embeds the Temporal dev server).
//
// Order, as documented in the README:
//   1. $TEMPORAL_CLI
//   2. `temporal` on PATH
//   3. <dataDir>/bin/temporal
//   4. the machine-wide cache ~/.cache/baton/bin/temporal (built once per machine, shared by clones)
//   5. `go install github.com/temporalio/cli/cmd/temporal@<tag>` when Go is present
// Later CLI tags carry a `replace` directive in go.mod and cannot be installed with `go install`,
// which is why the tags are pinned.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { StartError } from './start-errors.mjs';

const CLI_TAGS = ['v1.5.1', 'v1.5.0', 'v1.4.1'];

function isExecutable(file) {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

function onPath(name) {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir && isExecutable(path.join(dir, name))) return path.join(dir, name);
  }
  return undefined;
}

function findGo() {
  return onPath('go') ?? (isExecutable('/usr/local/go/bin/go') ? '/usr/local/go/bin/go' : undefined);
}

export function machineCacheDir() {
  const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(base, 'baton', 'bin');
}

/** Returns { path, source } without building anything, or undefined. */
export function locateTemporal(dataDir) {
  if (process.env.TEMPORAL_CLI) {
    if (!isExecutable(process.env.TEMPORAL_CLI)) {
      throw new StartError(`TEMPORAL_CLI=${process.env.TEMPORAL_CLI} is not an executable file`, { fix: 'Unset it, or point it at a temporal binary' });
    }
    return { path: process.env.TEMPORAL_CLI, source: 'TEMPORAL_CLI' };
  }
  const fromPath = onPath('temporal');
  if (fromPath) return { path: fromPath, source: 'PATH' };
  const local = path.join(dataDir, 'bin', 'temporal');
  if (isExecutable(local)) return { path: local, source: `${path.relative(process.cwd(), local) || local}` };
  const cached = path.join(machineCacheDir(), 'temporal');
  if (isExecutable(cached)) return { path: cached, source: `machine cache ${cached}` };
  return undefined;
}

function runGoInstall(go, tag, gobin, log) {
  return new Promise((resolve) => {
    const started = Date.now();
    log(`building temporal CLI ${tag} with ${go} (one time per machine; takes a few minutes on 2 cores)...`);
    const child = spawn(go, ['install', '-v', `github.com/temporalio/cli/cmd/temporal@${tag}`], {
      env: { ...process.env, GOBIN: gobin, GOFLAGS: process.env.GOFLAGS ?? '-mod=mod' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let packages = 0;
    let tail = '';
    const onData = (chunk) => {
      const text = chunk.toString();
      tail = (tail + text).slice(-4000);
      // `go install -v` prints one line per compiled package: that is our progress bar.
      packages += text.split('\n').filter((l) => l.trim() && !l.startsWith('go: ')).length;
      if (packages > 0 && packages % 50 === 0) {
        log(`  ... ${packages} packages compiled (${Math.round((Date.now() - started) / 1000)}s)`);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    const timer = setInterval(() => log(`  ... still building (${Math.round((Date.now() - started) / 1000)}s, ${packages} packages)`), 30_000);
    child.on('close', (code) => {
      clearInterval(timer);
      if (code !== 0) log(`go install ${tag} failed (exit ${code}):\n${tail}`);
      resolve(code === 0);
    });
  });
}

function processAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

/**
 * One build per machine at a time: a second `npm start` or test run on a new machine (CI beside a
 * developer's run, several worktrees) waits for the first build instead of compiling the same
 * ~400 Go packages again on the same two cores. The lock holds the builder's pid; a lock whose
 * process is gone is stale and taken over.
 */
export async function withBuildLock(gobin, log, build) {
  const lock = path.join(gobin, '.build.lock');
  for (let waited = 0; ; waited++) {
    try {
      fs.writeFileSync(lock, String(process.pid), { flag: 'wx' });
      break;
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
      const holder = Number(fs.readFileSync(lock, 'utf8').trim());
      if (!holder || !processAlive(holder)) {
        fs.rmSync(lock, { force: true });
        continue;
      }
      if (waited % 15 === 0) log(`another process (pid ${holder}) is building the temporal CLI; waiting for it...`);
      await new Promise((r) => setTimeout(r, 2000));
    }
  }
  try {
    return await build();
  } finally {
    fs.rmSync(lock, { force: true });
  }
}

/** Locates the binary, building it with Go when needed. */
export async function ensureTemporal(dataDir, log = console.log) {
  const found = locateTemporal(dataDir);
  if (found) return found;
  const go = findGo();
  if (!go) {
    throw new StartError('No temporal binary was found (TEMPORAL_CLI, PATH, <data dir>/bin, ~/.cache/baton/bin) and Go is not installed to build one', {
      fix: 'Install the Temporal CLI (https://docs.temporal.io/cli) and put it on PATH or set TEMPORAL_CLI, install Go (then npm start builds it once), or set TEMPORAL_ADDRESS to use an existing Temporal server',
    });
  }
  const gobin = machineCacheDir();
  fs.mkdirSync(gobin, { recursive: true });
  return withBuildLock(gobin, log, () => buildTemporal(go, gobin, dataDir, log));
}

async function buildTemporal(go, gobin, dataDir, log) {
  // Built by the process we waited for?
  const already = locateTemporal(dataDir);
  if (already) return already;
  for (const tag of CLI_TAGS) {
    if (await runGoInstall(go, tag, gobin, log)) {
      const built = path.join(gobin, 'temporal');
      const local = path.join(dataDir, 'bin', 'temporal');
      fs.mkdirSync(path.dirname(local), { recursive: true });
      try {
        fs.rmSync(local, { force: true });
        fs.symlinkSync(built, local);
      } catch {
        fs.copyFileSync(built, local);
        fs.chmodSync(local, 0o755);
      }
      return { path: built, source: `built with go install (${tag})` };
    }
  }
  throw new StartError(`Could not build the temporal CLI with Go (tried ${CLI_TAGS.join(', ')}; the go output is above)`, {
    fix: 'Check that the Go module proxy is reachable (GOPROXY) and the disk has space, or install the Temporal CLI yourself and set TEMPORAL_CLI, or set TEMPORAL_ADDRESS',
  });
}

export function temporalVersion(bin) {
  const out = spawnSync(bin, ['--version'], { encoding: 'utf8' });
  return (out.stdout || out.stderr || '').trim();
}

// Allows `node scripts/lib/temporal-binary.mjs` to pre-build the binary.
if (import.meta.url === `file://${process.argv[1]}`) {
  const dataDir = path.resolve(process.env.BATON_DATA_DIR ?? '.baton');
  ensureTemporal(dataDir).then(
    (r) => console.log(`temporal: ${r.path} (${r.source})`),
    (e) => {
      console.error(e.message);
      process.exit(1);
    },
  );
}
