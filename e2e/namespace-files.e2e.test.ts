// End-to-end: a person uploads a namespace file in the UI, opens its directory, views it, a flow of
// the namespace reads it with read('path'), and the person deletes it.
import { describe, expect, it } from 'vitest';
import { api } from './lib/api';
import { shot, useSignedInBrowser } from './lib/browser';

const NS = 'e2e.nsfiles';
const session = useSignedInBrowser();

describe('namespace files in the UI', () => {
  it('uploads a file into a directory, views it, a flow reads it, and deletes it', async () => {
    const { base, page, tab } = session;
    await page.goto(`${base}/main/namespaces/${NS}/files`);
    await page.getByRole('heading', { name: `Files · ${NS}` }).waitFor();
    await expect.poll(() => page.getByText('No files in this namespace').count()).toBe(1);
    await page.getByRole('button', { name: 'Upload a file' }).click();
    const dialog = page.getByTestId('file-upload-dialog');
    await dialog.getByLabel('File').setInputFiles({ name: 'hello.txt', mimeType: 'text/plain', buffer: Buffer.from('hello from a namespace file') });
    await dialog.getByLabel('Path').fill('/docs/');
    await dialog.getByRole('button', { name: 'Upload' }).click();

    const table = page.getByTestId('files-table');
    await table.getByRole('button', { name: 'Open docs' }).click();
    await table.getByRole('button', { name: 'Open hello.txt' }).click();
    await expect.poll(() => page.getByTestId('file-view').textContent()).toContain('hello from a namespace file');
    await shot(page, 'namespace-files');
    await page.keyboard.press('Escape');

    await api(
      'POST',
      '/api/v1/main/flows',
      `id: reads-file\nnamespace: ${NS}\ntasks:\n  - id: r\n    type: io.kestra.plugin.core.debug.Return\n    format: "{{ read('docs/hello.txt') }}"\n`,
      'application/x-yaml',
    );
    const started = await api('POST', `/api/v1/main/executions/${NS}/reads-file`, {});
    await expect.poll(async () => (await api('GET', `/api/v1/main/executions/${started.id}`)).state.current, { timeout: 30_000 }).toBe('SUCCESS');
    expect((await api('GET', `/api/v1/main/executions/${started.id}`)).taskRunList[0].outputs.value).toBe('hello from a namespace file');

    await table.getByRole('button', { name: 'Delete hello.txt' }).click();
    await expect.poll(async () => (await api('GET', `/api/v1/main/namespaces/${NS}/files/directory?path=/docs`)).length).toBe(0);
    expect(tab.errors).toEqual([]);
  });
});
