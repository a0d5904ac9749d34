// Finds or builds govmomi's `vcsim` (the vCenter / ESXi simulator the VMware plugin is tested against),
// the way temporal-binary.mjs does for the Temporal CLI:
//   1. $VCSIM_BIN
//   2. `vcsim` on PATH
//   3. the machine-wide cache ~/.cache/baton/bin/vcsim (built once per machine, shared by clones)
//   4. `go install github.com/vmware/govmomi/vcsim@v0.43.0` when Go is present
// The tag is pinned: v0.56.0 and later do not resolve from the module proxy and `@latest` picks
// v0.18.0, which crashes on start.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { machineCacheDir } from './temporal-binary.mjs';

const VCSIM_TAGS = ['v0.43.0', 'v0.37.3'];

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

/** Returns { path, source } without building anything, or undefined. */
export function locateVcsim() {
  if (process.env.VCSIM_BIN) {
    if (!isExecutable(process.env.VCSIM_BIN)) throw new Error(`VCSIM_BIN=${process.env.VCSIM_BIN} is not an executable file; unset it or point it at a vcsim binary`);
    return { path: process.env.VCSIM_BIN, source: 'VCSIM_BIN' };
  }
  const fromPath = onPath('vcsim');
  if (fromPath) return { path: fromPath, source: 'PATH' };
  const cached = path.join(machineCacheDir(), 'vcsim');
  if (isExecutable(cached)) return { path: cached, source: `machine cache ${cached}` };
  return undefined;
}

function processAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

/** One build per machine: a second test run waits for the first instead of compiling govmomi again. */
async function withLock(gobin, log, build) {
  const lock = path.join(gobin, '.vcsim-build.lock');
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
      if (waited % 15 === 0) log(`another process (pid ${holder}) is building vcsim; waiting for it...`);
      await new Promise((r) => setTimeout(r, 2000));
    }
  }
  try {
    return await build();
  } finally {
    fs.rmSync(lock, { force: true });
  }
}

function goInstall(go, tag, gobin, log) {
  return new Promise((resolve) => {
    const started = Date.now();
    log(`building vcsim ${tag} with ${go} (one time per machine; takes a few minutes on 2 cores)...`);
    const child = spawn(go, ['install', '-v', `github.com/vmware/govmomi/vcsim@${tag}`], {
      env: { ...process.env, GOBIN: gobin, GOFLAGS: process.env.GOFLAGS ?? '-mod=mod' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let packages = 0;
    let tail = '';
    const onData = (chunk) => {
      const text = chunk.toString();
      tail = (tail + text).slice(-4000);
      // `go install -v` prints one line per compiled package: our progress bar.
      packages += text.split('\n').filter((l) => l.trim() && !l.startsWith('go: ')).length;
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    const timer = setInterval(() => log(`  ... still building vcsim (${Math.round((Date.now() - started) / 1000)}s, ${packages} packages)`), 30_000);
    child.on('close', (code) => {
      clearInterval(timer);
      if (code !== 0) log(`go install vcsim ${tag} failed (exit ${code}):\n${tail}`);
      resolve(code === 0);
    });
  });
}

/** Locates vcsim, building it with Go when needed. */
export async function ensureVcsim(log = console.log) {
  const found = locateVcsim();
  if (found) return found;
  const go = findGo();
  if (!go) throw new Error('No vcsim binary was found (VCSIM_BIN, PATH, ~/.cache/baton/bin) and Go is not installed to build one: install Go or set VCSIM_BIN');
  const gobin = machineCacheDir();
  fs.mkdirSync(gobin, { recursive: true });
  return withLock(gobin, log, async () => {
    const already = locateVcsim();
    if (already) return already;
    for (const tag of VCSIM_TAGS) {
      if (await goInstall(go, tag, gobin, log)) return { path: path.join(gobin, 'vcsim'), source: `built with go install (${tag})` };
    }
    throw new Error(`Could not build vcsim with Go (tried ${VCSIM_TAGS.join(', ')}; the go output is above): check GOPROXY and disk space, or set VCSIM_BIN`);
  });
}

// `node scripts/lib/vcsim-binary.mjs` pre-builds the binary.
if (import.meta.url === `file://${process.argv[1]}`) {
  ensureVcsim().then(
    (r) => console.log(`vcsim: ${r.path} (${r.source})`),
    (e) => {
      console.error(e.message);
      process.exit(1);
    },
  );
}
