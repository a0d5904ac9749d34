// io.kestra.plugin.core.http.Request against a real local HTTP server: Kestra's property and
// output shapes (AbstractHttp / Request in Kestra's source).
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPluginTask } from '@baton/plugin-sdk/testing';
import { httpRequest } from '../src/http-request';
import { httpRequestRuntime, requestBody } from '../src/http-request-runtime';

interface Seen {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

let base: string;
let server: http.Server;
const seen: Seen[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x');
      seen.push({ method: req.method ?? '', path: url.pathname, headers: req.headers, body: Buffer.concat(chunks).toString() });
      if (url.pathname === '/json') res.writeHead(200, { 'content-type': 'application/json', 'set-cookie': ['a=1', 'b=2'] }).end('{"status":"ok","n":1}');
      else if (url.pathname === '/missing') res.writeHead(404).end('nope');
      else if (url.pathname === '/moved') res.writeHead(303, { location: '/json' }).end();
      else if (url.pathname === '/empty') res.writeHead(204).end();
      else if (url.pathname === '/big') res.writeHead(200).end('x'.repeat(2048));
      else res.writeHead(200, { 'content-type': 'text/plain' }).end('echo');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

/** Validates the properties as the worker does, then runs the task. */
const run = (props: Record<string, unknown>) => runPluginTask(httpRequestRuntime, httpRequest.props.parse(props) as Record<string, unknown>);
const last = () => seen[seen.length - 1];

describe('http.Request (Kestra shapes)', () => {
  it('returns the body as text and the headers as lists, so fromJson(body) works as in Kestra', async () => {
    const { outputs } = await run({ uri: `${base}/json` });
    expect(outputs.code).toBe(200);
    expect(outputs.body).toBe('{"status":"ok","n":1}');
    expect(JSON.parse(outputs.body).status).toBe('ok');
    expect(outputs.headers['set-cookie']).toEqual(['a=1', 'b=2']);
    expect(outputs.headers['content-type']).toEqual(['application/json']);
  });

  it('sends a map body as JSON text with Content-Type application/json by default; method in any case; header numbers as text', async () => {
    await run({ uri: `${base}/echo`, method: 'post', body: { a: 1 }, headers: { 'x-count': 3 } });
    expect(last().method).toBe('POST');
    expect(last().body).toBe('{"a":1}');
    expect(last().headers['content-type']).toBe('application/json');
    expect(last().headers['x-count']).toBe('3');
  });

  it('sends formData URL-encoded, or as multipart with file parts', async () => {
    await run({ uri: `${base}/echo`, method: 'POST', formData: { user: 'John Doe', n: 2 } });
    expect(last().headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(last().body).toBe('user=John+Doe&n=2');

    await run({ uri: `${base}/echo`, method: 'POST', contentType: 'multipart/form-data', formData: { user: 'ops', report: { name: 'r.txt', content: 'line 1' } } });
    const type = String(last().headers['content-type']);
    expect(type).toMatch(/^multipart\/form-data; boundary=/);
    expect(last().body).toContain('Content-Disposition: form-data; name="user"\r\n\r\nops\r\n');
    expect(last().body).toContain('name="report"; filename="r.txt"');
    expect(last().body).toContain('line 1');
  });

  it('builds the same multipart body for the same fields (stable boundary given)', () => {
    const a = requestBody({ contentType: 'multipart/form-data', formData: { x: 'y' } }, 'B');
    expect(String(a.body)).toBe('--B\r\nContent-Disposition: form-data; name="x"\r\n\r\ny\r\n--B--\r\n');
  });

  it('fails on a status ≥ 400 naming it, unless options.allowFailed or options.allowedResponseCodes say otherwise', async () => {
    const failed = await run({ uri: `${base}/missing` });
    expect(failed.error?.code).toBe('NOT_FOUND');
    expect(failed.error?.message).toMatch(/answered 404: nope/);
    expect((await run({ uri: `${base}/missing`, options: { allowFailed: true } })).outputs.code).toBe(404);
    expect((await run({ uri: `${base}/missing`, allowFailed: true })).outputs.code).toBe(404); // Kestra's deprecated form
    expect((await run({ uri: `${base}/missing`, options: { allowedResponseCodes: [404] } })).outputs.code).toBe(404);
    expect((await run({ uri: `${base}/json`, options: { allowedResponseCodes: [201] } })).error?.message).toMatch(/answered 200/);
  });

  it('follows redirects (a 303 after POST becomes a GET) unless followRedirects is false', async () => {
    const followed = await run({ uri: `${base}/moved`, method: 'POST', body: 'x' });
    expect(followed.outputs.code).toBe(200);
    expect(followed.outputs.uri).toBe(`${base}/json`);
    expect(last().method).toBe('GET');
    expect((await run({ uri: `${base}/moved`, options: { followRedirects: false } })).outputs.code).toBe(303);
  });

  it('takes auth at the top or in options, and refuses what it cannot do yet with a reason', async () => {
    await run({ uri: `${base}/echo`, options: { auth: { type: 'BASIC', username: 'u', password: 'p' } } });
    expect(last().headers.authorization).toBe(`Basic ${Buffer.from('u:p').toString('base64')}`);
    await run({ uri: `${base}/echo`, auth: { type: 'BEARER', token: 't0k' } });
    expect(last().headers.authorization).toBe('Bearer t0k');
    // Where no key is configured (a plugin test, here), encryptBody fails rather than leaking the body.
    expect((await run({ uri: `${base}/echo`, encryptBody: true })).error?.message).toMatch(/no encryption key/);
    expect((await run({ uri: `${base}/big`, options: { maxContentLength: 1024 } })).error?.message).toMatch(/larger than 1024 bytes/);
    expect((await run({ uri: `${base}/empty` })).outputs.body).toBeNull();
  });
});

describe('encryptBody (Kestra: the body only as encryptedBody)', () => {
  it('outputs body null and encryptedBody from ctx.encrypt, never the plaintext', async () => {
    const encrypt = (plaintext: string) => ({ type: 'io.kestra.datatype:aes_encrypted' as const, value: `sealed(${plaintext.length})` });
    const result = await runPluginTask(httpRequestRuntime, httpRequest.props.parse({ uri: `${base}/json`, encryptBody: true }) as Record<string, unknown>, { encrypt });
    expect(result.outputs).toMatchObject({ code: 200, body: null, encryptedBody: { type: 'io.kestra.datatype:aes_encrypted', value: 'sealed(21)' } });
    expect(JSON.stringify(result.outputs)).not.toContain('status');
    expect(httpRequest.outputs.safeParse(result.outputs).success).toBe(true);
    // A failure's message quotes the body, except an encrypted one.
    const failed = await runPluginTask(httpRequestRuntime, httpRequest.props.parse({ uri: `${base}/missing`, encryptBody: true }) as Record<string, unknown>, { encrypt });
    expect(failed.error?.message).toMatch(/answered 404$/);
    expect((await run({ uri: `${base}/missing` })).error?.message).toMatch(/answered 404: nope$/);
  });
});
