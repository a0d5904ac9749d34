// `npm start` failures end in one paragraph with the fix and exit code 1, never a stack trace:
// scripts/start.mjs run for real, stopped early by what each case breaks.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
// @ts-expect-error plain ESM module of the start scripts
import { freePort } from '../../../scripts/lib/stack.mjs';
// @ts-expect-error plain ESM module of the start scripts
import { explain, StartError } from '../../../scripts/lib/start-errors.mjs';

const repo = path.resolve(import.meta.dirname, '../../..');
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function tempDir(mode = 0o755): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'baton-start-'));
  fs.chmodSync(dir, mode);
  cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Runs `node scripts/start.mjs` on free ports; resolves with its exit code and output. */
async function npmStart(env: Record<string, string>, timeoutMs = 60_000) {
  const ports = {
    PORT: String(await freePort()),
    BATON_PG_PORT: String(await freePort()),
    BATON_TEMPORAL_PORT: String(await freePort()),
    BATON_TEMPORAL_UI_PORT: String(await freePort()),
  };
  const start = [process.execPath, path.join(repo, 'scripts/start.mjs')];
  const [command, ...args] = env.BATON_TEST_WRAP === 'hide-go' ? ['unshare', '-m', 'sh', '-c', 'mount -t tmpfs tmpfs /usr/local/go && exec "$@"', 'sh', ...start] : start;
  const child = spawn(command, args, {
    cwd: repo,
    env: { ...process.env, DATABASE_URL: '', TEMPORAL_ADDRESS: '', ...ports, ...env, BATON_TEST_WRAP: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => {
    stdout += c.toString();
  });
  child.stderr.on('data', (c: Buffer) => {
    stderr += c.toString();
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const code = await new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
  clearTimeout(timer);
  return { code, stdout, stderr, ports };
}

function expectOneParagraph(stderr: string) {
  const text = stderr.trim();
  expect(text).not.toMatch(/^\s+at /m); // no stack frames
  expect(text).not.toContain('\n\n');
  const errorLines = text.split('\n').filter((l) => l.startsWith('[baton] could not start.'));
  expect(errorLines).toHaveLength(1);
  return errorLines[0];
}

describe('npm start failures', () => {
  it('a taken port: one paragraph naming the port, its variable and the fix; exit 1', async () => {
    const server = net.createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    cleanups.push(() => new Promise<void>((r) => server.close(() => r())));
    const taken = (server.address() as net.AddressInfo).port;

    const { code, stderr } = await npmStart({ PORT: String(taken), BATON_DATA_DIR: tempDir() });
    expect(code).toBe(1);
    const line = expectOneParagraph(stderr);
    expect(line).toBe(
      `[baton] could not start. Port ${taken}, which the web app needs, is already in use (another npm start, or another program). ` +
        `Stop whatever listens there (\`ss -ltnp 'sport = :${taken}'\` shows it), or choose another port: PORT=<free port> npm start.`,
    );
  });

  it('a data directory made by a newer PostgreSQL: one paragraph with the ways out; exit 1', async () => {
    const dataDir = tempDir();
    fs.mkdirSync(path.join(dataDir, 'pg'));
    fs.writeFileSync(path.join(dataDir, 'pg', 'PG_VERSION'), '99\n');
    // An external Temporal address: this case must not depend on finding (or building) a temporal binary.
    const { code, stderr } = await npmStart({ BATON_DATA_DIR: dataDir, BATON_PG_SYSTEM_DIR: tempDir(), TEMPORAL_ADDRESS: '127.0.0.1:1' }, 120_000);
    expect(code).toBe(1);
    const line = expectOneParagraph(stderr);
    expect(line).toMatch(
      /^\[baton\] could not start\. The PostgreSQL data in \S+\/pg was created by PostgreSQL 99, newer than the embedded PostgreSQL \d+ this checkout installs\. Use the Baton version that created it, or move the directory away/,
    );
    expect(fs.readFileSync(path.join(dataDir, 'pg', 'PG_VERSION'), 'utf8')).toBe('99\n'); // untouched
  });

  // Hiding the Go toolchain at /usr/local/go (which the binary finder also looks at) needs a private
  // mount namespace: root on Linux. Without a Go there, a stripped PATH is enough.
  const goAtUsrLocal = fs.existsSync('/usr/local/go/bin/go');
  const canHideGo = !goAtUsrLocal || spawnSync('unshare', ['-m', 'true']).status === 0;
  it.skipIf(!canHideGo)('no temporal binary and no Go: says so before starting anything; exit 1', async () => {
    const home = tempDir();
    const dataDir = tempDir();
    const nodeDir = path.dirname(process.execPath);
    const { code, stderr, stdout } = await npmStart({
      BATON_DATA_DIR: dataDir,
      HOME: home,
      XDG_CACHE_HOME: '',
      TEMPORAL_CLI: '',
      PATH: `${nodeDir}:/usr/bin:/bin`,
      ...(goAtUsrLocal ? { BATON_TEST_WRAP: 'hide-go' } : {}),
    });
    expect(code).toBe(1);
    expect(expectOneParagraph(stderr)).toBe(
      '[baton] could not start. No temporal binary was found (TEMPORAL_CLI, PATH, <data dir>/bin, ~/.cache/baton/bin) and Go is not installed to build one. ' +
        'Install the Temporal CLI (https://docs.temporal.io/cli) and put it on PATH or set TEMPORAL_CLI, install Go (then npm start builds it once), or set TEMPORAL_ADDRESS to use an existing Temporal server.',
    );
    expect(stdout).not.toContain('migrations'); // nothing was started first
  });

  it('a malformed BATON_ENCRYPTION_KEY: one paragraph with how to make one, before anything starts; exit 1', async () => {
    const dataDir = tempDir();
    const { code, stderr, stdout } = await npmStart({
      BATON_DATA_DIR: dataDir,
      BATON_ENCRYPTION_KEY: 'c2hvcnQ=',
      TEMPORAL_ADDRESS: '127.0.0.1:1',
      DATABASE_URL: 'postgresql://nobody@127.0.0.1:1/none',
    });
    expect(code).toBe(1);
    expect(expectOneParagraph(stderr)).toMatch(
      /^\[baton\] could not start\. BATON_ENCRYPTION_KEY is not a base64-encoded 32-byte key \(it decodes to 5 bytes\)\. Generate one with `openssl rand -base64 32`/,
    );
    expect(stdout).not.toContain('migrations');
    expect(fs.existsSync(path.join(dataDir, 'encryption.key'))).toBe(false);
  });

  it('a port variable that is not a number', async () => {
    const { code, stderr } = await npmStart({ BATON_PG_PORT: 'fivefourthreetwo', BATON_DATA_DIR: tempDir() });
    expect(code).toBe(1);
    expect(expectOneParagraph(stderr)).toBe(
      '[baton] could not start. BATON_PG_PORT=fivefourthreetwo is not a port number. Set BATON_PG_PORT to a number between 1 and 65535, or unset it for 54329.',
    );
  });
});

describe('explain', () => {
  it('turns known system errors into one paragraph with the fix', () => {
    const enospc = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', path: '/data/.baton/temporal.db' });
    expect(explain(enospc, { logFile: 'x.log' })).toBe(
      'The disk is full (/data/.baton/temporal.db). Free some space (`df -h` shows where) and run npm start again; the data already written is kept. Details are in x.log.',
    );
    const missing = Object.assign(new Error("Cannot find package 'pg' imported from /w/scripts/lib/postgres.mjs"), { code: 'ERR_MODULE_NOT_FOUND' });
    expect(explain(missing, { root: '/w' })).toBe("A dependency is missing: 'pg' is not installed. Run `npm ci` in /w and start again.");
    expect(explain(new StartError('It broke', { fix: 'Do this' }))).toBe('It broke. Do this.');
    const noTsx = Object.assign(new Error('spawn /w/node_modules/.bin/tsx ENOENT'), {
      code: 'ENOENT',
      syscall: 'spawn /w/node_modules/.bin/tsx',
      path: '/w/node_modules/.bin/tsx',
    });
    expect(explain(noTsx, { root: '/w' })).toBe('A program Baton runs is missing: /w/node_modules/.bin/tsx. Run `npm ci` in /w and start again.');
  });

  it('folds an unknown error into one line and points at the log', () => {
    const error = new Error('migrations failed:\nstdout...\nstderr: relation "x" already exists');
    expect(explain(error, { logFile: '.baton/logs/start.log' })).toBe(
      'migrations failed: stdout... stderr: relation "x" already exists. The full error is in .baton/logs/start.log.',
    );
  });
});
