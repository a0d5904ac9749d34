// End-to-end: Kestra's input features in the run form (prefill, dependsOn, a default rendered from
// an earlier input) and a Dag drawn from its dependsOn, run from the UI to SUCCESS.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { api } from './lib/api';
import { launch, openPage, shot, signIn, type TrackedPage } from './lib/browser';

const NS = 'e2e.parity';
let base: string;
let browser: Browser;
let tab: TrackedPage;
let page: Page;

const FLOW = `id: dag-inputs
namespace: ${NS}
inputs:
  - id: cloud
    type: SELECT
    values: [aws, gcp]
    prefill: gcp
  - id: region
    type: STRING
    dependsOn:
      inputs: [cloud]
      condition: "{{ inputs.cloud == 'aws' }}"
  - id: zone
    type: STRING
    defaults: "{{ inputs.region }}-a"
    dependsOn:
      inputs: [region]
tasks:
  - id: dag
    type: io.kestra.plugin.core.flow.Dag
    tasks:
      - task:
          id: fetch
          type: io.kestra.plugin.core.debug.Return
          format: "{{ inputs.cloud }}"
      - task:
          id: left
          type: io.kestra.plugin.core.debug.Return
          format: "{{ inputs.zone ?? 'no zone' }}"
        dependsOn: [fetch]
      - task:
          id: right
          type: io.kestra.plugin.core.log.Log
          message: right
        dependsOn: [fetch]
      - task:
          id: join
          type: io.kestra.plugin.core.log.Log
          message: "{{ outputs.left.value }}"
        dependsOn: [left, right]
`;

beforeAll(async () => {
  base = inject('apiUrl');
  browser = await launch();
  tab = await openPage(browser);
  page = tab.page;
  await signIn(tab, base, inject('adminEmail'), inject('adminPassword'));
});

afterAll(async () => {
  await browser?.close();
});

describe('Kestra parity in the UI', () => {
  it('the form shows an input once its condition holds, renders a dependent default; the Dag runs and draws its dependencies', async () => {
    await api('POST', '/api/v1/main/flows', FLOW, 'application/x-yaml');
    await page.goto(`${base}/main/flows/${NS}/dag-inputs`);
    // The topology: edges follow dependsOn (fetch fans out to left and right, which join).
    for (const edge of ['fetch->left', 'fetch->right', 'left->join', 'right->join']) {
      await page.locator(`[data-testid=flow-graph] [data-testid="rf__edge-${edge}"]`).waitFor({ state: 'attached' });
    }
    await page.getByTestId('execute-flow').click();
    const dialog = page.getByTestId('execute-dialog');
    await dialog.locator('#exec-cloud').waitFor();
    // prefill fills the control; region's condition is false, so it is not shown.
    expect(await dialog.locator('#exec-cloud').inputValue()).toBe('gcp');
    expect(await dialog.locator('#exec-region').count()).toBe(0);
    await dialog.locator('#exec-cloud').selectOption('aws');
    await dialog.locator('#exec-region').waitFor();
    await dialog.locator('#exec-region').fill('eu-west-1');
    await dialog.locator('#exec-region').blur();
    await expect.poll(() => dialog.textContent()).toContain('Default: eu-west-1-a');
    await shot(page, 'parity-inputs-form');
    await page.getByTestId('execute-submit').click();
    await page.waitForURL(/\/main\/executions\/[A-Za-z0-9]+$/);
    for (const task of ['fetch', 'left', 'right', 'join']) {
      await page.locator(`[data-testid=flow-graph] [data-task-id=${task}][data-state=SUCCESS]`).waitFor({ timeout: 30_000 });
    }
    const id = page.url().split('/').pop();
    const done = await api('GET', `/api/v1/main/executions/${id}`);
    expect(done.state.current).toBe('SUCCESS');
    expect(done.taskRunList.find((t: { taskId: string }) => t.taskId === 'left').outputs.value).toBe('eu-west-1-a');
    await shot(page, 'parity-dag-execution');
    expect(tab.errors, `console errors on the page:\n${tab.errors.join('\n')}`).toEqual([]);
  });
});
