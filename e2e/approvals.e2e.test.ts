// End-to-end: the Approvals inbox lists a waiting approval for an approver and not for the person
// who started the execution; the approver approves it from the inbox with a comment; the
// execution page shows the decision.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { api, authHeaders } from '@baton/testing';
import { launch, openPage, shot, signIn, type TrackedPage } from './lib/browser';

const NS = 'e2e.approvals';
let base: string;
let browser: Browser;
const requester = { email: 'requester@e2e-approvals.test', password: 'requester-password' };
const approver = { email: 'approver@e2e-approvals.test', password: 'approver-password' };
let executionId = '';

const FLOW = `id: change
namespace: ${NS}
tasks:
  - id: plan
    type: io.kestra.plugin.core.output.OutputValues
    values:
      servers: 2
  - id: approve
    type: io.kestra.plugin.core.flow.Pause
    approval:
      role: APPROVER
      description: |
        ## Change plan
        Add **{{ outputs.plan.values.servers }} servers** to the pool.
  - id: apply
    type: io.kestra.plugin.core.log.Log
    message: applied
`;

beforeAll(async () => {
  base = inject('apiUrl');
  const admin = api(authHeaders());
  expect((await admin.deploy(FLOW)).status).toBeLessThan(300);
  const tokens: Record<string, string> = {};
  for (const [who, role] of [
    [requester, 'OPERATOR'],
    [approver, 'APPROVER'],
  ] as const) {
    const user = await admin.call('POST', '/api/v1/main/users', who);
    expect(user.status).toBe(201);
    expect((await admin.call('POST', '/api/v1/main/bindings', { subject: { type: 'USER', id: user.body.id }, role, namespace: NS })).status).toBe(201);
    tokens[who.email] = (await admin.call('POST', `/api/v1/main/users/${user.body.id}/api-tokens`, { name: 'e2e' })).body.token;
  }
  const started = await api({ authorization: `Bearer ${tokens[requester.email]}` }).run(NS, 'change');
  expect(started.status).toBe(200);
  executionId = started.body.id;
  await admin.waitFor(executionId, ['PAUSED']);
  browser = await launch();
});

afterAll(async () => {
  await browser?.close();
});

describe('approvals', () => {
  it('the inbox does not list the requester their own execution', async () => {
    const tab: TrackedPage = await openPage(browser);
    await signIn(tab, base, requester.email, requester.password, '/main/approvals');
    await tab.page.getByText('Nothing waits for your approval').waitFor();
    expect(await tab.page.locator(`[data-execution="${executionId}"]`).count()).toBe(0);
    await shot(tab.page, 'approvals-01-requester-inbox');
    expect(tab.errors).toEqual([]);
    await tab.context.close();
  });

  it('the approver sees it in the inbox with the rendered plan, approves with a comment, and the execution page shows the decision', async () => {
    const tab: TrackedPage = await openPage(browser);
    const { page } = tab;
    await signIn(tab, base, approver.email, approver.password, '/main/approvals');
    const card = page.locator(`[data-testid=approval-card][data-execution="${executionId}"]`);
    await card.waitFor();
    await card.getByRole('heading', { name: 'Change plan' }).waitFor();
    expect(await card.locator('strong').filter({ hasText: '2 servers' }).count()).toBe(1);
    expect(await card.textContent()).toContain(`Requested by ${requester.email}`);
    await shot(page, 'approvals-02-approver-inbox');
    await card.getByTestId('approval-comment').fill('capacity checked');
    await card.getByTestId('approval-approve').click();
    await card.waitFor({ state: 'detached' });

    await page.goto(`${base}/main/executions/${executionId}`);
    await page.locator('[data-testid=execution-state] [data-state=SUCCESS]').waitFor({ timeout: 30_000 });
    const outcome = page.getByTestId('approval-outcome');
    await outcome.getByTestId('approval-decision').filter({ hasText: 'APPROVED' }).waitFor();
    const decisions = await outcome.getByTestId('approval-decisions').textContent();
    expect(decisions).toContain(`Approved by ${approver.email}`);
    expect(decisions).toContain('capacity checked');
    await shot(page, 'approvals-03-execution-decision');
    expect(tab.errors).toEqual([]);
    await tab.context.close();
  });
});
