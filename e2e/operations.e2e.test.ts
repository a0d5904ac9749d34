// End-to-end: the operations controls together, as issue #9 tells the story. A requester with no
// role opens an App, fills its form, and the execution waits for a two-person approval; the
// requester is offered no approve button; two approvers approve from their inbox; the requester
// sees the outputs on the App. Then a KILL switch on the namespace refuses a new request through
// the App (the page says which switch and why) and through the API; lifting it lets the App run.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { api, authHeaders } from '@baton/testing';
import { launch, openPage, shot, signIn, type TrackedPage } from './lib/browser';

const NS = 'e2e.operations';
let base: string;
let browser: Browser;
const requester = { email: 'requester@e2e-ops.test', password: 'requester-password' };
const approvers = [
  { email: 'anna@e2e-ops.test', password: 'anna-password' },
  { email: 'bruno@e2e-ops.test', password: 'bruno-password' },
];

const FLOW = `id: vm-change
namespace: ${NS}
inputs:
  - id: hostname
    type: STRING
    displayName: Host name
tasks:
  - id: plan
    type: io.kestra.plugin.core.output.OutputValues
    values:
      size: "4 vCPU for {{ inputs.hostname }}"
  - id: approve
    type: io.kestra.plugin.core.flow.Pause
    approval:
      role: APPROVER
      required: 2
      description: "Create **{{ outputs.plan.values.size }}**"
  - id: build
    type: io.kestra.plugin.core.output.OutputValues
    values:
      ip: "10.9.0.7"
outputs:
  - id: ip
    value: "{{ outputs.build.values.ip }}"
  - id: approvedBy
    value: "{{ outputs.approve.approvers | join(',') }}"
`;

const APP = `id: vm-change-app
type: io.kestra.plugin.ee.apps.Execution
displayName: Change a VM
namespace: ${NS}
flowId: vm-change
access:
  type: PRIVATE
layout:
  - on: OPEN
    blocks:
      - type: io.kestra.plugin.ee.apps.execution.blocks.CreateExecutionForm
      - type: io.kestra.plugin.ee.apps.execution.blocks.CreateExecutionButton
        text: Request the change
  - on: PAUSE
    blocks:
      - type: io.kestra.plugin.ee.apps.core.blocks.Markdown
        content: Waiting for two approvals.
      - type: io.kestra.plugin.ee.apps.execution.blocks.ResumeExecutionButton
        text: Approve
      - type: io.kestra.plugin.ee.apps.execution.blocks.CancelExecutionButton
        text: Reject
  - on: SUCCESS
    blocks:
      - type: io.kestra.plugin.ee.apps.core.blocks.Alert
        style: SUCCESS
        content: Done.
      - type: io.kestra.plugin.ee.apps.execution.blocks.Outputs
`;

beforeAll(async () => {
  base = inject('apiUrl');
  const admin = api(authHeaders());
  expect((await admin.deploy(FLOW)).status).toBeLessThan(300);
  const created = await admin.call('POST', '/api/v1/main/apps', APP, 'application/x-yaml');
  expect(created.status, JSON.stringify(created.body)).toBeLessThan(300);
  // The requester has no role at all: the App is their only way in.
  expect((await admin.call('POST', '/api/v1/main/users', requester)).status).toBe(201);
  for (const who of approvers) {
    const user = await admin.call('POST', '/api/v1/main/users', who);
    expect(user.status).toBe(201);
    expect((await admin.call('POST', '/api/v1/main/bindings', { subject: { type: 'USER', id: user.body.id }, role: 'APPROVER', namespace: NS })).status).toBe(201);
  }
  browser = await launch();
});

afterAll(async () => {
  await browser?.close();
});

/** On the requester's signed-in tab: opens the App, fills the form and sends it. */
async function request(tab: TrackedPage, hostname: string): Promise<void> {
  const { page } = tab;
  await page.goto(`${base}/app/main/vm-change-app`);
  await page.locator('#app-hostname').fill(hostname);
  await page.getByTestId('app-submit').click();
}

describe('operations controls', () => {
  it('an App request waits for two approvers; the requester cannot approve; the approvers approve from the inbox; the requester sees the outputs', async () => {
    const mine = await openPage(browser);
    await signIn(mine, base, requester.email, requester.password, '/main/apps');
    await request(mine, 'db-7');
    await mine.page.waitForURL(/\?execution=/);
    const executionId = new URL(mine.page.url()).searchParams.get('execution')!;
    await mine.page.locator('[data-testid=app-page][data-stage=PAUSE]').waitFor({ timeout: 30_000 });
    expect(await mine.page.getByTestId('app-page').textContent()).toContain('Waiting for two approvals.');
    // The requester may not decide on their own request: no approve or reject button.
    expect(await mine.page.getByTestId('app-approve').count()).toBe(0);
    expect(await mine.page.getByTestId('app-reject').count()).toBe(0);
    await shot(mine.page, 'operations-01-requester-waits');

    for (const [i, who] of approvers.entries()) {
      const tab = await openPage(browser);
      await signIn(tab, base, who.email, who.password, '/main/approvals');
      const card = tab.page.locator(`[data-testid=approval-card][data-execution="${executionId}"]`);
      await card.waitFor();
      expect(await card.locator('strong').filter({ hasText: '4 vCPU for db-7' }).count()).toBe(1);
      if (i === 0) await shot(tab.page, 'operations-02-approver-inbox');
      await card.getByTestId('approval-comment').fill(`ok from ${who.email}`);
      await card.getByTestId('approval-approve').click();
      await card.waitFor({ state: 'detached' });
      expect(tab.errors).toEqual([]);
      await tab.context.close();
    }

    await mine.page.locator('[data-testid=app-page][data-stage=SUCCESS]').waitFor({ timeout: 30_000 });
    const outputs = mine.page.getByTestId('app-outputs');
    await expect.poll(() => outputs.textContent()).toContain('10.9.0.7');
    expect(await outputs.textContent()).toContain(`${approvers[0].email},${approvers[1].email}`);
    await shot(mine.page, 'operations-03-requester-outputs');
    expect(mine.errors).toEqual([]);
    await mine.context.close();
  });

  it('a KILL switch on the namespace refuses a request through the App and the API; lifting it lets the App run again', async () => {
    const admin = api(authHeaders());
    const set = await admin.call('POST', '/api/v1/main/kill-switches', { scope: { namespace: NS }, mode: 'KILL', reason: 'e2e change freeze' });
    expect(set.status, JSON.stringify(set.body)).toBe(201);

    const viaApi = await admin.run(NS, 'vm-change', { hostname: 'api-1' });
    expect(viaApi.status).toBe(409);
    expect(JSON.stringify(viaApi.body)).toContain('e2e change freeze');

    const mine = await openPage(browser);
    await signIn(mine, base, requester.email, requester.password, '/main/apps');
    await request(mine, 'frozen-1');
    await mine.page.locator('[data-testid=app-page][data-stage=ERROR]').waitFor({ timeout: 20_000 });
    expect(await mine.page.getByTestId('app-page').textContent()).toContain('e2e change freeze');
    await shot(mine.page, 'operations-04-app-refused-by-switch');

    expect((await admin.call('DELETE', `/api/v1/main/kill-switches/${set.body.id}`)).status).toBeLessThan(300);
    await request(mine, 'thawed-1');
    await mine.page.waitForURL(/\?execution=/);
    await mine.page.locator('[data-testid=app-page][data-stage=PAUSE]').waitFor({ timeout: 30_000 });
    expect(mine.errors.filter((e) => !/409/.test(e))).toEqual([]);
    await mine.context.close();
  });
});
