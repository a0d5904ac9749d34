// Issue 15 / 8: Temporal history holds every workflow and activity payload encrypted with
// AES-256-GCM (EncryptionCodec), so inputs, outputs, secrets and SECRET inputs are ciphertext in
// the server's database and UI; Baton itself still reads everything, and the codec endpoint
// decrypts for the Temporal UI.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { api, authHeaders, historyPayloads, historyText, rawRequest, taskRun } from '@baton/testing';
// @ts-expect-error plain ESM helpers shared with npm start
import * as stack from '../../../scripts/lib/stack.mjs';
// @ts-expect-error plain ESM helpers shared with npm start
import { ensureTemporal } from '../../../scripts/lib/temporal-binary.mjs';

const client = api();
const SECRET = 's3cr3t-t0ken-value'; // SECRET_TEST_TOKEN of the integration stack
const PLAIN_INPUT = 'plain-region-marker-4711';
const SECRET_INPUT = 'hunter2-secret-input-value';

const FLOW = `
id: encrypted-history
namespace: test.encryption
inputs:
  - id: region
    type: STRING
  - id: password
    type: SECRET
outputs:
  - id: greeting
    type: STRING
    value: "{{ outputs.hello.values.greeting }}"
tasks:
  - id: hello
    type: io.kestra.plugin.core.output.OutputValues
    values:
      greeting: "hello from {{ inputs.region }}"
      auth: "token {{ secret('TEST_TOKEN') }} password {{ inputs.password }}"
`;

const text = (bytes: Uint8Array | undefined) => Buffer.from(bytes ?? new Uint8Array()).toString('utf8');

describe('encrypted Temporal history', () => {
  it('holds no input, secret or SECRET input in clear, and every payload is encrypted', async () => {
    const id = await client.deployAndRun(FLOW, { region: PLAIN_INPUT, password: SECRET_INPUT });
    const done = await client.waitFor(id);
    expect(done.state.current, JSON.stringify(done)).toBe('SUCCESS');
    // Baton reads its own data through the codec: outputs are readable in the API.
    expect(taskRun(done, 'hello').outputs.values.greeting).toBe(`hello from ${PLAIN_INPUT}`);
    expect(done.outputs).toEqual({ greeting: `hello from ${PLAIN_INPUT}` });

    const history = await historyText(id);
    expect(history).toContain('executionWorkflow'); // the history is really there
    // Only the search attributes (tenant, namespace, flow id) stay readable: Temporal indexes them.
    for (const value of [PLAIN_INPUT, SECRET_INPUT, SECRET, 'hello from', 'OutputValues', 'greeting']) {
      expect(history).not.toContain(value);
    }
    const payloads = await historyPayloads(id);
    const markerKeys = ['seq', 'attempt', 'activity_id', 'activity_type', 'complete_time', 'backoff', 'original_schedule_time'];
    let encrypted = 0;
    for (const payload of payloads) {
      if (text(payload.metadata.encoding) === 'binary/encrypted') {
        expect(text(payload.metadata['encryption-key-id'])).toMatch(/^k[0-9a-f]{12}$/);
        encrypted++;
      } else {
        // The SDK core writes local-activity markers' bookkeeping itself (no codec): ids and times only.
        expect(
          Object.keys(JSON.parse(text(payload.data))).every((k) => markerKeys.includes(k)),
          text(payload.data),
        ).toBe(true);
      }
    }
    expect(encrypted).toBeGreaterThan(3); // start input, activity input and result, workflow result
  });

  it('decodes payloads for the Temporal UI through the codec endpoint, for the UI origin only', async () => {
    const id = await client.deployAndRun(FLOW, { region: PLAIN_INPUT, password: SECRET_INPUT });
    await client.waitFor(id);
    const [first] = await historyPayloads(id); // the workflow's start input
    const body = JSON.stringify({
      payloads: [
        { metadata: Object.fromEntries(Object.entries(first.metadata).map(([k, v]) => [k, Buffer.from(v).toString('base64')])), data: Buffer.from(first.data).toString('base64') },
      ],
    });
    const headers = { 'content-type': 'application/json', 'x-namespace': 'default', origin: 'http://localhost:8233' };
    const decoded = await rawRequest(inject('apiUrl'), { method: 'POST', path: '/api/v1/temporal-codec/decode', headers, body });
    expect(decoded.status, decoded.text).toBe(200);
    expect(decoded.headers['access-control-allow-origin']).toBe('http://localhost:8233');
    const payload = decoded.json.payloads[0];
    expect(Buffer.from(payload.metadata.encoding, 'base64').toString()).toBe('json/plain');
    expect(Buffer.from(payload.data, 'base64').toString()).toContain(PLAIN_INPUT);
    // What the UI shows keeps Baton's masking: the SECRET input is needed in history, not on screen.
    expect(JSON.parse(Buffer.from(payload.data, 'base64').toString()).inputs).toEqual({ region: PLAIN_INPUT, password: '******' });

    // Encode then decode gives the payload back (the UI encodes signal and start inputs).
    const encoded = await rawRequest(inject('apiUrl'), { method: 'POST', path: '/api/v1/temporal-codec/encode', headers, body: JSON.stringify(decoded.json) });
    expect(Buffer.from(encoded.json.payloads[0].metadata.encoding, 'base64').toString()).toBe('binary/encrypted');
    const again = await rawRequest(inject('apiUrl'), { method: 'POST', path: '/api/v1/temporal-codec/decode', headers, body: JSON.stringify(encoded.json) });
    expect(again.json.payloads[0].data).toBe(payload.data);

    // The preflight is answered for the UI's origin (127.0.0.1 or localhost), and for no other.
    const preflight = await rawRequest(inject('apiUrl'), {
      method: 'OPTIONS',
      path: '/api/v1/temporal-codec/decode',
      headers: { origin: 'http://127.0.0.1:8233', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,x-namespace' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe('http://127.0.0.1:8233');
    expect(String(preflight.headers['access-control-allow-headers'])).toContain('x-namespace');
    const stranger = await rawRequest(inject('apiUrl'), { method: 'POST', path: '/api/v1/temporal-codec/decode', headers: { ...headers, origin: 'http://evil.example' }, body });
    expect(stranger.headers['access-control-allow-origin']).toBeUndefined();

    // Altered ciphertext is refused with the reason, not a 500.
    const tampered = Buffer.from(first.data);
    tampered[tampered.length - 1] ^= 1;
    const bad = await rawRequest(inject('apiUrl'), {
      method: 'POST',
      path: '/api/v1/temporal-codec/decode',
      headers,
      body: JSON.stringify({ payloads: [{ metadata: JSON.parse(body).payloads[0].metadata, data: tampered.toString('base64') }] }),
    });
    expect(bad.status).toBe(422);
    expect(bad.json.message).toMatch(/failed authentication/);
  });

  it("lets Temporal's own CLI read the history through the codec endpoint", async () => {
    const id = await client.deployAndRun(FLOW, { region: PLAIN_INPUT, password: SECRET_INPUT });
    await client.waitFor(id);
    const temporal = await ensureTemporal(stack.dataDirFrom(), () => {});
    const show = (extra: string[]) =>
      spawnSync(temporal.path, ['workflow', 'show', '-w', id, '--address', inject('temporalAddress'), '-o', 'json', ...extra], { encoding: 'utf8', timeout: 60_000 });
    // The JSON output shows payloads as proto JSON: metadata and data base64-encoded.
    const payloadTexts = (out: string) => [...out.matchAll(/"data": "([A-Za-z0-9+/=]*)"/g)].map((m) => Buffer.from(m[1], 'base64').toString('utf8')).join('\n');
    const without = show([]);
    expect(without.status, without.stderr).toBe(0);
    expect(payloadTexts(without.stdout)).not.toContain(PLAIN_INPUT);
    expect(without.stdout).toContain(Buffer.from('binary/encrypted').toString('base64'));
    // The codec endpoint asks for credentials like every route: the CLI sends them with --codec-auth.
    const decoded = show(['--codec-endpoint', `${inject('apiUrl')}/api/v1/temporal-codec`, '--codec-auth', authHeaders().authorization]);
    expect(decoded.status, decoded.stderr).toBe(0);
    expect(payloadTexts(decoded.stdout)).toContain(PLAIN_INPUT);
    expect(payloadTexts(decoded.stdout)).not.toContain(SECRET_INPUT); // activity inputs carry it too: redacted there as well
    expect(decoded.stdout).not.toContain(Buffer.from('binary/encrypted').toString('base64'));
  });

  it('keeps the web app from starting with a malformed key, saying how to make one', async () => {
    const env = JSON.parse(fs.readFileSync(path.join(inject('dataDir'), 'worker-env.json'), 'utf8'));
    const logFile = path.join(stack.root, 'test-results/web-bad-key.log');
    await expect(stack.startWeb({ port: await stack.freePort(), env: { ...env, BATON_ENCRYPTION_KEY: 'bm90IGEga2V5' }, quiet: true, logFile })).rejects.toThrow(/exited at start/);
    expect(fs.readFileSync(logFile, 'utf8')).toMatch(/cannot start: BATON_ENCRYPTION_KEY is not a base64-encoded 32-byte key/);
  });

  it('asks the codec caller for the same credentials as the rest of the API', async () => {
    const env = JSON.parse(fs.readFileSync(path.join(inject('dataDir'), 'worker-env.json'), 'utf8'));
    const web = await stack.startWeb({
      port: await stack.freePort(),
      env: { ...env, BATON_ADMIN_EMAIL: 'admin@example.com', BATON_ADMIN_PASSWORD: 'payload-test-password' },
      quiet: true,
      logFile: path.join(stack.root, 'test-results/web-codec-auth.log'),
    });
    try {
      const id = await client.deployAndRun(FLOW, { region: PLAIN_INPUT, password: SECRET_INPUT });
      await client.waitFor(id);
      const [first] = await historyPayloads(id);
      const body = JSON.stringify({
        payloads: [
          {
            metadata: Object.fromEntries(Object.entries(first.metadata).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
            data: Buffer.from(first.data).toString('base64'),
          },
        ],
      });
      const headers = { 'content-type': 'application/json', origin: 'http://localhost:8233' };
      const anonymous = await rawRequest(web.url, { method: 'POST', path: '/api/v1/temporal-codec/decode', headers, body });
      expect(anonymous.status).toBe(401);
      expect(anonymous.text).not.toContain(Buffer.from(PLAIN_INPUT).toString('base64'));
      // The UI can read the refusal (CORS on errors too) and the preflight needs no credentials.
      expect(anonymous.headers['access-control-allow-origin']).toBe('http://localhost:8233');
      const preflight = await rawRequest(web.url, {
        method: 'OPTIONS',
        path: '/api/v1/temporal-codec/decode',
        headers: { origin: 'http://localhost:8233', 'access-control-request-method': 'POST' },
      });
      expect(preflight.status).toBe(204);
      const signedIn = await rawRequest(web.url, {
        method: 'POST',
        path: '/api/v1/temporal-codec/decode',
        body,
        headers: { ...headers, authorization: `Basic ${Buffer.from('admin@example.com:payload-test-password').toString('base64')}` },
      });
      expect(signedIn.status).toBe(200);
      expect(Buffer.from(signedIn.json.payloads[0].data, 'base64').toString()).toContain(PLAIN_INPUT);
    } finally {
      await stack.stopProcess(web.child);
    }
  });
});
