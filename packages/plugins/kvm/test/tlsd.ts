// A second, real libvirtd listening on TLS on a loopback port, for the qemu+tls tests: an
// unprivileged (session) daemon run as `nobody` in its own directories, so it shares nothing with
// the system daemon, with a CA, a server and a client certificate made here by openssl. Its test
// driver (`test+tls://127.0.0.1:PORT/default`) gives domains to list without QEMU.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export interface Tlsd {
  port: number;
  ca: string;
  clientCert: string;
  clientKey: string;
  /** A CA that signed nothing here: the server's certificate does not chain to it. */
  otherCa: string;
  stop(): Promise<void>;
}

const openssl = (dir: string, ...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });

function certificates(dir: string): void {
  openssl(dir, 'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=Baton test CA');
  openssl(dir, 'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'other-ca.key', '-out', 'other-ca.pem', '-days', '2', '-subj', '/CN=Another CA');
  fs.writeFileSync(path.join(dir, 'server.ext'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n');
  fs.writeFileSync(path.join(dir, 'client.ext'), 'extendedKeyUsage=clientAuth\n');
  for (const [name, subject] of [
    ['server', '/CN=localhost'],
    ['client', '/CN=baton-worker'],
  ]) {
    openssl(dir, 'req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', subject!);
    openssl(dir, 'x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', `${name}.pem`, '-days', '2', '-extfile', `${name}.ext`);
  }
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
}

export async function startTlsd(): Promise<Tlsd> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'baton-tlsd-'));
  certificates(dir);
  const port = await freePort();
  for (const sub of ['run', 'cfg', 'cache']) fs.mkdirSync(path.join(dir, sub));
  fs.writeFileSync(
    path.join(dir, 'libvirtd.conf'),
    [
      'listen_tls = 1',
      'listen_tcp = 0',
      `tls_port = "${port}"`,
      'listen_addr = "127.0.0.1"',
      'auth_tls = "none"',
      `key_file = "${dir}/server.key"`,
      `cert_file = "${dir}/server.pem"`,
      `ca_file = "${dir}/ca.pem"`,
      `unix_sock_dir = "${dir}/run"`,
      '',
    ].join('\n'),
  );
  execFileSync('chown', ['-R', 'nobody:nogroup', dir]);
  fs.chmodSync(dir, 0o755);
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, XDG_RUNTIME_DIR: `${dir}/run`, XDG_CONFIG_HOME: `${dir}/cfg`, XDG_CACHE_HOME: `${dir}/cache` };
  const child: ChildProcess = spawn('setpriv', ['--reuid=nobody', '--regid=nogroup', '--clear-groups', '/usr/sbin/libvirtd', '--listen', '-f', `${dir}/libvirtd.conf`], {
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(-4000)));
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`the TLS libvirtd exited: ${stderr}`);
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.createConnection({ host: '127.0.0.1', port }, () => {
        s.destroy();
        resolve(true);
      });
      s.on('error', () => resolve(false));
    });
    if (ok) break;
    if (i > 300) throw new Error(`the TLS libvirtd did not listen on ${port}: ${stderr}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const read = (name: string) => fs.readFileSync(path.join(dir, name), 'utf8');
  return {
    port,
    ca: read('ca.pem'),
    clientCert: read('client.pem'),
    clientKey: read('client.key'),
    otherCa: read('other-ca.pem'),
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => (child.exitCode !== null ? r(undefined) : child.once('exit', r)));
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
