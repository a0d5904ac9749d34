// qemu+tls (here test+tls: the same transport to the test driver) against a real libvirtd
// listening on TLS on a loopback port (test/tlsd.ts), with certificates made by the test: the CA,
// client certificate and key come from properties (secrets in a flow). A CA that did not sign the
// daemon's certificate, and a missing client certificate, each say what to do.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPluginTask as run } from '@baton/plugin-sdk/testing';
import { listVmsRuntime } from '../src/runtime';
import { startTlsd, type Tlsd } from './tlsd';

let tlsd: Tlsd;
beforeAll(async () => {
  tlsd = await startTlsd();
}, 120_000);
afterAll(() => tlsd?.stop());

const uri = (host = '127.0.0.1') => `test+tls://${host}:${tlsd.port}/default`;

describe('qemu+tls against a real libvirtd listening on TLS', () => {
  it('lists the domains with the CA and client certificate from properties', async () => {
    const result = await run<any>(listVmsRuntime, { uri: uri(), tlsCaCert: tlsd.ca, tlsClientCert: tlsd.clientCert, tlsClientKey: tlsd.clientKey });
    expect(result.error).toBeUndefined();
    expect(result.outputs.vms).toContainEqual({ name: 'test', uuid: '6695eb01-f6a4-8304-79aa-97f2502e193f', state: 'VIR_DOMAIN_RUNNING', id: 1 });
  }, 60_000);

  it('a server certificate not signed by tlsCaCert: AUTHENTICATION, saying which CA to give', async () => {
    const result = await run<any>(listVmsRuntime, { uri: uri(), tlsCaCert: tlsd.otherCa, tlsClientCert: tlsd.clientCert, tlsClientKey: tlsd.clientKey });
    expect(result.error?.code).toBe('AUTHENTICATION');
    expect(result.error?.message).toContain('not trusted');
    expect(result.error?.message).toContain('tlsCaCert');
  }, 60_000);

  it('no client certificate: the daemon refuses the handshake, and the message says to set one', async () => {
    const result = await run<any>(listVmsRuntime, { uri: uri(), tlsCaCert: tlsd.ca });
    expect(result.error?.code).toBe('AUTHENTICATION');
    expect(result.error?.message).toContain('tlsClientCert');
  }, 60_000);

  it('no_verify=1 skips the server check (warned) but still needs the client certificate', async () => {
    const result = await run<any>(listVmsRuntime, { uri: `${uri()}?no_verify=1`, tlsClientCert: tlsd.clientCert, tlsClientKey: tlsd.clientKey });
    expect(result.error).toBeUndefined();
    expect(JSON.stringify(result.logs)).toContain('NOT verified');
  }, 60_000);
});
