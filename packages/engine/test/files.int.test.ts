// Internal storage end to end: a FILE input uploaded with the start, read with read() and
// fileSize() in a task, passed to a subflow, a Download from a local HTTP server, the file sent
// on by an HTTP formData part, both served by the API to who may read the execution, and
// deleted with the execution by PurgeExecutions. scripts/test.mjs runs this file twice: on the
// local disk and with BATON_TEST_STORAGE=s3 (worker and web app on a real S3-compatible server).
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { readStorageConfig } from '@baton/engine';
import { createFileStorage } from '@baton/engine/storage';
import { api, authHeaders, taskRun } from '@baton/testing';

const admin = api();
const base = () => inject('apiUrl');
// The stack's own storage (local disk or S3), read the way the worker and the web app read it.
const stackStorage = () => createFileStorage(readStorageConfig(inject('storageEnv')));
const storedText = async (uri: string) => Buffer.concat(await (await stackStorage().open('main', uri)).toArray()).toString('utf8');

/** Starts an execution with a multipart body (the way the inputs form and Kestra's API upload files). */
async function startWithFiles(namespace: string, flowId: string, fields: Record<string, string | { name: string; content: string | Uint8Array }>, auth = authHeaders()) {
  const form = new FormData();
  for (const [key, value] of Object.entries(fields)) {
    if (typeof value === 'string') form.append(key, value);
    else form.append(key, new Blob([value.content as BlobPart]), value.name);
  }
  const res = await fetch(`${base()}/api/v1/main/executions/${namespace}/${flowId}`, { method: 'POST', body: form, headers: auth });
  return { status: res.status, body: await res.json() };
}

async function download(executionId: string, uri: string, auth = authHeaders()) {
  const res = await fetch(`${base()}/api/v1/main/executions/${executionId}/file?path=${encodeURIComponent(uri)}`, { headers: auth });
  return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
}

// A real peer: serves a binary file with a Content-Disposition name and records form uploads.
const binary = Buffer.from([0, 1, 2, 253, 254, 255, 10, 13, 0x80, 0x81]);
const uploads: string[] = [];
let peer: http.Server;
let peerUrl = '';
beforeAll(async () => {
  peer = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.url === '/report.bin') {
        res
          .writeHead(200, { 'content-type': 'application/octet-stream', 'content-disposition': 'attachment; filename="../../report.bin"', 'content-length': binary.length })
          .end(binary);
      } else if (req.url === '/empty') {
        res.writeHead(200, { 'content-length': 0 }).end();
      } else if (req.url === '/upload') {
        uploads.push(Buffer.concat(chunks).toString('latin1'));
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"stored":true}');
      } else {
        res.writeHead(404).end('no');
      }
    });
  });
  await new Promise<void>((r) => peer.listen(0, '127.0.0.1', r));
  peerUrl = `http://127.0.0.1:${(peer.address() as { port: number }).port}`;
});
afterAll(() => new Promise<void>((r) => peer.close(() => r())));

describe('files in internal storage', () => {
  let uploadId = '';
  let uploadUri = '';

  it('uploads a FILE input, reads it with read() and fileSize(), and passes it to a subflow that reads it too', async () => {
    expect(
      (
        await admin.deploy(`
id: reader-child
namespace: files.team
inputs:
  - id: doc
    type: FILE
tasks:
  - id: echo
    type: io.kestra.plugin.core.log.Log
    message: "child read {{ read(inputs.doc) | trim }}"
`)
      ).status,
    ).toBeLessThan(300);
    expect(
      (
        await admin.deploy(`
id: reader
namespace: files.team
inputs:
  - id: data
    type: FILE
  - id: note
    type: STRING
    defaults: none
tasks:
  - id: show
    type: io.kestra.plugin.core.log.Log
    message: "{{ fileSize(inputs.data) }} bytes: {{ read(inputs.data) | trim }} ({{ fileExists(inputs.data) }}, empty {{ isFileEmpty(inputs.data) }})"
  - id: child
    type: io.kestra.plugin.core.flow.Subflow
    namespace: files.team
    flowId: reader-child
    inputs:
      doc: "{{ inputs.data }}"
`)
      ).status,
    ).toBeLessThan(300);
    const started = await startWithFiles('files.team', 'reader', { data: { name: 'hosts.csv', content: 'host,ip\nweb-1,10.0.0.1\n' }, note: 'hi' });
    expect(started.status, JSON.stringify(started.body)).toBe(200);
    uploadId = started.body.id;
    uploadUri = started.body.inputs.data;
    expect(uploadUri).toBe(`kestra:///files/team/reader/executions/${uploadId}/inputs/data/hosts.csv`);
    const done = await admin.waitFor(uploadId);
    expect(done.state.current, JSON.stringify(done.taskRunList)).toBe('SUCCESS');
    const logs = (await admin.logs(uploadId)).body.filter((l: any) => l.taskId === 'show');
    expect(logs.map((l: any) => l.message)).toEqual(['23 bytes: host,ip\nweb-1,10.0.0.1 (true, empty false)']);
    // The subflow reads the file its parent passed it (Kestra allows a parent execution's files).
    const childId = taskRun(done, 'child').outputs.executionId;
    const childLogs = (await admin.logs(childId)).body.filter((l: any) => l.taskId === 'echo');
    expect(childLogs.map((l: any) => l.message)).toEqual(['child read host,ip\nweb-1,10.0.0.1']);
    // It lies in the stack's storage under the tenant, in Kestra's layout: on disk, or in the bucket.
    const storage = inject('storageEnv');
    if (storage.BATON_STORAGE === 'local') {
      expect(fs.readFileSync(path.join(inject('dataDir'), 'storage/main/files/team/reader/executions', uploadId, 'inputs/data/hosts.csv'), 'utf8')).toBe(
        'host,ip\nweb-1,10.0.0.1\n',
      );
    } else {
      expect(storage.BATON_STORAGE).toBe('s3');
      expect(fs.existsSync(path.join(inject('dataDir'), 'storage/main'))).toBe(false); // nothing written to disk
    }
    expect(await storedText(uploadUri)).toBe('host,ip\nweb-1,10.0.0.1\n');
  });

  it("serves the file and its size through the API, and refuses paths that are not the execution's", async () => {
    const got = await download(uploadId, uploadUri);
    expect(got.status).toBe(200);
    expect(got.bytes.toString()).toBe('host,ip\nweb-1,10.0.0.1\n');
    expect(got.headers.get('content-disposition')).toBe("attachment; filename*=UTF-8''hosts.csv");
    const metas = await admin.call('GET', `/api/v1/main/executions/${uploadId}/file/metas?path=${encodeURIComponent(uploadUri)}`);
    expect(metas).toMatchObject({ status: 200, body: { size: 23 } });

    const traversal = await download(uploadId, `kestra:///files/team/reader/executions/${uploadId}/../../../../../etc/passwd`);
    expect(traversal.status).toBe(422);
    expect(JSON.parse(traversal.bytes.toString()).message).toMatch(/not a valid storage path/);
    // The same URI asked through another execution: not that execution's file.
    const other = await admin.run('files.team', 'reader-child', { doc: uploadUri });
    const foreign = await download(other.body.id, uploadUri);
    expect(foreign.status).toBe(403);
    expect(JSON.parse(foreign.bytes.toString()).message).toMatch(/does not belong to execution/);
    // And that execution's task, which was handed another execution's URI, cannot read it either.
    const refused = await admin.waitFor(other.body.id);
    expect(refused.state.current).toBe('FAILED');
    expect(taskRun(refused, 'echo').error).toMatch(/does not belong to execution/);
    expect((await download(uploadId, `kestra:///files/team/reader/executions/${uploadId}/inputs/data/nope.csv`)).status).toBe(404);
    expect((await admin.call('GET', `/api/v1/main/executions/${uploadId}/file`)).status).toBe(400);
  });

  it('refuses a FILE input sent as text, and a file sent for a non-FILE input, storing nothing', async () => {
    const asText = await admin.run('files.team', 'reader', { data: 'just text' });
    expect(asText.status).toBe(422);
    expect(JSON.stringify(asText.body)).toMatch(/expected a file: upload it as a multipart\/form-data part/);
    const wrongType = await startWithFiles('files.team', 'reader', { data: { name: 'a.txt', content: 'a' }, note: { name: 'b.txt', content: 'b' } });
    expect(wrongType.status).toBe(422);
    expect(JSON.stringify(wrongType.body)).toMatch(/input 'note' is STRING, not FILE/);
  });

  it('lets a viewer of the namespace download, and refuses a viewer of another namespace', async () => {
    const person = async (email: string, namespace: string) => {
      const user = await admin.call('POST', '/api/v1/main/users', { email, password: 'a-long-password' });
      expect(user.status).toBe(201);
      await admin.call('POST', '/api/v1/main/bindings', { subject: { type: 'USER', id: user.body.id }, role: 'VIEWER', namespace });
      const token = await admin.call('POST', `/api/v1/main/users/${user.body.id}/api-tokens`, { name: 'files' });
      return { authorization: `Bearer ${token.body.token}` };
    };
    const insider = await person('files-viewer@files.test', 'files.team');
    const outsider = await person('other-viewer@files.test', 'elsewhere.team');
    expect((await download(uploadId, uploadUri, insider)).status).toBe(200);
    expect((await download(uploadId, uploadUri, outsider)).status).toBe(403);
    expect((await api(outsider).call('GET', `/api/v1/main/executions/${uploadId}/file/metas?path=${encodeURIComponent(uploadUri)}`)).status).toBe(403);
  });

  it('downloads from an HTTP server into storage, sends the file on as a formData part, and serves it byte for byte', async () => {
    const id = await admin.deployAndRun(`
id: fetcher
namespace: files.team
tasks:
  - id: fetch
    type: io.kestra.plugin.core.http.Download
    uri: ${peerUrl}/report.bin
  - id: forward
    type: io.kestra.plugin.core.http.Request
    uri: ${peerUrl}/upload
    method: POST
    contentType: multipart/form-data
    formData:
      report: "{{ outputs.fetch.uri }}"
      renamed:
        name: copy.bin
        content: "{{ outputs.fetch.uri }}"
  - id: size
    type: io.kestra.plugin.core.log.Log
    message: "{{ fileSize(outputs.fetch.uri) }}"
`);
    const done = await admin.waitFor(id);
    expect(done.state.current, JSON.stringify(done.taskRunList)).toBe('SUCCESS');
    const fetch = taskRun(done, 'fetch');
    // The server's ../../ in the file name is dropped: the file stays in its task run's folder.
    expect(fetch.outputs).toMatchObject({ code: 200, length: binary.length, uri: `kestra:///files/team/fetcher/executions/${id}/tasks/fetch/${fetch.id}/report.bin` });
    expect(fetch.outputs.headers['content-type']).toEqual(['application/octet-stream']);
    const got = await download(id, fetch.outputs.uri);
    expect(got.status).toBe(200);
    expect(got.bytes.equals(binary)).toBe(true);
    const sent = uploads.at(-1)!;
    expect(sent).toContain('name="report"; filename="report.bin"');
    expect(sent).toContain('name="renamed"; filename="copy.bin"');
    expect(sent).toContain(binary.toString('latin1'));
  });

  it('fails a Download of an empty body unless failOnEmptyResponse is false', async () => {
    const flow = (fail: boolean) => `
id: empty-${fail}
namespace: files.team
tasks:
  - id: fetch
    type: io.kestra.plugin.core.http.Download
    uri: ${peerUrl}/empty
    failOnEmptyResponse: ${fail}
`;
    const failed = await admin.waitFor(await admin.deployAndRun(flow(true)));
    expect(failed.state.current).toBe('FAILED');
    expect(taskRun(failed, 'fetch').error).toMatch(/empty body/);
    const accepted = await admin.waitFor(await admin.deployAndRun(flow(false)));
    expect(accepted.state.current).toBe('SUCCESS');
    expect(taskRun(accepted, 'fetch').outputs.length).toBe(0);
  });

  it('replays an execution with its FILE input copied into the new execution', async () => {
    const replayed = await admin.call('POST', `/api/v1/main/executions/${uploadId}/replay`, {});
    expect(replayed.status, JSON.stringify(replayed.body)).toBe(201);
    const copy = replayed.body.inputs.data;
    expect(copy).toBe(`kestra:///files/team/reader/executions/${replayed.body.id}/inputs/data/hosts.csv`);
    const done = await admin.waitFor(replayed.body.id);
    expect(done.state.current, JSON.stringify(done.taskRunList)).toBe('SUCCESS');
    const logs = (await admin.logs(replayed.body.id)).body.filter((l: any) => l.taskId === 'show');
    expect(logs.map((l: any) => l.message)).toEqual(['23 bytes: host,ip\nweb-1,10.0.0.1 (true, empty false)']);
  });

  it("deletes an execution's files when PurgeExecutions purges it", async () => {
    expect(await storedText(uploadUri)).toContain('host,ip');
    const purge = await admin.waitFor(
      await admin.deployAndRun(`
id: purger
namespace: files.admin
tasks:
  - id: purge
    type: io.kestra.plugin.core.execution.PurgeExecutions
    namespace: files.team
    flowId: reader
    endDate: "{{ now() | dateAdd(1, 'DAYS') }}"
`),
    );
    expect(purge.state.current, JSON.stringify(purge.taskRunList)).toBe('SUCCESS');
    expect(taskRun(purge, 'purge').outputs.storagesCount).toBeGreaterThanOrEqual(1);
    await expect(stackStorage().meta('main', uploadUri)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(stackStorage().list('main', uploadUri.slice(0, uploadUri.indexOf('/inputs/')))).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect((await download(uploadId, uploadUri)).status).toBe(404);
  });
});
