import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { statusRuntime } from '../src/runtime';
import { TOKEN, run, startSim, type Sim } from './helpers';

function hasOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * Argo CD servers often use a private CA or a self-signed certificate. A TLS front (self-signed
 * for 127.0.0.1) proxies to the simulator, so `insecure` and `caCert` are tested for real.
 */
describe.skipIf(!hasOpenssl())('TLS options', () => {
  let sim: Sim;
  let front: https.Server;
  let url: string;
  let cert: string;
  let dir: string;

  beforeAll(async () => {
    sim = await startSim();
    dir = mkdtempSync(join(tmpdir(), 'baton-argocd-tls-'));
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    cert = readFileSync(join(dir, 'cert.pem'), 'utf8');
    const target = new URL(sim.url);
    front = https.createServer({ key: readFileSync(join(dir, 'key.pem')), cert }, (req, res) => {
      const upstream = http.request({ host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers }, (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      });
      req.pipe(upstream);
    });
    await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
    url = `https://127.0.0.1:${(front.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => front?.close(resolve));
    await sim?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('refuses an untrusted certificate by default', async () => {
    const r = await run<any>(statusRuntime, { server: url, token: TOKEN, application: 'my-app' });
    expect(r.error?.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(r.error?.message).toMatch(/self[- ]signed certificate/i);
  });

  it('trusts the server with caCert', async () => {
    const r = await run<any>(statusRuntime, { server: url, token: TOKEN, application: 'my-app', caCert: cert });
    expect(r.error).toBeUndefined();
    expect(r.outputs.app.metadata.name).toBe('my-app');
  });

  it('skips verification with insecure: true', async () => {
    const r = await run<any>(statusRuntime, { server: url.replace('https://', ''), token: TOKEN, application: 'my-app', insecure: true });
    expect(r.error).toBeUndefined();
    expect(r.outputs.syncStatus).toBe('OutOfSync');
  });
});
