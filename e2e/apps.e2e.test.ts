// End-to-end: Apps (docs/apps.md). A requester with no role at all opens an App from the catalog,
// fills the flow's inputs in its form, watches the RUNNING stage and then the SUCCESS stage with the
// outputs; an approver rejects an approval that requires a comment from the App; a PUBLIC app opens
// in a browser that never signed in; an editor sees the editor's live preview and a mistake at its
// line and column.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { api } from './lib/api';
import { launch, openPage, shot, signIn } from './lib/browser';

const NS = 'e2e.apps.team';
let base: string;
let browser: Browser;

const FLOW = `id: provision
namespace: ${NS}
inputs:
  - id: hostname
    type: STRING
    displayName: Host name
  - id: cpus
    type: INT
    defaults: 2
tasks:
  - id: work
    type: io.kestra.plugin.core.flow.Sleep
    duration: PT3S
  - id: make
    type: io.kestra.plugin.core.output.OutputValues
    values:
      ip: "10.1.0.{{ inputs.cpus }}"
outputs:
  - id: ip
    value: "{{ outputs.make.values.ip }}"
  - id: host
    value: "{{ inputs.hostname }}"
`;

const app = (id: string, access: string) => `id: ${id}
type: io.kestra.plugin.ee.apps.Execution
displayName: Request a VM (${id})
description: Ask for a machine; it is ready in seconds.
namespace: ${NS}
flowId: provision
tags: [infra]
access:
  type: ${access}
layout:
  - on: OPEN
    blocks:
      - type: io.kestra.plugin.ee.apps.core.blocks.Markdown
        content: "Fill in **the host name**."
      - type: io.kestra.plugin.ee.apps.execution.blocks.CreateExecutionForm
      - type: io.kestra.plugin.ee.apps.execution.blocks.CreateExecutionButton
        text: Request it
        style: SUCCESS
  - on: RUNNING
    blocks:
      - type: io.kestra.plugin.ee.apps.core.blocks.Markdown
        content: Provisioning your VM…
      - type: io.kestra.plugin.ee.apps.core.blocks.Loading
  - on: SUCCESS
    blocks:
      - type: io.kestra.plugin.ee.apps.core.blocks.Alert
        style: SUCCESS
        content: Your VM is ready.
      - type: io.kestra.plugin.ee.apps.execution.blocks.Outputs
`;

// An approval that needs a comment to reject, and an App to request it and decide it.
const GATED = `id: change
namespace: ${NS}
inputs:
  - id: what
    type: STRING
tasks:
  - id: approve
    type: io.kestra.plugin.core.flow.Pause
    approval:
      role: APPROVER
      commentRequired: [REJECT]
  - id: apply
    type: io.kestra.plugin.core.log.Log
    message: "applying {{ inputs.what }}"
`;
const GATED_APP = `id: change-request
type: io.kestra.plugin.ee.apps.Execution
displayName: Request a change
namespace: ${NS}
flowId: change
access:
  type: PRIVATE
layout:
  - on: OPEN
    blocks:
      - type: io.kestra.plugin.ee.apps.execution.blocks.CreateExecutionForm
      - type: io.kestra.plugin.ee.apps.execution.blocks.CreateExecutionButton
        text: Ask for it
  - on: PAUSE
    blocks:
      - type: io.kestra.plugin.ee.apps.core.blocks.Markdown
        content: Waiting for an approver.
      - type: io.kestra.plugin.ee.apps.execution.blocks.ResumeExecutionButton
        text: Approve
      - type: io.kestra.plugin.ee.apps.execution.blocks.CancelExecutionButton
        text: Reject
  - on: FAILURE
    blocks:
      - type: io.kestra.plugin.ee.apps.core.blocks.Alert
        style: ERROR
        content: The change was not made.
`;

beforeAll(async () => {
  base = inject('apiUrl');
  await api('POST', '/api/v1/main/flows', GATED, 'application/x-yaml');
  await api('POST', '/api/v1/main/apps', GATED_APP, 'application/x-yaml');
  const approver = await api('POST', '/api/v1/main/users', { email: 'approver@apps.e2e', password: 'approver-password' });
  await api('POST', '/api/v1/main/bindings', { subject: { type: 'USER', id: approver.id }, role: 'APPROVER', namespace: NS });
  browser = await launch();
  await api('POST', '/api/v1/main/flows', FLOW, 'application/x-yaml');
  await api('POST', '/api/v1/main/apps', app('vm-request', 'PRIVATE'), 'application/x-yaml');
  await api('POST', '/api/v1/main/apps', app('vm-public', 'PUBLIC'), 'application/x-yaml');
  // A person with no role anywhere: only the apps let them start the flow.
  await api('POST', '/api/v1/main/users', { email: 'requester@apps.e2e', password: 'requester-password' });
});

/** Polls the execution until it is in `state` (or ended otherwise), no fixed sleeps. */
async function waitForState(id: string, state: string) {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const execution = await api('GET', `/api/v1/main/executions/${id}`);
    if (execution.state.current === state || ['SUCCESS', 'FAILED', 'KILLED', 'CANCELLED', 'WARNING'].includes(execution.state.current)) return execution;
    if (Date.now() > deadline) throw new Error(`execution ${id} stayed ${execution.state.current}, waiting for ${state}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

afterAll(async () => {
  await browser?.close();
});

describe('apps in the UI', () => {
  it('a requester with no editor rights runs an App from the catalog and sees RUNNING, then SUCCESS with outputs', async () => {
    const tab = await openPage(browser);
    const { page } = tab;
    await signIn(tab, base, 'requester@apps.e2e', 'requester-password', '/main/apps');
    const card = page.getByTestId('app-card-vm-request');
    await card.waitFor();
    expect(await page.getByTestId('apps-managed').count()).toBe(0); // they edit nothing
    await shot(page, 'apps-catalog');
    await card.click();
    await page.waitForURL(/\/app\/main\/vm-request$/);
    await page.getByText('the host name').waitFor();

    // The form validates like the server: a required input left empty is refused in the page.
    await page.getByTestId('app-submit').click();
    await expect.poll(() => page.getByTestId('app-page').textContent()).toMatch(/required/i);
    await page.locator('#app-hostname').fill('web-42');
    await page.locator('#app-cpus').fill('7');
    await shot(page, 'app-open');
    await page.getByTestId('app-submit').click();

    await page.waitForURL(/\?execution=/);
    await page.locator('[data-testid=app-page][data-stage=RUNNING]').waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('app-page').textContent()).toContain('Provisioning your VM');
    await shot(page, 'app-running');
    await page.locator('[data-testid=app-page][data-stage=SUCCESS]').waitFor({ timeout: 30_000 });
    const outputs = page.getByTestId('app-outputs');
    await expect.poll(() => outputs.textContent()).toContain('10.1.0.7');
    expect(await outputs.textContent()).toContain('web-42');
    expect(await page.getByTestId('app-page').textContent()).toContain('Your VM is ready.');
    await shot(page, 'app-success');

    // The execution carries the app's label and who asked for it.
    const executionId = new URL(page.url()).searchParams.get('execution')!;
    const execution = await api('GET', `/api/v1/main/executions/${executionId}`);
    expect(execution.labels).toEqual(expect.arrayContaining([{ key: 'system.app', value: 'vm-request' }]));
    expect(execution.triggeredBy).toBe('requester@apps.e2e');
    expect(tab.errors).toEqual([]);
    await tab.context.close();
  });

  it('a PUBLIC app opens and runs without signing in; a PRIVATE one sends the visitor to sign in', async () => {
    const tab = await openPage(browser);
    const { page } = tab;
    await page.goto(`${base}/app/main/vm-public`);
    await page.locator('#app-hostname').fill('anon-1');
    await page.getByTestId('app-submit').click();
    await page.locator('[data-testid=app-page][data-stage=SUCCESS]').waitFor({ timeout: 30_000 });
    await expect.poll(() => page.getByTestId('app-outputs').textContent()).toContain('anon-1');

    await page.goto(`${base}/app/main/vm-request`);
    await page.waitForURL(/\/signin/);
    expect(tab.errors.filter((e) => !/401/.test(e))).toEqual([]);
    await tab.context.close();
  });

  it('an approver rejects from the App: a rejection that needs a comment is refused in the field, then recorded with it', async () => {
    // Started from the App (an App shows only its own executions).
    const execution = await api('POST', '/api/v1/main/apps/change-request/executions', { what: 'open port 22' });
    const paused = await waitForState(execution.id, 'PAUSED');
    expect(paused.state.current).toBe('PAUSED');
    const tab = await openPage(browser);
    const { page } = tab;
    await signIn(tab, base, 'approver@apps.e2e', 'approver-password', `/app/main/change-request?execution=${execution.id}`);
    await page.locator('[data-testid=app-page][data-stage=PAUSE]').waitFor({ timeout: 30_000 });
    await page.getByTestId('app-reject').click();
    // commentRequired: [REJECT] → the server's 400 shows under the comment field; nothing was decided.
    await expect.poll(() => page.getByTestId('app-page').textContent()).toMatch(/comment is required to reject/);
    expect((await api('GET', `/api/v1/main/executions/${execution.id}`)).state.current).toBe('PAUSED');
    await page.getByTestId('app-reject-comment').fill('port 22 stays closed');
    await shot(page, 'app-reject-comment');
    await page.getByTestId('app-reject').click();
    await page.locator('[data-testid=app-page][data-stage=FAILURE]').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('app-page').textContent()).toContain('The change was not made.');
    const done = await waitForState(execution.id, 'CANCELLED');
    const gate = done.taskRunList.find((t: { taskId: string }) => t.taskId === 'approve');
    expect(gate.outputs).toMatchObject({ decision: 'REJECTED', comment: 'port 22 stays closed' });
    expect(done.taskRunList.some((t: { taskId: string }) => t.taskId === 'apply')).toBe(false);
    expect(tab.errors.filter((e) => !/400/.test(e))).toEqual([]);
    await tab.context.close();
  });

  it('the editor previews each stage and points at a mistake by line and column', async () => {
    const tab = await openPage(browser);
    const { page } = tab;
    await signIn(tab, base, inject('adminEmail'), inject('adminPassword'), '/main/apps/vm-request/edit');
    const preview = page.getByTestId('app-preview');
    await expect.poll(() => preview.textContent()).toContain('Request a VM (vm-request)');
    await preview.locator('#app-hostname').waitFor(); // the flow's inputs, as the form shows them
    await preview.getByRole('button', { name: 'SUCCESS' }).click();
    await expect.poll(() => preview.textContent()).toContain('Your VM is ready.');
    await shot(page, 'app-editor');

    await page.locator('.monaco-editor').first().click();
    await page.keyboard.press('Control+Home');
    await page.keyboard.type('bogus: 1\n');
    await expect.poll(() => page.getByTestId('app-problems').textContent()).toContain("Line 1, column 1: unknown key 'bogus'");
    expect(tab.errors).toEqual([]);
    await tab.context.close();
  });
});
