// FILE inputs in the form: a chosen file passes the form's validation and turns the start into a
// multipart body; kestra:/// URIs in values become download links of the execution.
import { describe, expect, it } from 'vitest';
import { hasFiles, toFormData } from '../src/modules/inputs/lib/file-inputs';
import { toPayload, validateField } from '../src/modules/inputs/lib/inputs';
import { fileHref, storageUris } from '../src/modules/executions/components/file-links';

const fileInput = { id: 'hosts', type: 'FILE' };

describe('FILE inputs in the form', () => {
  it('accept a chosen file, require one when there is no default, refuse plain text', () => {
    const file = new File(['a,b\n'], 'hosts.csv');
    expect(validateField(fileInput as never, file)).toBeUndefined();
    expect(validateField(fileInput as never, '')).toBe('hosts is required');
    expect(validateField(fileInput as never, 'hosts.csv')).toMatch(/^Expected a file/);
    expect(validateField(fileInput as never, 'kestra:///a/b/executions/x/inputs/hosts/h.csv')).toBeUndefined();
  });

  it('send a start with a file as multipart, other values as text or JSON text', async () => {
    const file = new File(['a,b\n'], 'hosts.csv');
    const payload = toPayload([fileInput, { id: 'n', type: 'INT' }, { id: 'list', type: 'ARRAY' }] as never, { hosts: file, n: '3', list: 'x\ny' });
    expect(hasFiles(payload)).toBe(true);
    expect(hasFiles({ n: 3 })).toBe(false);
    const form = toFormData(payload);
    const sent = form.get('hosts') as File;
    expect(sent.name).toBe('hosts.csv');
    expect(await sent.text()).toBe('a,b\n');
    expect(form.get('n')).toBe('3');
    expect(form.get('list')).toBe('["x","y"]');
  });
});

describe('file links of an execution', () => {
  it('find every kestra:/// URI once, however deep', () => {
    const uri = 'kestra:///a/f/executions/e1/tasks/t/r/report%201.bin';
    expect(storageUris({ fetch: { uri, code: 200 }, list: [uri, 'https://x', { deeper: 'kestra:///a/f/executions/e1/inputs/i/x.txt' }] })).toEqual([
      uri,
      'kestra:///a/f/executions/e1/inputs/i/x.txt',
    ]);
    expect(storageUris('kestra:// not a file')).toEqual([]);
    expect(fileHref('main', 'e1', uri)).toBe(`/api/v1/main/executions/e1/file?path=${encodeURIComponent(uri)}`);
  });
});
