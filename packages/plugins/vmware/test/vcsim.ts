// govmomi's vcsim, the real vim25 peer the VMware tests run against: found or built once per machine
// by scripts/lib/vcsim-binary.mjs, started here on a free loopback port, in vCenter or `-esx` mode,
// with its own certificate or one signed by a CA the test generates (openssl).
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
// @ts-expect-error plain ESM helper shared with the scripts
import { ensureVcsim } from '../../../../scripts/lib/vcsim-binary.mjs';

export interface Vcsim {
  server: string;
  port: number;
  username: string;
  password: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

export interface VcsimOptions {
  esx?: boolean;
  /** Serve this certificate instead of vcsim's own. */
  tls?: { cert: string; key: string };
  /** vcsim's `-method-delay`, e.g. `PowerOn:20000`: vcsim's Task name (PowerOn, PowerOff, createSnapshot...) delays the Task, which stays `running`, not the SOAP call. */
  methodDelay?: string;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

export const CREDENTIALS = { username: 'baton', password: 'vcsim-s3cret-pass' };

export async function startVcsim(opts: VcsimOptions = {}): Promise<Vcsim> {
  const { path: bin } = (await ensureVcsim((m: string) => console.log(`[vcsim] ${m}`))) as { path: string };
  const port = await freePort();
  const args = ['-l', `127.0.0.1:${port}`, '-username', CREDENTIALS.username, '-password', CREDENTIALS.password];
  if (opts.esx) args.push('-esx');
  if (opts.tls) args.push('-tlscert', opts.tls.cert, '-tlskey', opts.tls.key);
  // LockHandoff:0 lets the property collector read a VM while one of its Tasks is delayed.
  if (opts.methodDelay) args.push('-method-delay', `${opts.methodDelay},LockHandoff:0`);
  const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('GOVC_URL')) resolve();
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`vcsim exited with ${code} before it served:\n${out}`)));
  });
  return {
    server: '127.0.0.1',
    port,
    ...CREDENTIALS,
    process: child,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** A CA and a server certificate for 127.0.0.1 signed by it, plus the CA as a PKCS#12 trust store. */
export function makeCa(): { dir: string; caPem: string; cert: string; key: string; p12: string; p12Password: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'baton-vcsim-ca-'));
  const f = (name: string) => path.join(dir, name);
  const ssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'pipe' });
  ssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', f('ca.key'), '-out', f('ca.pem'), '-days', '2', '-subj', '/CN=Baton test CA');
  ssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', f('server.key'), '-out', f('server.csr'), '-subj', '/CN=127.0.0.1');
  fs.writeFileSync(f('ext.cnf'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  ssl('x509', '-req', '-in', f('server.csr'), '-CA', f('ca.pem'), '-CAkey', f('ca.key'), '-CAcreateserial', '-out', f('server.pem'), '-days', '2', '-extfile', f('ext.cnf'));
  const p12Password = 'trust-pass';
  ssl('pkcs12', '-export', '-nokeys', '-in', f('ca.pem'), '-out', f('ca.p12'), '-passout', `pass:${p12Password}`);
  return { dir, caPem: fs.readFileSync(f('ca.pem'), 'utf8'), cert: f('server.pem'), key: f('server.key'), p12: f('ca.p12'), p12Password };
}
