// End-to-end: a person adds, edits and deletes KV pairs of a namespace in the UI, and a flow reads
// the value with kv().
import { describe, expect, it } from 'vitest';
import { api } from './lib/api';
import { shot, useSignedInBrowser } from './lib/browser';

const NS = 'e2e.kv';
const session = useSignedInBrowser();

describe('KV store in the UI', () => {
  it('adds a typed pair, refuses a bad value with the reason, edits it, and a flow reads it', async () => {
    const { base, page, tab } = session;
    await page.goto(`${base}/main/namespaces/${NS}/kv`);
    await page.getByRole('heading', { name: `KV store · ${NS}` }).waitFor();
    await page.getByRole('button', { name: 'Add a pair' }).click();
    const dialog = page.getByTestId('kv-dialog');
    await dialog.getByLabel('Key').fill('replicas');
    await dialog.getByLabel('Type').selectOption('NUMBER');
    await dialog.getByLabel('Value').fill('three');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => dialog.textContent()).toContain("'three' is not a NUMBER");
    await dialog.getByLabel('Value').fill('3');
    await dialog.getByRole('button', { name: 'Save' }).click();
    const table = page.getByTestId('kv-table');
    await expect.poll(() => table.textContent()).toContain('replicas');
    expect(await table.textContent()).toContain('NUMBER');

    await table.getByRole('button', { name: 'Edit' }).click();
    await dialog.getByLabel('Value').fill('5');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expect.poll(async () => (await api('GET', `/api/v1/main/namespaces/${NS}/kv/replicas`)).value).toBe(5);
    await shot(page, 'kv-store');

    await api(
      'POST',
      '/api/v1/main/flows',
      `id: reads-kv\nnamespace: ${NS}\ntasks:\n  - id: r\n    type: io.kestra.plugin.core.debug.Return\n    format: "{{ kv('replicas') * 2 }}"\n`,
      'application/x-yaml',
    );
    const started = await api('POST', `/api/v1/main/executions/${NS}/reads-kv`, {});
    await expect.poll(async () => (await api('GET', `/api/v1/main/executions/${started.id}`)).state.current, { timeout: 30_000 }).toBe('SUCCESS');
    const done = await api('GET', `/api/v1/main/executions/${started.id}`);
    expect(done.taskRunList[0].outputs.value).toBe('10');

    // The execution page's expression debugger renders against this execution.
    await page.goto(`${base}/main/executions/${started.id}?tab=io`);
    const debug = page.getByTestId('expression-debugger');
    await debug.getByLabel('Expression').fill("{{ outputs.r.value ~ ' replicas' }}");
    await debug.getByRole('button', { name: 'Evaluate' }).click();
    await expect.poll(() => page.getByTestId('expression-result').textContent()).toContain('10 replicas');
    await debug.getByLabel('Expression').fill("{{ secret('X') }}");
    await debug.getByRole('button', { name: 'Evaluate' }).click();
    await expect.poll(() => page.getByTestId('expression-error').textContent()).toContain('not available in the expression debugger');
    await shot(page, 'expression-debugger');

    await page.goto(`${base}/main/namespaces/${NS}/kv`);
    await table.getByRole('button', { name: 'Delete replicas' }).click();
    await expect.poll(() => page.getByText('No KV pairs in this namespace').count()).toBe(1);
    expect(tab.errors).toEqual([]);
  });
});
