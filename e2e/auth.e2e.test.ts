// End-to-end: signing in through the sign-in page, who am I and signing out in the shell, a lost
// session bringing the sign-in page back and then the page you were on, and a viewer refused an edit.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { api, authHeaders } from '@baton/testing';
import { launch, openPage, shot, signIn, type TrackedPage } from './lib/browser';

const NS = 'e2e.auth';
let base: string;
let browser: Browser;
let tab: TrackedPage;
const viewer = { email: 'viewer@e2e-auth.test', password: 'viewer-password' };

beforeAll(async () => {
  base = inject('apiUrl');
  const admin = api(authHeaders());
  expect((await admin.deploy(`id: guarded\nnamespace: ${NS}\ntasks:\n  - id: hello\n    type: io.kestra.plugin.core.log.Log\n    message: hi\n`)).status).toBeLessThan(300);
  const user = await admin.call('POST', '/api/v1/main/users', { ...viewer, name: 'Vera Viewer' });
  expect(user.status).toBe(201);
  expect((await admin.call('POST', '/api/v1/main/bindings', { subject: { type: 'USER', id: user.body.id }, role: 'VIEWER', namespace: NS })).status).toBe(201);
  browser = await launch();
  tab = await openPage(browser);
});

afterAll(async () => {
  await browser?.close();
});

describe('signing in', () => {
  it('sends a signed-out visitor to the sign-in page, then back to the page asked for', async () => {
    const { page } = tab;
    await page.goto(`${base}/main/flows/${NS}/guarded`);
    await page.waitForURL((url) => url.pathname === '/signin');
    expect(new URL(page.url()).searchParams.get('next')).toBe(`/main/flows/${NS}/guarded`);
    await page.getByLabel('E-mail').fill(viewer.email);
    await page.getByLabel('Password').fill('wrong-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'Wrong e-mail or password' }).waitFor();
    await shot(page, 'auth-01-signin-error');
    await page.getByLabel('Password').fill(viewer.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((url) => url.pathname === `/main/flows/${NS}/guarded`);
    await page.getByTestId('who-am-i').filter({ hasText: 'Vera Viewer' }).waitFor();
    await shot(page, 'auth-02-signed-in');
  });

  it("refuses a viewer's edit with the permission and namespace it lacks", async () => {
    const { page } = tab;
    await page.waitForSelector('[data-graph-ready]');
    await page.locator('[data-testid=flow-editor] .monaco-editor').click();
    // A real change (the message), made as a paste: one edit through the editor.
    await page.evaluate(() => {
      const ed = (
        window as unknown as { __batonEditor: { getValue(): string; getModel(): { getFullModelRange(): unknown }; executeEdits(source: string, edits: unknown[]): void } }
      ).__batonEditor;
      ed.executeEdits('paste', [{ range: ed.getModel().getFullModelRange(), text: ed.getValue().replace('message: hi', 'message: a viewer was here') }]);
    });
    await page.getByTestId('save-flow').click();
    // The editor saves through POST /flows; a viewer holds flows.write nowhere, and the toast says so.
    await page
      .getByText(/viewer@e2e-auth\.test lacks flows\.write in any namespace of tenant main/)
      .first()
      .waitFor();
    await shot(page, 'auth-03-viewer-refused');
    const revisions = await api(authHeaders()).call('GET', `/api/v1/main/flows/${NS}/guarded/revisions`);
    expect(revisions.body).toHaveLength(1);
  });

  it('brings the sign-in page back when the session ends, then returns to where you were', async () => {
    const { page, context } = tab;
    await page.goto(`${base}/main/executions`);
    await page.getByTestId('who-am-i').waitFor();
    // The session ends on the server (signed out elsewhere): the cookie is still in the browser.
    const cookie = (await context.cookies()).find((c) => c.name === 'baton_session')!;
    await fetch(`${base}/api/v1/auth/logout`, { method: 'POST', headers: { cookie: `baton_session=${cookie.value}` } });
    await page.reload();
    await page.waitForURL((url) => url.pathname === '/signin');
    expect(new URL(page.url()).searchParams.get('next')).toBe('/main/executions');
    await page.getByLabel('E-mail').fill(viewer.email);
    await page.getByLabel('Password').fill(viewer.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((url) => url.pathname === '/main/executions');
  });

  it('signs out from the shell', async () => {
    const { page } = tab;
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL((url) => url.pathname === '/signin');
    const res = await page.context().request.get(`${base}/api/v1/me`);
    expect(res.status()).toBe(401);
    expect(tab.errors.filter((e) => !/401|Unauthorized/.test(e))).toEqual([]);
  });
});
