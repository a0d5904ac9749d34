// End-to-end: the Administration section — give a role through the form, create an API token
// (shown once) and find both in the audit log with the before/after view.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { api, authHeaders } from '@baton/testing';
import { launch, openPage, shot, signIn, type TrackedPage } from './lib/browser';

let base: string;
let browser: Browser;
let tab: TrackedPage;

beforeAll(async () => {
  base = inject('apiUrl');
  expect((await api(authHeaders()).call('POST', '/api/v1/main/users', { email: 'oscar@e2e-admin.test', password: 'oscar-password', name: 'Oscar' })).status).toBe(201);
  browser = await launch();
  tab = await openPage(browser);
  await signIn(tab, base, inject('adminEmail'), inject('adminPassword'), '/main/admin');
});

afterAll(async () => {
  await browser?.close();
});

describe('administration', () => {
  it('gives a user a role at a namespace through the form', async () => {
    const { page } = tab;
    await page.getByRole('tab', { name: 'Role bindings' }).click();
    await page.getByLabel('User', { exact: true }).selectOption({ label: 'oscar@e2e-admin.test' });
    await page.getByLabel('Role', { exact: true }).selectOption('OPERATOR');
    await page.getByLabel('Namespace', { exact: true }).fill('e2e.admin');
    await page.getByRole('button', { name: 'Give role' }).click();
    await page.getByRole('row').filter({ hasText: 'oscar@e2e-admin.test' }).filter({ hasText: 'e2e.admin' }).waitFor();
    await shot(page, 'admin-01-bindings');
    const bindings = await api(authHeaders()).call('GET', '/api/v1/main/bindings');
    expect(bindings.body.some((b: any) => b.role === 'OPERATOR' && b.namespace === 'e2e.admin')).toBe(true);
  });

  it('creates an API token, shown once, that works as Bearer', async () => {
    const { page } = tab;
    await page.getByRole('tab', { name: 'My API tokens' }).click();
    await page.getByLabel('Name', { exact: true }).fill('from the ui');
    await page.getByRole('button', { name: 'Create token' }).click();
    const token = await page.getByTestId('new-token').textContent();
    expect(token).toMatch(/^baton_/);
    const me = await fetch(`${base}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(me.status).toBe(200);
    await page.getByRole('row').filter({ hasText: 'from the ui' }).waitFor();
  });

  it('shows both in the audit log, filtered, with the before/after view', async () => {
    const { page } = tab;
    await page.getByRole('tab', { name: 'Audit log' }).click();
    await page.getByLabel('Action', { exact: true }).fill('binding.created');
    await page.getByRole('button', { name: 'Filter' }).click();
    const row = page.getByRole('row').filter({ hasText: 'binding.created' }).first();
    await row.waitFor();
    await row.click();
    await page.getByLabel('After').filter({ hasText: 'OPERATOR' }).waitFor();
    await shot(page, 'admin-02-audit');
    expect(tab.errors).toEqual([]);
  });
});
