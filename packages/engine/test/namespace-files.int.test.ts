// Namespace files on the real stack: Kestra's NamespaceFileController routes (upload, list, get,
// move, delete, after NamespaceFileControllerTest), read('path') and fileURI('path') in a task of
// the namespace, a flow of another namespace refused, viewers reading and not writing, the audit.
import { describe, expect, inject, it } from 'vitest';
import { api, authHeaders } from '@baton/testing';

const admin = api();
const NS = 'nsfiles.team';
const base = () => `${inject('apiUrl')}/api/v1/main/namespaces/${NS}/files`;

async function upload(path: string, content: string, auth = authHeaders()) {
  const form = new FormData();
  form.append('fileContent', new Blob([content]), path.split('/').pop()!);
  const res = await fetch(`${base()}?path=${encodeURIComponent(path)}`, { method: 'POST', body: form, headers: auth });
  return { status: res.status, body: await res.json().catch(() => undefined) };
}

async function content(path: string, auth = authHeaders()) {
  const res = await fetch(`${base()}?path=${encodeURIComponent(path)}`, { headers: auth });
  return { status: res.status, text: await res.text() };
}

const list = (path?: string, auth = authHeaders()) => api(auth).call('GET', `/api/v1/main/namespaces/${NS}/files/directory${path ? `?path=${encodeURIComponent(path)}` : ''}`);

describe('namespace files', () => {
  it('uploads, lists, reads, moves and deletes files as Kestra does', async () => {
    expect((await list()).body).toEqual([]);
    const stored = await upload('/queries/report.sql', 'SELECT 1;\n');
    expect(stored.status, JSON.stringify(stored.body)).toBe(200);
    expect(stored.body).toEqual({ path: '/queries/report.sql', size: 10 });
    expect((await upload('readme.md', '# hi')).status).toBe(200);

    const root = await list();
    expect(root.status).toBe(200);
    expect(root.body.map((e: any) => [e.fileName, e.type])).toEqual([
      ['queries', 'Directory'],
      ['readme.md', 'File'],
    ]);
    const queries = await list('/queries');
    expect(queries.body).toMatchObject([{ fileName: 'report.sql', type: 'File', size: 10 }]);
    expect(typeof queries.body[0].lastModifiedTime).toBe('number');
    expect((await list('/nothing')).status).toBe(404);

    expect(await content('/queries/report.sql')).toEqual({ status: 200, text: 'SELECT 1;\n' });
    expect((await content('/queries/missing.sql')).status).toBe(404);
    // No way out of the namespace's files.
    expect((await content('/../../other/_files/x')).status).toBe(422);

    const moved = await admin.call('PUT', `/api/v1/main/namespaces/${NS}/files?from=/queries/report.sql&to=/sql/report.sql`);
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    expect(moved.body).toEqual({ from: '/queries/report.sql', to: '/sql/report.sql', moved: 1 });
    expect((await content('/queries/report.sql')).status).toBe(404);
    expect((await content('/sql/report.sql')).text).toBe('SELECT 1;\n');
    expect((await admin.call('PUT', `/api/v1/main/namespaces/${NS}/files?from=/readme.md&to=/sql/report.sql`)).status).toBe(409);

    const deleted = await admin.call('DELETE', `/api/v1/main/namespaces/${NS}/files?path=/readme.md`);
    expect(deleted.status).toBe(200);
    expect(deleted.body).toEqual({ path: '/readme.md', deleted: 1 });
    expect((await admin.call('DELETE', `/api/v1/main/namespaces/${NS}/files?path=/readme.md`)).status).toBe(404);

    // Each change is in the audit log, with the namespace and the path.
    const audit = await admin.call('GET', `/api/v1/main/auditlogs/search?namespace=${NS}&size=50`);
    expect(audit.status).toBe(200);
    const entries = JSON.stringify(audit.body);
    for (const action of ['namespaceFile.saved', 'namespaceFile.moved', 'namespaceFile.deleted']) expect(entries).toContain(action);
    expect(entries).toContain(`file:${NS}/sql/report.sql`);
  });

  it("a task reads its namespace's files with read('path') and fileURI(); another namespace's flow may not", async () => {
    expect((await upload('/templates/greeting.txt', 'hello from the namespace')).status).toBe(200);
    const id = await admin.deployAndRun(`
id: uses-files
namespace: ${NS}
tasks:
  - id: show
    type: io.kestra.plugin.core.log.Log
    message: "{{ read('templates/greeting.txt') }} | {{ fileURI('templates/greeting.txt') }} | {{ read(fileURI('/templates/greeting.txt')) | length }}"
`);
    const done = await admin.waitFor(id);
    expect(done.state.current, JSON.stringify(done.taskRunList)).toBe('SUCCESS');
    const logs = (await admin.logs(id)).body.filter((l: any) => l.taskId === 'show').map((l: any) => l.message);
    expect(logs).toEqual(['hello from the namespace | kestra:///nsfiles/team/_files/templates/greeting.txt | 24']);

    const other = await admin.deployAndRun(`
id: snoops
namespace: elsewhere.team
tasks:
  - id: show
    type: io.kestra.plugin.core.log.Log
    message: "{{ read('kestra:///nsfiles/team/_files/templates/greeting.txt') }}"
`);
    const refused = await admin.waitFor(other);
    expect(refused.state.current).toBe('FAILED');
    expect(JSON.stringify(refused)).toContain('does not belong to execution');
  });

  // Kestra's nsfile:// URIs (FileExistsFunctionTest, ReadFileFunctionTest, the FILE input's
  // `defaults: nsfile:///hello.txt`): nsfile:///path in the flow's namespace, nsfile://ns/path in a
  // named one; Baton lets a flow read its own namespace's and those above it, not a sibling's.
  it('reads nsfile:///path and nsfile://namespace/path in read(), fileExists(), a FILE default and formData', async () => {
    expect((await upload('/hello.txt', 'Hello World')).status).toBe(200);
    const parentForm = new FormData();
    parentForm.append('fileContent', new Blob(['from the parent namespace']), 'shared.txt');
    const parentUpload = await fetch(`${inject('apiUrl')}/api/v1/main/namespaces/nsfiles/files?path=/shared.txt`, { method: 'POST', body: parentForm, headers: authHeaders() });
    expect(parentUpload.status).toBe(200);
    const id = await admin.deployAndRun(`
id: uses-nsfile
namespace: ${NS}
inputs:
  - id: doc
    type: FILE
    defaults: nsfile:///hello.txt
tasks:
  - id: show
    type: io.kestra.plugin.core.log.Log
    message: "{{ read('nsfile:///hello.txt') }} | {{ read('nsfile://${NS}/hello.txt') | length }} | {{ read(inputs.doc) }} | {{ fileSize(inputs.doc) }} | {{ read('nsfile://nsfiles/shared.txt') }} | {{ read('shared.txt', namespace='nsfiles') }} | {{ fileExists('nsfile:///hello.txt') }} {{ fileExists('nsfile:///missing.txt') }}"
`);
    const done = await admin.waitFor(id);
    expect(done.state.current, JSON.stringify(done.taskRunList)).toBe('SUCCESS');
    expect(done.inputs.doc).toBe('nsfile:///hello.txt');
    const logs = (await admin.logs(id)).body.filter((l: any) => l.taskId === 'show').map((l: any) => l.message);
    expect(logs).toEqual(['Hello World | 11 | Hello World | 11 | from the parent namespace | from the parent namespace | true false']);

    // A sibling namespace's files are refused, with the reason; a malformed namespace is a clear error.
    const sibling = await admin.deployAndRun(`
id: snoops-nsfile
namespace: elsewhere.team
tasks:
  - id: show
    type: io.kestra.plugin.core.log.Log
    message: "{{ read('nsfile://${NS}/hello.txt') }}"
`);
    const refused = await admin.waitFor(sibling);
    expect(refused.state.current).toBe('FAILED');
    expect(JSON.stringify(refused)).toContain(`a flow of elsewhere.team reads the namespace files of elsewhere, elsewhere.team, not of ${NS}`);
    const started = await admin.call('POST', `/api/v1/main/executions/${NS}/uses-nsfile`, { doc: 'nsfile:hello.txt' });
    expect(started.status).toBe(422);
    expect(JSON.stringify(started.body)).toContain('nsfile:///path of a namespace file');
  });

  it('lets a viewer of the namespace list and read but not write; refuses a viewer of another namespace', async () => {
    const person = async (email: string, namespace: string) => {
      const user = await admin.call('POST', '/api/v1/main/users', { email, password: 'a-long-password' });
      expect(user.status).toBe(201);
      await admin.call('POST', '/api/v1/main/bindings', { subject: { type: 'USER', id: user.body.id }, role: 'VIEWER', namespace });
      const token = await admin.call('POST', `/api/v1/main/users/${user.body.id}/api-tokens`, { name: 'nsfiles' });
      return { authorization: `Bearer ${token.body.token}` };
    };
    const viewer = await person('nsfiles-viewer@files.test', NS);
    const outsider = await person('nsfiles-outsider@files.test', 'elsewhere.team');
    expect((await list(undefined, viewer)).status).toBe(200);
    expect((await content('/templates/greeting.txt', viewer)).status).toBe(200);
    expect((await upload('/x.txt', 'x', viewer)).status).toBe(403);
    expect((await api(viewer).call('DELETE', `/api/v1/main/namespaces/${NS}/files?path=/templates/greeting.txt`)).status).toBe(403);
    expect((await list(undefined, outsider)).status).toBe(403);
    expect((await content('/templates/greeting.txt', outsider)).status).toBe(403);
  });
});
