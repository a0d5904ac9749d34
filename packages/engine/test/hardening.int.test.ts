// Issue 15 (hardening, "Medium"): limits answered at once, user mistakes that used to be 500s,
// Temporal unreachable, tenants that exist only when created, secret names, echoed sizes.
// Every refused request is also checked to have stored nothing.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { api, rawRequest, rowCounts } from '@baton/testing';
// @ts-expect-error plain ESM helper shared with npm start
import * as stack from '../../../scripts/lib/stack.mjs';

const client = api();
const base = client.base;

const flow = (id: string, namespace = 'test.hardening', extra = '') => `id: ${id}
namespace: ${namespace}
${extra}tasks:
  - id: hello
    type: io.kestra.plugin.core.log.Log
    message: hello
`;

/** Runs `fn` and asserts that no table a request can write gained or lost a row. */
async function storesNothing<T>(fn: () => Promise<T>): Promise<T> {
  const before = await rowCounts();
  const result = await fn();
  expect(await rowCounts()).toEqual(before);
  return result;
}

beforeAll(async () => {
  expect((await client.deploy(flow('target'))).status).toBeLessThan(300);
  expect(
    (
      await client.deploy(`id: typed
namespace: test.hardening
inputs:
  - id: doc
    type: JSON
    required: false
  - id: name
    type: STRING
    required: false
tasks:
  - id: hello
    type: io.kestra.plugin.core.log.Log
    message: hi
`)
    ).status,
  ).toBeLessThan(300);
});

describe('body and field limits', () => {
  it('refuses a chunked 10 MB start body with 413 fast and stores no execution', async () => {
    const res = await storesNothing(() =>
      rawRequest(base, {
        method: 'POST',
        path: '/api/v1/main/executions/test.hardening/typed',
        headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
        chunks: { size: 64 * 1024, count: 160 },
      }),
    );
    expect(res.status).toBe(413);
    expect(res.json.message).toContain('limited to 1048576 bytes');
    expect(res.ms).toBeLessThan(3_000);
  });

  it('refuses a 10 MB JSON input by its Content-Length at once, storing nothing', async () => {
    const body = JSON.stringify({ doc: { blob: 'x'.repeat(10 * 1024 * 1024) } });
    const res = await storesNothing(() =>
      rawRequest(base, {
        method: 'POST',
        path: '/api/v1/main/executions/test.hardening/typed',
        headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) },
        body,
      }),
    );
    expect(res.status).toBe(413);
    expect(res.ms).toBeLessThan(3_000);
  });

  it('limits the flow source, the secret value, labels and ids', async () => {
    await storesNothing(async () => {
      const big = `${flow('big')}# ${'x'.repeat(1024 * 1024)}\n`;
      expect((await client.call('POST', '/api/v1/main/flows', big, 'application/x-yaml')).status).toBe(413);
      const secret = await client.call('PUT', '/api/v1/main/secrets/test.hardening/BIG', { value: 'x'.repeat(64 * 1024 + 1) });
      expect(secret.status).toBe(413);
      expect(secret.body.message).toContain('65536 bytes');
      const labels = Array.from({ length: 51 }, (_, i) => `labels=k${i}:v`).join('&');
      const many = await client.call('POST', `/api/v1/main/executions/test.hardening/target?${labels}`, {});
      expect(many.status).toBe(422);
      expect(many.body.message).toContain('at most 50 labels');
      const longValue = await client.call('POST', `/api/v1/main/executions/test.hardening/target?labels=k:${'v'.repeat(256)}`, {});
      expect(longValue.status).toBe(422);
      const longId = await client.deploy(flow('f'.repeat(101)));
      expect(longId.status).toBe(422);
      expect(longId.body.errors[0]).toMatchObject({ path: 'id', line: 1 });
      const longNamespace = await client.deploy(flow('ok', `${'a'.repeat(100)}.${'b'.repeat(50)}`));
      expect(longNamespace.status).toBe(422);
      expect(longNamespace.body.errors[0]).toMatchObject({ path: 'namespace', line: 2, message: expect.stringContaining('at most 150') });
    });
    // At the limits exactly, things work: a 100-character id (with Kestra's dots) and a 150-character namespace.
    const atLimit = await client.deploy(flow(`a.${'f'.repeat(98)}`, `${'a'.repeat(99)}.${'b'.repeat(50)}`));
    expect(atLimit.status, JSON.stringify(atLimit.body)).toBe(201);
    const started = await client.call('POST', `/api/v1/main/executions/${'a'.repeat(99)}.${'b'.repeat(50)}/a.${'f'.repeat(98)}?wait=true`, {});
    expect(started.body.state.current).toBe('SUCCESS');
  });
});

describe('mistakes that used to be 500s are clear 4xx', () => {
  // Next.js decodes the [...path] catch-all itself and would answer a plain-text 500
  // (vercel/next.js#94278): apps/web/src/proxy.ts answers these /api paths first.
  it('answers a malformed %-escape in the path with a JSON 400', async () => {
    for (const p of ['/api/v1/main/executions/%ZZ', '/api/v1/main/flows/test.hardening/%E0%A4%A', '/api/v1/%/flows']) {
      const res = await rawRequest(base, { method: 'GET', path: p });
      expect(res.status, p).toBe(400);
      expect(res.json.message).toContain('%-escape');
    }
  });

  it('refuses NUL bytes in ids, names, values, flows and query strings', async () => {
    await storesNothing(async () => {
      expect((await client.execution('abc%00def')).status).toBe(400);
      expect((await client.call('GET', '/api/v1/main/flows/test.hardening/tar%00get')).status).toBe(400);
      expect((await client.call('PUT', '/api/v1/main/secrets/test.hardening/A%00B', { value: 'v' })).status).toBe(400);
      const value = await client.call('PUT', '/api/v1/main/secrets/test.hardening/NUL_VALUE', { value: 'a\u0000b' });
      expect(value.status).toBe(422);
      expect(value.body.message).toContain('NUL');
      const input = await client.run('test.hardening', 'typed', { name: 'a\u0000b' });
      expect(input.status).toBe(422);
      const yaml = await client.deploy(flow('nul', 'test.hardening', 'description: "a\\0b"\n'));
      expect(yaml.status).toBe(422);
      expect(yaml.body.errors[0]).toMatchObject({ path: 'description', line: 3 });
      expect((await client.call('GET', '/api/v1/main/executions/search?namespace=a%00b')).status).toBe(400);
      expect((await client.call('POST', '/api/v1/main/executions/test.hardening/target?labels=k:a%00b', {})).status).toBe(400);
    });
  });

  it('refuses dates PostgreSQL cannot store in search filters', async () => {
    for (const d of ['0000-01-01', '-271821-04-20', '+275760-09-13']) {
      for (const route of ['search', 'list']) {
        const res = await client.call('GET', `/api/v1/main/executions/${route}?startDate=${encodeURIComponent(d)}`);
        expect(res.status, `${route} ${d}`).toBe(400);
        expect(res.body.message).toContain('between 0001-01-01 and 9999-12-31');
      }
    }
    expect((await client.call('GET', '/api/v1/main/executions/search?endDate=9999-12-31')).status).toBe(200);
  });

  it('refuses page and revision numbers beyond their range', async () => {
    const huge = '99999999999999999999999';
    for (const p of [
      `/api/v1/main/executions/search?page=${huge}`,
      `/api/v1/main/flows/search?page=${huge}`,
      `/api/v1/main/flows/search?size=${huge}`,
      `/api/v1/main/flows/test.hardening/target/revisions/${huge}`,
      '/api/v1/main/flows/test.hardening/target/revisions/2147483648',
    ]) {
      const res = await client.call('GET', p);
      expect(res.status, p).toBe(400);
      expect(res.body.message).toMatch(/from 1 to/);
    }
    const done = await client.call('POST', '/api/v1/main/executions/test.hardening/target?wait=true', {});
    const replay = await storesNothing(() => client.call('POST', `/api/v1/main/executions/${done.body.id}/replay`, `{"revision": 1e30}`));
    expect(replay.status).toBe(400);
  });

  it('answers a null JSON body with 400 on PUT secret, replay and bulk kill', async () => {
    const done = await client.call('POST', '/api/v1/main/executions/test.hardening/target?wait=true', {});
    await storesNothing(async () => {
      for (const [method, p] of [
        ['PUT', '/api/v1/main/secrets/test.hardening/X'],
        ['POST', `/api/v1/main/executions/${done.body.id}/replay`],
        ['DELETE', '/api/v1/main/executions/kill/by-ids'],
      ]) {
        const res = await client.call(method, p, 'null');
        expect(res.status, `${method} ${p}`).toBe(400);
        expect(res.body.message).toMatch(/JSON object|send/);
      }
    });
  });

  it('refuses JSON inputs nested 5,000 deep with 422, storing nothing', async () => {
    const deep = `{"doc": ${'['.repeat(5000)}1${']'.repeat(5000)}}`;
    const res = await storesNothing(() => client.call('POST', '/api/v1/main/executions/test.hardening/typed', deep));
    expect(res.status).toBe(422);
    expect(res.body.message).toContain('deeper than 32');
    const asText = await storesNothing(() => client.run('test.hardening', 'typed', { doc: `${'['.repeat(5000)}1${']'.repeat(5000)}` }));
    expect(asText.status).toBe(422);
    expect(asText.body.errors[0]).toMatchObject({ input: 'doc', message: expect.stringContaining('nested deeper than 32') });
  });

  it('answers a YAML alias bomb with 422 and the line and column of the first alias', async () => {
    const lines = ['id: bomb', 'namespace: test.hardening', 'a0: &a0 [x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 12; i++)
      lines.push(
        `a${i}: &a${i} [${Array(9)
          .fill(`*a${i - 1}`)
          .join(', ')}]`,
      );
    lines.push('tasks: []');
    const res = await storesNothing(() => client.deploy(lines.join('\n')));
    expect(res.status).toBe(422);
    expect(res.body.errors[0]).toMatchObject({ line: 4, message: expect.stringContaining('aliases expand too much') });
    expect(res.body.errors[0].column).toBeGreaterThan(1);
  });

  it('lets exactly one of 5 parallel resumes of a paused execution win; the others get 409', async () => {
    const id = await client.deployAndRun(`id: gate
namespace: test.hardening
tasks:
  - id: wait
    type: io.kestra.plugin.core.flow.Pause
  - id: after
    type: io.kestra.plugin.core.log.Log
    message: resumed
`);
    await client.waitFor(id, ['PAUSED']);
    const answers = await Promise.all(Array.from({ length: 5 }, () => client.resume(id)));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409, 409, 409, 409]);
    for (const a of answers.filter((x) => x.status === 409)) expect(a.body.message).toMatch(/already being resumed|not PAUSED|no paused task/);
    expect((await client.waitFor(id)).state.current).toBe('SUCCESS');
  });
});

describe('tenants exist only when created', () => {
  it('answers 404 naming an unknown tenant, for reads and writes, and stores nothing', async () => {
    await storesNothing(async () => {
      const write = await client.call('POST', '/api/v1/nosuchtenant/flows', flow('x'), 'application/x-yaml');
      expect(write.status).toBe(404);
      expect(write.body.message).toContain("tenant 'nosuchtenant' not found");
      expect((await client.call('PUT', '/api/v1/nosuchtenant/secrets/_/TOKEN', { value: 'v' })).status).toBe(404);
      expect((await client.call('POST', '/api/v1/nosuchtenant/executions/test.hardening/target', {})).status).toBe(404);
      expect((await client.call('GET', '/api/v1/nosuchtenant/executions/search')).status).toBe(404);
      const bad = await client.call('POST', '/api/v1/tenants', { id: 'Not A Tenant!' });
      expect(bad.status).toBe(422);
      expect((await client.call('POST', '/api/v1/tenants', null)).status).toBe(400);
    });
    expect((await client.call('GET', '/api/v1/tenants')).body).not.toContain('nosuchtenant');
  });

  it('creates a tenant, which then takes writes; a second create is 409', async () => {
    const created = await client.call('POST', '/api/v1/tenants', { id: 'team-hardening', name: 'Hardening' });
    expect(created.status).toBe(201);
    expect((await client.call('POST', '/api/v1/tenants', { id: 'team-hardening' })).status).toBe(409);
    expect((await client.call('POST', '/api/v1/team-hardening/flows', flow('in-tenant'), 'application/x-yaml')).status).toBe(201);
    expect((await client.call('GET', '/api/v1/tenants')).body).toEqual(expect.arrayContaining(['main', 'team-hardening']));
    expect((await client.call('GET', '/api/v1/main/flows/test.hardening/in-tenant')).status).toBe(404);
  });
});

describe('secret names and namespaces', () => {
  it('refuses path-like secret names and namespaces and stores nothing', async () => {
    await storesNothing(async () => {
      for (const p of [
        '/api/v1/main/secrets/..%2F..%2F/..%2Fx',
        '/api/v1/main/secrets/test.hardening/..%2Fx',
        '/api/v1/main/secrets/..%2F/TOKEN',
        '/api/v1/main/secrets/test.hardening/a%20b',
        `/api/v1/main/secrets/test.hardening/${'A'.repeat(256)}`,
      ]) {
        const res = await rawRequest(base, { method: 'PUT', path: p, headers: { 'content-type': 'application/json' }, body: '{"value":"v"}' });
        expect(res.status, p).toBe(422);
        expect(res.json.message).toMatch(/secret name|namespace/);
      }
    });
    expect((await client.call('PUT', '/api/v1/main/secrets/_/HARDENING_OK', { value: 'v' })).status).toBe(200);
    expect((await client.call('PUT', '/api/v1/main/secrets/test.hardening/HARDENING_OK', { value: 'v' })).status).toBe(200);
  });
});

describe('searches', () => {
  it('echo the size they used', async () => {
    for (const route of ['executions', 'flows']) {
      const res = await client.call('GET', `/api/v1/main/${route}/search?size=1000000`);
      expect(res.status).toBe(200);
      expect(res.body.size).toBe(200);
      expect(res.body.page).toBe(1);
    }
  });
});

describe('OpenAPI document', () => {
  it('describes every route of the router, with body limits', async () => {
    const doc = (await client.call('GET', '/api/v1/openapi.json')).body;
    expect(doc.openapi).toBe('3.1.0');
    const routes: string[] = (await client.call('GET', '/api/v1')).body.routes;
    for (const r of routes) {
      const [method, pattern] = r.split(' ');
      const op = doc.paths[pattern.replace(/:([A-Za-z]+)/g, '{$1}')]?.[method.toLowerCase()];
      expect(op, r).toBeDefined();
      expect(op.summary, r).toBeTruthy();
    }
    const start = doc.paths['/api/v1/{tenant}/executions/{namespace}/{flowId}'].post;
    // A start may carry FILE inputs as multipart: up to 64 MiB (BODY_LIMITS.upload); JSON inputs stay at 1 MiB.
    expect(start['x-baton-max-body-bytes']).toBe(64 * 1024 * 1024);
    expect(JSON.stringify(start.requestBody)).toContain('multipart');
    expect(start.parameters.map((p: any) => p.name)).toEqual(expect.arrayContaining(['tenant', 'namespace', 'flowId', 'wait', 'labels']));
  });
});

describe('Temporal unreachable, and requests without credentials', () => {
  // A second web app on the same database whose Temporal address answers nothing, with sign-in on.
  let web: { url: string; child: unknown } | undefined;
  const auth = { authorization: `Basic ${Buffer.from('admin@example.com:pw').toString('base64')}` };

  beforeAll(async () => {
    const env = JSON.parse(fs.readFileSync(path.join(inject('dataDir'), 'worker-env.json'), 'utf8'));
    const deadPort = await stack.freePort(); // nothing listens there
    web = await stack.startWeb({
      port: await stack.freePort(),
      env: { ...env, TEMPORAL_ADDRESS: `127.0.0.1:${deadPort}`, BATON_ADMIN_EMAIL: 'admin@example.com', BATON_ADMIN_PASSWORD: 'pw' },
      quiet: true,
      logFile: path.join(stack.root, 'test-results/web-no-temporal.log'),
    });
    // The first signed-in request creates the configured admin (an argon2 hash): done here, so the
    // timings below measure the unreachable Temporal, not that one-time setup.
    expect((await rawRequest(web!.url, { method: 'GET', path: '/api/v1/me', headers: auth })).status).toBe(200);
  }, 180_000);

  afterAll(async () => {
    if (web) await stack.stopProcess(web.child);
  });

  it('answers a start with 503 and Retry-After within the call deadline (not after the SDK retries for a minute), and stores no execution', async () => {
    for (let attempt = 0; attempt < 2; attempt++) {
      const res = await storesNothing(() =>
        rawRequest(web!.url, {
          method: 'POST',
          path: '/api/v1/main/executions/test.hardening/target',
          headers: { ...auth, 'content-type': 'application/json' },
          body: '{}',
        }),
      );
      expect(res.status, res.text).toBe(503);
      expect(res.headers['retry-after']).toBe('5');
      expect(res.json.message).toContain('not started');
      // The deadline is 2 s (TEMPORAL_CALL_DEADLINE_MS); without it the SDK retries for about a
      // minute. The margin absorbs a loaded machine (2.6 s was seen with five builds beside it).
      expect(res.ms).toBeLessThan(10_000);
    }
    // Reads need no Temporal.
    const search = await rawRequest(web!.url, { method: 'GET', path: '/api/v1/main/executions/search', headers: auth });
    expect(search.status).toBe(200);
  });

  it('answers a NUL in the path with 400 before asking for credentials', async () => {
    const res = await rawRequest(web!.url, { method: 'GET', path: '/api/v1/main/executions/a%00b' });
    expect(res.status).toBe(400);
    expect(res.json.code).toBe('BAD_REQUEST');
    expect((await rawRequest(web!.url, { method: 'GET', path: '/api/v1/main/executions/x' })).status).toBe(401);
    // The health probe needs no credentials (startWeb's readiness check depends on it).
    expect((await rawRequest(web!.url, { method: 'GET', path: '/api/health' })).status).toBe(200);
  });
});
