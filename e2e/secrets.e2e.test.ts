// End-to-end: a person stores a namespace secret in the UI (write-only: the value never comes back
// to the browser), a flow uses it and sees it masked, the value is replaced, and an inherited one
// is shown as such.
import { describe, expect, inject, it } from 'vitest';
import { api } from './lib/api';
import { shot, useSignedInBrowser } from './lib/browser';

const NS = 'e2e.secrets.team';
const VALUE = 'sk-e2e-7f3a9c1d';
const session = useSignedInBrowser();

describe('secrets in the UI', () => {
  it('stores a secret write-only, a flow reads it masked, and its value can be replaced, never read', async () => {
    const { base, page, tab } = session;
    // A parent's secret is inherited by the namespace (closest wins).
    await api('PUT', '/api/v1/main/namespaces/e2e.secrets/secrets', { key: 'PARENT_TOKEN', value: 'from-the-parent', description: 'set on the parent' });

    await page.goto(`${base}/main/namespaces/${NS}/secrets`);
    await page.getByRole('heading', { name: `Secrets · ${NS}` }).waitFor();
    const table = page.getByTestId('secrets-table');
    await expect.poll(() => table.textContent()).toContain('PARENT_TOKEN');
    expect(await table.textContent()).toContain('e2e.secrets (inherited)');

    await page.getByRole('button', { name: 'Add a secret' }).click();
    const dialog = page.getByTestId('secret-dialog');
    await dialog.getByLabel('Name').fill('E2E_TOKEN');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => dialog.textContent()).toContain('Enter the value to store');
    await dialog.getByLabel('Value').fill(VALUE);
    await dialog.getByLabel('Description').fill('the deploy token');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => table.textContent()).toContain('E2E_TOKEN');
    expect(await table.textContent()).toContain('the deploy token');
    expect(await table.textContent()).toContain(`by ${inject('adminEmail')}`);
    expect(await page.content()).not.toContain(VALUE);
    const listed = await api('GET', `/api/v1/main/namespaces/${NS}/secrets`);
    expect(JSON.stringify(listed)).not.toContain(VALUE);
    await shot(page, 'secrets');

    await api(
      'POST',
      '/api/v1/main/flows',
      `id: uses-secret\nnamespace: ${NS}\ntasks:\n  - id: log\n    type: io.kestra.plugin.core.log.Log\n    message: "token={{ secret('E2E_TOKEN') }} length={{ secret('E2E_TOKEN') | length }}"\n`,
      'application/x-yaml',
    );
    const run = async () => {
      const started = await api('POST', `/api/v1/main/executions/${NS}/uses-secret`, {});
      await expect.poll(async () => (await api('GET', `/api/v1/main/executions/${started.id}`)).state.current, { timeout: 30_000 }).toBe('SUCCESS');
      return JSON.stringify(await api('GET', `/api/v1/main/logs/${started.id}`));
    };
    const logs = await run();
    expect(logs).toContain(`length=${VALUE.length}`);
    expect(logs).not.toContain(VALUE);

    // Replacing: the dialog starts empty (the stored value is never sent back), a new value is stored.
    await table.getByRole('button', { name: 'Replace value' }).click();
    expect(await dialog.getByLabel('Value').inputValue()).toBe('');
    await dialog.getByLabel('Value').fill('short');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => page.getByTestId('secret-dialog').count()).toBe(0);
    expect(await run()).toContain('length=5');

    await table.getByRole('button', { name: 'Delete E2E_TOKEN' }).click();
    await expect.poll(async () => (await table.textContent()) ?? '').not.toContain('E2E_TOKEN');
    expect(tab.errors).toEqual([]);
  });
});
