// A real OpenSSH server for tests: Debian's `sshd` started as a child process on a free loopback
// port, never as a system service. Everything it reads lives in a temp dir of its own: its config,
// a generated ed25519 host key, a generated client key pair whose public half is the only entry of
// `AuthorizedKeysFile`. Only the current user (root in CI) may log in, by key: password and
// keyboard-interactive authentication are off. `AcceptEnv *` lets tests check the task's `env`.
//
// If sshd is missing or cannot start, `startSshServer` throws with the install command: the SSH
// tests fail rather than skip (.ci/run installs openssh-server).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const SSHD_PATH = '/usr/sbin/sshd';
const INSTALL_HINT = 'install it with: apt-get install -y --no-install-recommends openssh-server (.ci/run does this)';

export interface RunningSshServer {
  host: string;
  port: number;
  /** The user the client key logs in as: the user running the tests. */
  username: string;
  /** The client's private key (OpenSSH format, no passphrase), authorised on this server. */
  privateKey: string;
  /** The client's public key line (`ssh-ed25519 AAAA… comment`). */
  publicKey: string;
  /** The server's host public key line (`ssh-ed25519 AAAA…`), what a task pins as `hostKey`. */
  hostPublicKey: string;
  /** A known_hosts line for this server (`[127.0.0.1]:PORT ssh-ed25519 AAAA…`). */
  knownHostsLine: string;
  /** A second client key pair's private key, NOT authorised: for "auth refused" tests. */
  unauthorizedPrivateKey: string;
  /** What sshd wrote to stderr so far (it runs with -e): useful in a failing test's message. */
  log(): string;
  stop(): Promise<void>;
}

export interface SshServerOptions {
  /** Extra sshd_config lines. */
  config?: string[];
}

function run(program: string, args: string[]): void {
  const result = spawnSync(program, args, { encoding: 'utf8' });
  if (result.error) throw new Error(`${program} could not run (${result.error.message}); ${INSTALL_HINT}`);
  if (result.status !== 0) throw new Error(`${program} ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
}

function keygen(file: string, comment: string): void {
  run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', comment, '-f', file]);
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

/** Resolves once the server answers with its SSH banner; rejects when the process ended first. */
async function waitForBanner(port: number, child: ChildProcess, log: () => string): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt++) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`sshd exited (${child.exitCode ?? child.signalCode}) before listening: ${log()}`);
    const banner = await new Promise<string>((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.setTimeout(2_000);
      socket.once('data', (data) => {
        socket.destroy();
        resolve(data.toString('utf8'));
      });
      socket.once('timeout', () => {
        socket.destroy();
        resolve('');
      });
      socket.once('error', () => resolve(''));
    });
    if (banner.startsWith('SSH-2.0-')) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`sshd did not answer on 127.0.0.1:${port}: ${log()}`);
}

export async function startSshServer(options: SshServerOptions = {}): Promise<RunningSshServer> {
  if (!fs.existsSync(SSHD_PATH)) throw new Error(`${SSHD_PATH} not found: the SSH tests need a real OpenSSH server; ${INSTALL_HINT}`);
  // sshd's privilege separation needs its empty directory (a system install creates it at boot).
  if (process.getuid?.() === 0) fs.mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'baton-sshd-'));
  keygen(path.join(dir, 'host_ed25519'), 'baton-test-host');
  keygen(path.join(dir, 'client_ed25519'), 'baton-test-client');
  keygen(path.join(dir, 'other_ed25519'), 'baton-test-unauthorized');
  const read = (name: string) => fs.readFileSync(path.join(dir, name), 'utf8');
  fs.writeFileSync(path.join(dir, 'authorized_keys'), read('client_ed25519.pub'), { mode: 0o600 });

  const username = os.userInfo().username;
  let stderr = '';
  const log = () => stderr.slice(-4_000);

  for (let tries = 0; ; tries++) {
    const port = await freePort();
    const config = [
      `Port ${port}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${path.join(dir, 'host_ed25519')}`,
      `PidFile ${path.join(dir, 'sshd.pid')}`,
      `AuthorizedKeysFile ${path.join(dir, 'authorized_keys')}`,
      `AllowUsers ${username}`,
      'PermitRootLogin prohibit-password',
      'PubkeyAuthentication yes',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      // The temp dir lives under /tmp (world-writable): strict modes would refuse the key file.
      'StrictModes no',
      // No PAM: the test server must not depend on the machine's login configuration.
      'UsePAM no',
      'AcceptEnv *',
      'Subsystem sftp internal-sftp',
      'LogLevel VERBOSE',
      ...(options.config ?? []),
    ];
    const configFile = path.join(dir, 'sshd_config');
    fs.writeFileSync(configFile, `${config.join('\n')}\n`);
    // -D: stay in the foreground (our child, stopped by stop()); -e: log to stderr.
    const child = spawn(SSHD_PATH, ['-D', '-e', '-f', configFile], { stdio: ['ignore', 'ignore', 'pipe'] });
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
      if (stderr.length > 200_000) stderr = stderr.slice(-100_000);
    });
    const spawned = await new Promise<Error | undefined>((resolve) => {
      child.once('spawn', () => resolve(undefined));
      child.once('error', (error) => resolve(error));
    });
    if (spawned) throw new Error(`${SSHD_PATH} could not start (${spawned.message}); ${INSTALL_HINT}`);
    try {
      await waitForBanner(port, child, log);
    } catch (error) {
      child.kill('SIGKILL');
      // Another process took the port between freePort() and sshd's bind: try another one.
      if (tries < 3 && /Address already in use|Cannot bind/i.test(stderr)) continue;
      fs.rmSync(dir, { recursive: true, force: true });
      throw error;
    }

    const hostPublicKey = read('host_ed25519.pub').trim().split(/\s+/).slice(0, 2).join(' ');
    return {
      host: '127.0.0.1',
      port,
      username,
      privateKey: read('client_ed25519'),
      publicKey: read('client_ed25519.pub').trim(),
      hostPublicKey,
      knownHostsLine: `[127.0.0.1]:${port} ${hostPublicKey}`,
      unauthorizedPrivateKey: read('other_ed25519'),
      log,
      async stop() {
        if (child.exitCode === null && child.signalCode === null) {
          const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
          child.kill('SIGTERM');
          await exited;
        }
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  }
}
