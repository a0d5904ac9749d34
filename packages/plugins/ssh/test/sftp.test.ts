// SFTP Upload and Download against the real sshd (internal-sftp): a file from internal storage to a
// remote path and back, a missing remote file named in the error, a host key mismatch refused.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StorageAccess } from '@baton/plugin-sdk';
import { runPluginTask } from '@baton/plugin-sdk/testing';
import { startSshServer, type RunningSshServer } from '@baton/testing/ssh-server';
import { sftpDownloadRuntime, sftpUploadRuntime } from '../src/runtime';

/** Internal storage in a map, as the worker's would answer (one-segment names, kestra:// URIs). */
class MapStorage implements StorageAccess {
  readonly files = new Map<string, Buffer>();
  async put(name: string, data: Uint8Array | AsyncIterable<Uint8Array>) {
    const chunks: Buffer[] = [];
    if (data instanceof Uint8Array) chunks.push(Buffer.from(data));
    else for await (const chunk of data) chunks.push(Buffer.from(chunk));
    const uri = `kestra:///company/team/f/executions/e1/tasks/t/tr/${name}`;
    this.files.set(uri, Buffer.concat(chunks));
    return { uri, size: this.files.get(uri)!.length };
  }
  async get(uri: string) {
    const file = this.files.get(uri);
    if (!file) throw new Error(`no file ${uri}`);
    return file;
  }
  async size(uri: string) {
    return (await this.get(uri)).length;
  }
  async namespaceFiles() {
    return [];
  }
}

let server: RunningSshServer;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'baton-sftp-test-'));
beforeAll(async () => {
  server = await startSshServer();
});
afterAll(async () => {
  await server?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

const connection = () => ({ host: server.host, port: server.port, username: server.username, keyfile: server.privateKey, hostKey: server.hostPublicKey });

describe('SFTP against a real sshd', { timeout: 60_000 }, () => {
  it('uploads a stored file to a remote path and downloads it back into storage', async () => {
    const storage = new MapStorage();
    const content = Buffer.from('line 1\nline 2 ✓\n');
    const { uri } = await storage.put('config.yaml', content);
    const remote = path.join(dir, 'config.yaml');

    const up = await runPluginTask(sftpUploadRuntime, { ...connection(), from: uri, to: remote }, { storage });
    expect(up.error, server.log()).toBeUndefined();
    expect(up.outputs).toEqual({ from: uri, to: `sftp://${server.host}:${server.port}${remote}`, size: content.length });
    expect(fs.readFileSync(remote)).toEqual(content);

    fs.writeFileSync(path.join(dir, 'report.csv'), 'a,b\n1,2\n');
    const down = await runPluginTask(sftpDownloadRuntime, { ...connection(), from: path.join(dir, 'report.csv') }, { storage });
    expect(down.error).toBeUndefined();
    expect(down.outputs?.to).toMatch(/^kestra:\/\/\/.*\/report\.csv$/);
    expect((await storage.get(down.outputs!.to)).toString()).toBe('a,b\n1,2\n');
  });

  it('a missing remote file is NOT_FOUND with its path; a wrong host key is refused before any transfer', async () => {
    const storage = new MapStorage();
    const missing = await runPluginTask(sftpDownloadRuntime, { ...connection(), from: path.join(dir, 'nope.txt') }, { storage });
    expect(missing.error?.code).toBe('NOT_FOUND');
    expect(missing.error?.message).toContain(path.join(dir, 'nope.txt'));

    const { uri } = await storage.put('x.txt', Buffer.from('x'));
    const target = path.join(dir, 'must-not-exist.txt');
    const mismatch = await runPluginTask(sftpUploadRuntime, { ...connection(), hostKey: 'SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', from: uri, to: target }, { storage });
    expect(mismatch.error?.message).toContain('HOST KEY MISMATCH');
    expect(fs.existsSync(target)).toBe(false);
  });
});
