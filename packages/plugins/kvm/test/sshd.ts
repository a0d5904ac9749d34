// A real OpenSSH server for the qemu+ssh tests: started by the test on a loopback port, its own host
// key, one authorised client key, logging in as root (the user that may use libvirtd's socket here).
// Debian package openssh-server (.ci/run installs it).
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export interface Sshd {
  port: number;
  /** The authorised client's private key (OpenSSH text). */
  clientKey: string;
  /** A key sshd does not accept. */
  strangerKey: string;
  /** known_hosts line for [127.0.0.1]:port. */
  knownHosts: string;
  /** A known_hosts line with another host key for the same address (a "changed" host). */
  wrongKnownHosts: string;
  stop(): Promise<void>;
}

const SSHD = '/usr/sbin/sshd';

function keygen(file: string): void {
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'baton-test', '-f', file]);
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
}

export async function startSshd(): Promise<Sshd> {
  if (!fs.existsSync(SSHD)) throw new Error('sshd is missing: apt-get install --no-install-recommends openssh-server openssh-client');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'baton-sshd-'));
  for (const name of ['host', 'client', 'stranger', 'other-host']) keygen(path.join(dir, name));
  fs.copyFileSync(path.join(dir, 'client.pub'), path.join(dir, 'authorized_keys'));
  fs.mkdirSync('/run/sshd', { recursive: true }); // privilege separation directory
  const port = await freePort();
  const config = path.join(dir, 'sshd_config');
  fs.writeFileSync(
    config,
    [
      `Port ${port}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${path.join(dir, 'host')}`,
      `AuthorizedKeysFile ${path.join(dir, 'authorized_keys')}`,
      'PermitRootLogin prohibit-password',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'UsePAM no',
      'StrictModes no',
      `PidFile ${path.join(dir, 'sshd.pid')}`,
      'LogLevel ERROR',
      '',
    ].join('\n'),
  );
  const child: ChildProcess = spawn(SSHD, ['-D', '-e', '-f', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  // Ready when it accepts a TCP connection.
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`sshd exited: ${stderr}`);
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.createConnection({ host: '127.0.0.1', port }, () => {
        s.destroy();
        resolve(true);
      });
      s.on('error', () => resolve(false));
    });
    if (ok) break;
    if (i > 100) throw new Error(`sshd did not listen on ${port}: ${stderr}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const line = (pub: string) => `[127.0.0.1]:${port} ${fs.readFileSync(pub, 'utf8').trim().split(' ').slice(0, 2).join(' ')}`;
  return {
    port,
    clientKey: fs.readFileSync(path.join(dir, 'client'), 'utf8'),
    strangerKey: fs.readFileSync(path.join(dir, 'stranger'), 'utf8'),
    knownHosts: line(path.join(dir, 'host.pub')),
    wrongKnownHosts: line(path.join(dir, 'other-host.pub')),
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => (child.exitCode !== null ? r(undefined) : child.once('exit', r)));
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
