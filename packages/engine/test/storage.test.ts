// Internal storage paths: Kestra's layout, and nothing outside an execution's own files (or its
// parents') is reachable, whatever the URI says.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Db } from '@baton/db';
import { ExecutionFiles, executionPrefix, inputFileUri, LocalFileStorage, parseStorageUri, safeFileName, slugify, taskFileUri } from '../src/services/storage';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'baton-storage-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
const storage = new LocalFileStorage(root);
const run = { namespace: 'company.team', flowId: 'My_Flow', executionId: 'exec1' };
const parent = { namespace: 'company', flowId: 'parent', executionId: 'exec0' };
const other = { namespace: 'company.team', flowId: 'My_Flow', executionId: 'exec2' };
// ExecutionFiles reads the lineage from the database; these tests hand it over instead.
const files = new ExecutionFiles(null as unknown as Db, storage);

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

describe('local file storage', () => {
  it("writes, reads and measures a file under the tenant's directory", async () => {
    const uri = taskFileUri(run, 'fetch', 'tr1', 'body.txt');
    expect(await storage.put('main', uri, Buffer.from('hello'))).toBe(5);
    expect(fs.readFileSync(path.join(root, 'main/company/team/my_flow/executions/exec1/tasks/fetch/tr1/body.txt'), 'utf8')).toBe('hello');
    expect((await storage.meta('main', uri)).size).toBe(5);
    // Another tenant has its own tree.
    await expect(storage.meta('other', uri)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('refuses a tenant that is a path', () => {
    expect(() => storage.pathOf('../x', 'kestra:///a/b')).toThrow(/invalid tenant/);
  });

  it("deletes an execution's files and nothing else", async () => {
    await storage.put('main', inputFileUri(run, 'data', 'a.txt'), Buffer.from('a'));
    await storage.put('main', inputFileUri(other, 'data', 'b.txt'), Buffer.from('b'));
    expect(await files.deleteExecution('main', run)).toBe(2);
    await expect(storage.meta('main', inputFileUri(run, 'data', 'a.txt'))).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect((await storage.meta('main', inputFileUri(other, 'data', 'b.txt'))).size).toBe(1);
  });
});

describe('what an execution may read', () => {
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
