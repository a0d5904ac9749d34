// Internal storage paths: Kestra's layout, and nothing outside an execution's own files (or its
// parents') is reachable, whatever the URI says. The backend tests run against both backends:
// the local disk and a real S3-compatible server (s3rver, over HTTP with signed requests).
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '@baton/db';
import { S3_TEST_CREDENTIALS, startS3Server, type RunningS3Server } from '@baton/testing/s3-server';
import {
  ExecutionFiles,
  executionPrefix,
  inputFileUri,
  LocalFileStorage,
  NamespaceFiles,
  parseStorageUri,
  resolveNamespaceFileUri,
  S3FileStorage,
  safeFileName,
  slugify,
  taskFileUri,
  type FileStorage,
} from '../src/services/storage';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'baton-storage-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
const storage = new LocalFileStorage(root);
let s3: RunningS3Server;
beforeAll(async () => {
  s3 = await startS3Server();
});
afterAll(async () => s3?.close());
const s3Storage = (options: Partial<ConstructorParameters<typeof S3FileStorage>[0]> = {}) =>
  new S3FileStorage({ endpoint: s3.endpoint, bucket: s3.bucket, region: 'us-east-1', ...S3_TEST_CREDENTIALS, forcePathStyle: true, prefix: 'baton/', ...options });
const run = { namespace: 'company.team', flowId: 'My_Flow', executionId: 'exec1' };
const parent = { namespace: 'company', flowId: 'parent', executionId: 'exec0' };
const other = { namespace: 'company.team', flowId: 'My_Flow', executionId: 'exec2' };

describe('storage URIs', () => {
  it("follow Kestra's layout", () => {
    expect(slugify('My Flow_1')).toBe('my-flow_1');
    expect(executionPrefix(run)).toBe('kestra:///company/team/my_flow/executions/exec1/');
    expect(inputFileUri(run, 'data', 'report 1.csv')).toBe('kestra:///company/team/my_flow/executions/exec1/inputs/data/report%201.csv');
    expect(taskFileUri(run, 'fetch', 'tr1', 'body.json')).toBe('kestra:///company/team/my_flow/executions/exec1/tasks/fetch/tr1/body.json');
  });

  it('keep a file name to one segment', () => {
    expect(safeFileName('../../etc/passwd')).toBe('passwd');
    expect(safeFileName('C:\\Users\\me\\a.txt')).toBe('a.txt');
    expect(safeFileName('..')).toBe('file');
    expect(safeFileName('')).toBe('file');
  });

  it.each([
    ['kestra:///company/../../etc/passwd', /not a valid storage path/],
    ['kestra:///company/%2e%2e/x', /not a valid storage path/],
    ['kestra:///company/a%2F..%2F..%2Fx', /hidden separators/],
    ['kestra:///company/a%5Cb', /hidden separators/],
    ['kestra:////etc/passwd', /not a valid storage path/],
    ['kestra:///a/%00', /not a valid storage path/],
    ['kestra:///a/%zz', /bad %-escape/],
    ['file:///etc/passwd', /not an internal-storage URI/],
    ['/etc/passwd', /not an internal-storage URI/],
    ['kestra:///a/b?x=1', /no query/],
  ])('refuse %s', (uri, message) => {
    expect(() => parseStorageUri(uri)).toThrow(message);
  });
});

// Kestra's nsfile:// URIs (FileExistsFunctionTest's createNsFile: nsfile:///file.txt and nsfile://namespace/file.txt).
describe('namespace-file URIs', () => {
  it('resolve nsfile:///path in the current namespace and nsfile://namespace/path in the named one', () => {
    expect(resolveNamespaceFileUri('nsfile:///file.txt', 'company.team')).toEqual({ namespace: 'company.team', uri: 'kestra:///company/team/_files/file.txt' });
    expect(resolveNamespaceFileUri('nsfile://company/sql/a%20b.sql', 'company.team')).toEqual({ namespace: 'company', uri: 'kestra:///company/_files/sql/a%20b.sql' });
  });

  it.each([
    ['nsfile://', /not a namespace-file URI/],
    ['nsfile:///', /a namespace file path is needed/],
    ['nsfile://company', /not a namespace-file URI/],
    ['nsfile://bad ns/x', /is not a namespace/],
    ['nsfile:///../../etc/passwd', /not a valid path/],
    ['nsfile:///a/%2e%2e/%2e%2e/x', /not a valid path/],
    ['nsfile:///a?x=1', /no query/],
    ['nsfile:///%zz', /bad %-escape/],
  ])('refuse %s', (uri, message) => {
    expect(() => resolveNamespaceFileUri(uri, 'company.team')).toThrow(message);
  });

  it('are readable by a task from its namespace and those above it, not from a sibling', async () => {
    const files = new ExecutionFiles(null as unknown as Db, storage);
    const lineage = [run];
    const task = { forTask: true };
    expect(await files.check('main', run.executionId, 'nsfile:///q.sql', lineage, task)).toBe('kestra:///company/team/_files/q.sql');
    expect(await files.check('main', run.executionId, 'nsfile://company/q.sql', lineage, task)).toBe('kestra:///company/_files/q.sql');
    expect(await files.check('main', run.executionId, 'kestra:///company/_files/q.sql', lineage, task)).toBe('kestra:///company/_files/q.sql');
    await expect(files.check('main', run.executionId, 'nsfile://company.other/q.sql', lineage, task)).rejects.toMatchObject({
      code: 'FORBIDDEN',
      message: expect.stringContaining('a flow of company.team reads the namespace files of company, company.team, not of company.other'),
    });
    await expect(files.check('main', run.executionId, 'kestra:///company/other/_files/q.sql', lineage, task)).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it("through the API (a download), only the execution's own namespace's: its viewers need not see the parent's", async () => {
    const files = new ExecutionFiles(null as unknown as Db, storage);
    expect(await files.check('main', run.executionId, 'nsfile:///q.sql', [run])).toBe('kestra:///company/team/_files/q.sql');
    await expect(files.check('main', run.executionId, 'nsfile://company/q.sql', [run])).rejects.toMatchObject({
      code: 'FORBIDDEN',
      message: expect.stringContaining('an execution of company.team reads the namespace files of company.team, not of company'),
    });
    await expect(files.check('main', run.executionId, 'kestra:///company/_files/q.sql', [run])).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });
});

describe('local file storage', () => {
  it("writes, reads and measures a file under the tenant's directory", async () => {
    const uri = taskFileUri(run, 'fetch', 'tr1', 'body.txt');
    expect(await storage.put('main', uri, Buffer.from('hello'))).toBe(5);
    expect(fs.readFileSync(path.join(root, 'main/company/team/my_flow/executions/exec1/tasks/fetch/tr1/body.txt'), 'utf8')).toBe('hello');
  });

  it('refuses a tenant that is a path', () => {
    expect(() => storage.pathOf('../x', 'kestra:///a/b')).toThrow(/invalid tenant/);
  });
});

describe('S3 file storage', () => {
  it('keys objects like the local layout, under the prefix and the tenant', async () => {
    const uri = taskFileUri(run, 'fetch', 'tr1', 'body 1.txt');
    expect(s3Storage().keyOf('main', uri)).toBe('baton/main/company/team/my_flow/executions/exec1/tasks/fetch/tr1/body 1.txt');
    expect(() => s3Storage().keyOf('../x', 'kestra:///a/b')).toThrow(/invalid tenant/);
    expect(() => s3Storage().keyOf('main', 'kestra:///a/%2e%2e/b')).toThrow(/not a valid storage path/);
  });

  it('lists and deletes across pages (markers)', async () => {
    const small = s3Storage({ listPageSize: 2, prefix: 'paged/' });
    const dir = 'kestra:///company/paged';
    for (const name of ['a', 'b', 'c', 'd', 'e']) await small.put('main', `${dir}/${name}.txt`, Buffer.from(name));
    await small.put('main', `${dir}/sub/x.txt`, Buffer.from('x'));
    await small.put('main', `${dir}/sub/y.txt`, Buffer.from('y'));
    expect((await small.list('main', dir)).map((e) => `${e.type}:${e.name}`)).toEqual(['File:a.txt', 'File:b.txt', 'File:c.txt', 'File:d.txt', 'File:e.txt', 'Directory:sub']);
    expect(await small.deletePrefix('main', dir)).toBe(7);
    await expect(small.list('main', dir)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('streams a file larger than one multipart part, byte for byte', async () => {
    const size = 11 * 1024 * 1024 + 123; // three parts of 5 MiB
    const hash = crypto.createHash('sha256');
    async function* chunks() {
      for (let sent = 0; sent < size;) {
        const chunk = crypto.randomBytes(Math.min(256 * 1024, size - sent));
        hash.update(chunk);
        sent += chunk.length;
        yield chunk;
      }
    }
    const backend = s3Storage();
    const uri = taskFileUri(run, 'big', 'tr1', 'big.bin');
    expect(await backend.put('main', uri, chunks())).toBe(size);
    expect((await backend.meta('main', uri)).size).toBe(size);
    const readBack = crypto.createHash('sha256');
    let read = 0;
    for await (const chunk of await backend.open('main', uri)) {
      readBack.update(chunk as Buffer);
      read += (chunk as Buffer).length;
    }
    expect(read).toBe(size);
    expect(readBack.digest('hex')).toBe(hash.digest('hex'));
  });

  it('says what to fix when the bucket is missing, the credentials are wrong or the endpoint is down', async () => {
    const uri = taskFileUri(run, 'x', 'tr1', 'x.txt');
    await expect(s3Storage({ bucket: 'no-such-bucket' }).put('main', uri, Buffer.from('x'))).rejects.toMatchObject({
      code: 'UNAVAILABLE',
      message: expect.stringMatching(/bucket 'no-such-bucket' at http:\/\/127\.0\.0\.1:\d+ does not exist; create it or fix BATON_STORAGE_S3_BUCKET/),
    });
    await expect(s3Storage({ accessKeyId: 'WRONG', secretAccessKey: 'wrong' }).put('main', uri, Buffer.from('x'))).rejects.toMatchObject({
      code: 'UNAVAILABLE',
      message: expect.stringMatching(/refused the credentials .*BATON_STORAGE_S3_ACCESS_KEY_ID/),
    });
    // (s3rver checks the access key id only, not V4 signatures: a wrong secret is not tested here.)
    // A port nothing listens on (the server's own, once closed).
    const down = await startS3Server('down');
    await down.close();
    await expect(s3Storage({ endpoint: down.endpoint }).open('main', uri)).rejects.toMatchObject({
      code: 'UNAVAILABLE',
      message: expect.stringMatching(/cannot be reached at http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\); check BATON_STORAGE_S3_ENDPOINT/),
    });
  });
});

// The same behaviour from both backends: everything above FileStorage relies on it.
describe.each([
  ['local disk', () => storage as FileStorage],
  ['S3', () => s3Storage() as FileStorage],
])('file storage on %s', (_name, backendOf) => {
  let backend: FileStorage;
  let files: ExecutionFiles;
  beforeAll(() => {
    backend = backendOf();
    // ExecutionFiles reads the lineage from the database; these tests hand it over instead.
    files = new ExecutionFiles(null as unknown as Db, backend);
  });

  it('writes, reads and measures a file; another tenant has its own tree', async () => {
    const uri = taskFileUri(run, 'fetch', 'tr1', 'body.txt');
    expect(await backend.put('main', uri, Buffer.from('hello'))).toBe(5);
    expect((await backend.meta('main', uri)).size).toBe(5);
    expect((await backend.meta('main', uri)).lastModified.getTime()).toBeGreaterThan(0);
    expect(Buffer.concat(await (await backend.open('main', uri)).toArray()).toString()).toBe('hello');
    await expect(backend.meta('other', uri)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(backend.open('other', uri)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('replaces a file written twice, and stores a stream', async () => {
    const uri = taskFileUri(run, 'fetch', 'tr2', 'twice.txt');
    await backend.put('main', uri, Buffer.from('first version'));
    expect(await backend.put('main', uri, Readable.from([Buffer.from('sec'), Buffer.from('ond')]))).toBe(6);
    expect(Buffer.concat(await (await backend.open('main', uri)).toArray()).toString()).toBe('second');
  });

  it('lists the entries directly under a directory, sorted, directories included', async () => {
    const dir = 'kestra:///company/listing';
    await backend.put('main', `${dir}/b.txt`, Buffer.from('bb'));
    await backend.put('main', `${dir}/a.txt`, Buffer.from('a'));
    await backend.put('main', `${dir}/sub/deep/c.txt`, Buffer.from('c'));
    const entries = await backend.list('main', `${dir}/`);
    expect(entries.map((e) => [e.name, e.type, e.size])).toEqual([
      ['a.txt', 'File', 1],
      ['b.txt', 'File', 2],
      ['sub', 'Directory', 0],
    ]);
    await expect(backend.list('main', 'kestra:///company/nothing-here')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    // A file is not a directory.
    await expect(backend.list('main', `${dir}/a.txt`)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it("deletes an execution's files and nothing else (not exec10 for exec1)", async () => {
    const exec10 = { ...run, executionId: 'exec10' };
    await backend.put('main', inputFileUri(run, 'data', 'a.txt'), Buffer.from('a'));
    await backend.put('main', inputFileUri(other, 'data', 'b.txt'), Buffer.from('b'));
    await backend.put('main', inputFileUri(exec10, 'data', 'c.txt'), Buffer.from('c'));
    expect(await files.deleteExecution('main', run)).toBeGreaterThanOrEqual(1);
    await expect(backend.meta('main', inputFileUri(run, 'data', 'a.txt'))).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect((await backend.meta('main', inputFileUri(other, 'data', 'b.txt'))).size).toBe(1);
    expect((await backend.meta('main', inputFileUri(exec10, 'data', 'c.txt'))).size).toBe(1);
  });

  it('keeps namespace files: put, list, read, move and delete', async () => {
    const ns = new NamespaceFiles(backend);
    expect(await ns.list('main', 'company.empty')).toEqual([]);
    await ns.put('main', 'company.nsf', 'queries/report.sql', Buffer.from('select 1'));
    await ns.put('main', 'company.nsf', '/readme.md', Buffer.from('# hi'));
    expect((await ns.list('main', 'company.nsf')).map((e) => `${e.type}:${e.fileName}`)).toEqual(['Directory:queries', 'File:readme.md']);
    const read = await ns.read('main', 'company.nsf', 'queries/report.sql');
    expect(read.size).toBe(8);
    expect(Buffer.concat(await read.stream.toArray()).toString()).toBe('select 1');
    expect(await ns.move('main', 'company.nsf', 'queries', 'sql')).toEqual({ moved: 1 });
    await expect(ns.read('main', 'company.nsf', 'queries/report.sql')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(Buffer.concat(await (await ns.read('main', 'company.nsf', 'sql/report.sql')).stream.toArray()).toString()).toBe('select 1');
    expect(await ns.delete('main', 'company.nsf', 'readme.md')).toEqual({ deleted: 1 });
    await expect(ns.read('main', 'company.nsf', 'readme.md')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(ns.delete('main', 'company.nsf', 'nope.txt')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
  const lineage = [run, parent];
  it("its own files and its parent's", async () => {
    expect(await files.check('main', run.executionId, inputFileUri(run, 'data', 'a.txt'), lineage)).toContain('/exec1/');
    expect(await files.check('main', run.executionId, taskFileUri(parent, 't', 'tr', 'x'), lineage)).toContain('/exec0/');
  });

  it("not another execution's, even of the same flow or through an escaped path", async () => {
    await expect(files.check('main', run.executionId, inputFileUri(other, 'data', 'b.txt'), lineage)).rejects.toThrow(/does not belong to execution exec1/);
    await expect(files.check('main', run.executionId, 'kestra:///company/team/my_flow/executions/exec1/../exec2/inputs/data/b.txt', lineage)).rejects.toMatchObject({
      code: 'UNPROCESSABLE',
    });
    // A prefix of the id is not the id: exec1 must not reach exec10.
    await expect(files.check('main', run.executionId, 'kestra:///company/team/my_flow/executions/exec10/x', lineage)).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it("writes a task's files into its own task-run folder only", async () => {
    const access = files.forTaskRun('main', run, 'dl', 'tr9');
    (files as unknown as { lineage: () => Promise<unknown> }).lineage = async () => lineage;
    const stored = await access.put('../../../escape.txt', Buffer.from('xyz'));
    expect(stored).toEqual({ uri: 'kestra:///company/team/my_flow/executions/exec1/tasks/dl/tr9/escape.txt', size: 3 });
    expect((await access.get(stored.uri)).toString()).toBe('xyz');
    expect(await access.size(stored.uri)).toBe(3);
    await expect(access.get(inputFileUri(other, 'data', 'b.txt'))).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });
});
