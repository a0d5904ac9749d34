// Property-based fuzzing of the REST API against the real stack (issue 15). Every operation of
// GET /api/v1/openapi.json is called with random path parameters (valid ids, unicode, malformed
// %-escapes, NUL, path tricks, long strings), query values (huge numbers, out-of-range dates),
// bodies (JSON, YAML, forms, invalid UTF-8, deep nesting, past the size limit, chunked) and
// content types. Invariants: no 5xx, no answer slower than 5 s, and a refused request (4xx)
// stores no row. Bounded to a few hundred requests.
import fc from 'fast-check';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { api, rawRequest } from '@baton/testing';

const client = api();
const RUNS_PER_OPERATION = 10;
const SEED = Number(process.env.BATON_FUZZ_SEED ?? 20261202);

interface Operation {
  method: string;
  path: string; // OpenAPI template, /api/v1/{tenant}/...
  params: { name: string; in: 'path' | 'query' }[];
  bodyTypes: string[];
  maxBody: number;
}

const stats = { requests: 0, byStatus: new Map<number, number>(), fiveHundreds: [] as string[], slowest: 0, operations: 0 };
let db: pg.Client;
let knownExecution = '';

async function counts(): Promise<string> {
  const { rows } = await db.query(`SELECT (SELECT count(*) FROM tenants) t, (SELECT count(*) FROM flows) f, (SELECT count(*) FROM flow_revisions) r,
    (SELECT count(*) FROM executions) e, (SELECT count(*) FROM secrets) s`);
  return JSON.stringify(rows[0]);
}

/** Bytes allowed raw in a request target; everything else is %-encoded so node:http sends it. */
function toTarget(s: string): string {
  let out = '';
  for (const ch of s) out += /[A-Za-z0-9\-._~%!$&'()*+,;=:@]/.test(ch) ? ch : encodeURIComponent(ch).replace(/%25/g, '%25');
  return out;
}

const deep = (n: number) => `${'['.repeat(n)}1${']'.repeat(n)}`;

/** A path segment: mostly plausible ids, sometimes hostile. */
const segment = (name: string) =>
  fc.oneof(
    // The tenant is mostly `main`, so most requests get past the tenant check to the handler.
    { weight: name === 'tenant' ? 20 : 1, arbitrary: fc.constant(name === 'tenant' ? 'main' : 'test.fuzz') },
    {
      weight: 4,
      arbitrary: fc.constantFrom(
        ...(name === 'tenant' ? ['main', 'nosuchtenant', 'Main', 'a'.repeat(65)] : ['test.fuzz', 'fuzz-target', 'a', '_', 'TOKEN', '1', knownExecution || 'x']),
      ),
    },
    { weight: 2, arbitrary: fc.string({ minLength: 1, maxLength: 30 }).map(encodeURIComponent) },
    { weight: 1, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 20 }).map(encodeURIComponent) },
    // Segments that do not %-decode (%ZZ, %FF, %C0%AE) are answered 400 by apps/web/src/proxy.ts.
    {
      weight: 2,
      arbitrary: fc.constantFrom(
        '%ZZ',
        '%FF',
        '%C0%AE',
        '%',
        '%00',
        'a%00b',
        '%0A',
        '..%2F..%2F',
        '%2e%2e',
        '%252F',
        '%F0%9F%92%A9',
        '%25',
        `${'x'.repeat(600)}`,
        '99999999999999999999999',
        '-1',
        '0',
      ),
    },
  );

/** A query value for a documented parameter. */
const queryValue = fc.oneof(
  fc.constantFrom(
    '1',
    '0',
    '-1',
    '200',
    '1000000',
    '99999999999999999999999',
    '1e30',
    'NaN',
    '0000-01-01',
    '-271821-04-20',
    '+275760-09-13',
    '2026-11-26T10:00:00Z',
    'SUCCESS,FAILED',
    'k:v',
    ':',
    'yaml',
    'false',
    '%00',
    'test.fuzz/fuzz-target',
    'TRACE',
  ),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 10 }),
);

const flowYaml = fc
  .record({
    id: fc.oneof(fc.constant('fuzz-target'), fc.string({ maxLength: 120 })),
    ns: fc.oneof(fc.constant('test.fuzz'), fc.string({ maxLength: 160 })),
    msg: fc.string({ maxLength: 50 }),
  })
  .map(
    ({ id, ns, msg }) =>
      `id: ${JSON.stringify(id)}\nnamespace: ${JSON.stringify(ns)}\ntasks:\n  - id: t\n    type: io.kestra.plugin.core.log.Log\n    message: ${JSON.stringify(msg)}\n`,
  );

function aliasBomb(levels: number) {
  const lines = ['id: bomb', 'namespace: test.fuzz', 'a0: &a0 [x, x, x, x, x, x, x, x, x]'];
  for (let i = 1; i < levels; i++)
    lines.push(
      `a${i}: &a${i} [${Array(9)
        .fill(`*a${i - 1}`)
        .join(', ')}]`,
    );
  return `${lines.join('\n')}\ntasks: []\n`;
}

/** A body: bytes plus how it is sent. `limit` is the route's documented maximum. */
const body = (limit: number) =>
  fc.oneof(
    { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)) },
    { weight: 2, arbitrary: fc.dictionary(fc.string({ maxLength: 10 }), fc.jsonValue({ maxDepth: 2 })).map((v) => JSON.stringify(v)) },
    {
      weight: 2,
      arbitrary: fc.constantFrom(
        'null',
        '[]',
        '{}',
        '""',
        '{"value": null}',
        '{"value": "a\\u0000b"}',
        '{"ids": null}',
        '{"ids": [1, 2]}',
        '{"inputs": null, "revision": 1e30}',
        '{"id": "team-fuzz"}',
        '{"value": "v"}',
        '{not json',
        '\u0000',
        '',
      ),
    },
    { weight: 2, arbitrary: flowYaml },
    { weight: 1, arbitrary: fc.constantFrom(aliasBomb(12), `id: a\nnamespace: b\nvariables:\n  x: ${deep(3000)}\ntasks: []\n`, `{"doc": ${deep(5000)}}`, deep(100)) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }) },
    { weight: 1, arbitrary: fc.constantFrom(Buffer.from([0xff, 0xfe, 0x00, 0x7b, 0x7d]), Buffer.from('7b2276616c7565223a2280ff227d', 'hex')) },
    // Past the limit, sometimes by a little and sometimes by a lot.
    { weight: 1, arbitrary: fc.constantFrom(limit + 1, limit * 3).map((n) => `{"value": "${'x'.repeat(Math.max(0, n - 12))}"}`) },
  );

const contentType = fc.constantFrom(
  'application/json',
  'application/json; charset=utf-8',
  'application/x-yaml',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=fuzz',
  'multipart/form-data',
  'application/octet-stream',
  '',
);

function requestArbitrary(op: Operation) {
  const pathParams = op.params.filter((p) => p.in === 'path');
  const query = op.params.filter((p) => p.in === 'query');
  return fc.record({
    method: fc.oneof({ weight: 9, arbitrary: fc.constant(op.method) }, { weight: 1, arbitrary: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH') }),
    segments: fc.tuple(...pathParams.map((p) => segment(p.name))),
    query: fc.array(fc.tuple(query.length ? fc.constantFrom(...query.map((q) => q.name)) : fc.constant('x'), queryValue), { maxLength: 4 }),
    body: op.bodyTypes.length ? fc.option(body(op.maxBody), { freq: 6 }) : fc.constant(null),
    contentType: op.bodyTypes.length ? fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...op.bodyTypes) }, { weight: 1, arbitrary: contentType }) : contentType,
    chunked: fc.boolean(),
  });
}

beforeAll(async () => {
  db = new pg.Client({ connectionString: inject('databaseUrl') });
  await db.connect();
  expect(
    (
      await client.call(
        'POST',
        '/api/v1/main/flows',
        `id: fuzz-target\nnamespace: test.fuzz\ninputs:\n  - id: doc\n    type: JSON\n    required: false\ntasks:\n  - id: t\n    type: io.kestra.plugin.core.log.Log\n    message: hi\n`,
        'application/x-yaml',
      )
    ).status,
  ).toBeLessThan(300);
  knownExecution = (await client.call('POST', '/api/v1/main/executions/test.fuzz/fuzz-target?wait=true', {})).body.id;
});

afterAll(async () => {
  await db?.end();
  const statuses = [...stats.byStatus.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([s, n]) => `${s}×${n}`)
    .join(' ');
  console.log(
    `[fuzz] seed ${SEED}: ${stats.operations} operations, ${stats.requests} requests, 5xx: ${stats.fiveHundreds.length}, slowest ${stats.slowest} ms; statuses ${statuses}`,
  );
});

describe('API fuzzing from the OpenAPI document', () => {
  it('never answers 5xx, never takes 5 s, and stores nothing for a refused request', async () => {
    const doc = (await client.call('GET', '/api/v1/openapi.json')).body;
    const operations: Operation[] = [];
    for (const [path, methods] of Object.entries<Record<string, any>>(doc.paths)) {
      for (const [method, op] of Object.entries<any>(methods)) {
        operations.push({
          method: method.toUpperCase(),
          path,
          params: op.parameters.map((p: any) => ({ name: p.name, in: p.in })),
          bodyTypes: Object.keys(op.requestBody?.content ?? {}),
          maxBody: op['x-baton-max-body-bytes'] ?? 16 * 1024,
        });
      }
    }
    expect(operations.length).toBeGreaterThan(25);
    stats.operations = operations.length;

    for (const op of operations) {
      await fc.assert(
        fc.asyncProperty(requestArbitrary(op), async (r) => {
          let i = 0;
          const names = op.params.filter((p) => p.in === 'path');
          const filled = op.path.replace(/\{([A-Za-z]+)\}/g, () => toTarget((r.segments as string[])[i++] ?? names[0]?.name ?? 'x'));
          const qs = r.query.map(([k, v]) => `${encodeURIComponent(k)}=${toTarget(v)}`).join('&');
          const target = filled + (qs ? `?${qs}` : '');
          const headers: Record<string, string> = {};
          if (r.contentType) headers['content-type'] = r.contentType;
          const payload = r.body === null ? undefined : typeof r.body === 'string' ? Buffer.from(r.body, 'utf8') : r.body;
          if (payload && r.chunked) headers['transfer-encoding'] = 'chunked';
          else if (payload) headers['content-length'] = String(payload.length);
          const before = await counts();
          const res = await rawRequest(client.base, { method: r.method, path: target, headers, body: payload });
          stats.requests++;
          stats.byStatus.set(res.status, (stats.byStatus.get(res.status) ?? 0) + 1);
          stats.slowest = Math.max(stats.slowest, res.ms);
          const what = `${r.method} ${target.slice(0, 200)} (${payload?.length ?? 0} bytes ${r.contentType}) → ${res.status} in ${res.ms} ms: ${res.text.slice(0, 300)}`;
          if (res.status >= 500) stats.fiveHundreds.push(what);
          expect(res.status, what).toBeLessThan(500);
          expect(res.ms, what).toBeLessThan(5_000);
          if (res.status >= 400) expect(await counts(), `a refused request stored rows: ${what}`).toBe(before);
          if (res.status >= 400 && res.status !== 405) expect(res.json?.message, `4xx without a JSON message: ${what}`).toBeTruthy();
        }),
        { numRuns: RUNS_PER_OPERATION, seed: SEED + operations.indexOf(op), endOnFailure: true },
      );
    }
    expect(stats.fiveHundreds).toEqual([]);
    expect(stats.requests).toBeGreaterThanOrEqual(operations.length * RUNS_PER_OPERATION);
  }, 240_000);
});
