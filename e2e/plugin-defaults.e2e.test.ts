// End-to-end: a person edits a namespace's plugin defaults through the form, sees a located error
// in the YAML view, finds the revision in the history, and the flow editor shows what the
// defaults supply; an execution started afterwards uses them.
import { describe, expect, it } from 'vitest';
import { api } from './lib/api';
import { shot, useSignedInBrowser } from './lib/browser';

const NS = 'e2e.defaults';
const session = useSignedInBrowser();

const FLOW = `id: uses-defaults
namespace: ${NS}.team
tasks:
  - id: answer
    type: io.kestra.plugin.core.debug.Return
`;

describe('namespace plugin defaults in the UI', () => {
  it('adds a default through the form, and an execution uses it', async () => {
    const { base, page, tab } = session;
    await page.goto(`${base}/main/namespaces/${NS}/plugin-defaults`);
    await page.getByRole('heading', { name: `Plugin defaults · ${NS}` }).waitFor();
    await page.getByRole('button', { name: 'Add a default' }).click();
    const entry = page.getByTestId('defaults-entry').first();
    await entry.getByLabel('Plugin type').fill('io.kestra.plugin.core.debug.Return');
    await entry.getByLabel('Add a property').selectOption('format');
    await entry.getByLabel('format', { exact: true }).fill('from the namespace form');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Saved revision 1').waitFor();
    await shot(page, 'plugin-defaults-form');

    await api('POST', '/api/v1/main/flows', FLOW, 'application/x-yaml');
    const started = await api('POST', `/api/v1/main/executions/${NS}.team/uses-defaults`, {});
    await expect.poll(async () => (await api('GET', `/api/v1/main/executions/${started.id}`)).state.current, { timeout: 30_000 }).toBe('SUCCESS');
    const done = await api('GET', `/api/v1/main/executions/${started.id}`);
    expect(done.taskRunList.find((t: { taskId: string }) => t.taskId === 'answer').outputs.value).toBe('from the namespace form');
    expect(tab.errors).toEqual([]);
  });

  it('shows a YAML mistake at its line, keeps the text, and lists revisions with a diff', async () => {
    const { page, tab } = session;
    await page.getByRole('tab', { name: /YAML/ }).click();
    const yaml = page.getByTestId('defaults-yaml');
    await expect.poll(() => yaml.inputValue()).toContain('from the namespace form');
    await yaml.fill('- type: io.kestra.plugin.core.debug.Return\n  values:\n    formatt: typo\n');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect
      .poll(() => page.getByTestId('defaults-errors').textContent())
      .toContain("3:5 'io.kestra.plugin.core.debug.Return' has no property 'formatt'; did you mean 'format'?");
    expect(await yaml.inputValue()).toContain('formatt: typo');

    await yaml.fill('- type: io.kestra.plugin.core.debug.Return\n  values:\n    format: second\n');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Saved revision 2').waitFor();
    await page.getByRole('tab', { name: /History/ }).click();
    const diff = page.getByTestId('defaults-diff');
    await expect.poll(() => diff.textContent()).toContain('+     format: second');
    expect(await diff.textContent()).toContain('-     format: from the namespace form');
    await shot(page, 'plugin-defaults-history');
    expect(tab.errors).toEqual([]);
  });

  it('the flow editor lists the properties defaults supply', async () => {
    const { base, page, tab } = session;
    await page.goto(`${base}/main/flows/${NS}.team/uses-defaults`);
    const supplied = page.getByTestId('supplied-defaults');
    await supplied.getByRole('button').first().click();
    await expect.poll(() => supplied.textContent()).toContain(`answer.format from namespace ${NS}`);
    await shot(page, 'plugin-defaults-editor');
    expect(tab.errors).toEqual([]);
  });
});
