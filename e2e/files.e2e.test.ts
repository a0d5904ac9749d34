// End-to-end: a person uploads a file through a flow's FILE input in the execute form, a task
// reads it with read(), and the execution page offers the file (and a task's copy) for download.
import { describe, expect, it } from 'vitest';
import { api } from './lib/api';
import { shot, useSignedInBrowser } from './lib/browser';

const NS = 'e2e.files';
const CONTENT = 'web-1 10.0.0.1\nweb-2 10.0.0.2\n';
const session = useSignedInBrowser();

describe('files in the UI', () => {
  it('uploads a FILE input from the execute form and downloads it from the execution page', async () => {
    const { base, page, tab } = session;
    await api(
      'POST',
      '/api/v1/main/flows',
      `id: upload
namespace: ${NS}
inputs:
  - id: hosts
    type: FILE
    description: The host list
tasks:
  - id: count
    type: io.kestra.plugin.core.log.Log
    message: "{{ fileSize(inputs.hosts) }} bytes, first line {{ read(inputs.hosts) | split('\\n') | first }}"
`,
      'application/x-yaml',
    );
    await page.goto(`${base}/main/flows/${NS}/upload`);
    await page.getByTestId('execute-flow').click();
    const dialog = page.getByTestId('execute-dialog');
    await dialog.locator('#exec-hosts').setInputFiles({ name: 'hosts.txt', mimeType: 'text/plain', buffer: Buffer.from(CONTENT) });
    await expect.poll(() => dialog.textContent()).toContain('hosts.txt (30 bytes)');
    await shot(page, 'file-input');
    await page.getByTestId('execute-submit').click();
    await page.waitForURL(/\/main\/executions\/[A-Za-z0-9]+$/);
    const id = page.url().split('/').pop()!;
    await expect.poll(async () => (await api('GET', `/api/v1/main/executions/${id}`)).state.current, { timeout: 30_000 }).toBe('SUCCESS');
    const logs = await api('GET', `/api/v1/main/logs/${id}`);
    expect(logs.map((l: { message: string }) => l.message)).toContain('30 bytes, first line web-1 10.0.0.1');

    await page.goto(`${base}/main/executions/${id}?tab=io`);
    const link = page.locator(`[data-file-link="kestra:///e2e/files/upload/executions/${id}/inputs/hosts/hosts.txt"]`);
    await link.waitFor();
    expect(await link.textContent()).toBe('Download hosts.txt');
    await shot(page, 'file-download-link');
    // The link downloads the very bytes uploaded, with the page's session.
    const href = await link.getAttribute('href');
    const downloaded = await page.evaluate(async (h) => {
      const res = await fetch(h!);
      return { status: res.status, text: await res.text(), disposition: res.headers.get('content-disposition') };
    }, href);
    expect(downloaded).toEqual({ status: 200, text: CONTENT, disposition: "attachment; filename*=UTF-8''hosts.txt" });
    expect(tab.errors).toEqual([]);
  });
});
