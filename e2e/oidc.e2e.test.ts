// End-to-end: "Sign in with Keycloak" on the sign-in page, through a real local OIDC provider and
// back to the page asked for, signed in; and the sign-in page naming the problem when the provider
// refuses Baton's client secret. A web app of its own, configured for that provider.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { api, startOidcServer } from '@baton/testing';
// @ts-expect-error plain ESM helper shared with npm start
import * as stack from '../scripts/lib/stack.mjs';
import { launch, openPage, shot } from './lib/browser';

const CLIENT = { clientId: 'baton-e2e', clientSecret: 'e2e-oidc-client-secret' };
let oidc: Awaited<ReturnType<typeof startOidcServer>>;
let web: { url: string; child: unknown };
let browser: Browser;

beforeAll(async () => {
  oidc = await startOidcServer({ ...CLIENT, user: { sub: 'e2e-dora', email: 'dora@e2e-oidc.test', email_verified: true, name: 'Dora Dex', groups: ['e2e-platform'] } });
  const env = JSON.parse(fs.readFileSync(path.join(inject('dataDir'), 'worker-env.json'), 'utf8'));
  const port = await stack.freePort();
  web = await stack.startWeb({
    port,
    env: {
      ...env,
      BATON_ADMIN_EMAIL: inject('adminEmail'),
      BATON_ADMIN_PASSWORD: inject('adminPassword'),
      BATON_PUBLIC_URL: `http://127.0.0.1:${port}`,
      BATON_OIDC_ISSUER: oidc.issuer,
      BATON_OIDC_CLIENT_ID: CLIENT.clientId,
      BATON_OIDC_CLIENT_SECRET: CLIENT.clientSecret,
      BATON_OIDC_NAME: 'Keycloak',
    },
    quiet: true,
    logFile: path.join(stack.root, 'test-results/web-oidc-e2e.log'),
  });
  // The group the claim names exists with a Viewer binding, so the flows page has something to show.
  const admin = api();
  expect((await admin.deploy('id: hello\nnamespace: e2e.oidc\ntasks:\n  - id: log\n    type: io.kestra.plugin.core.log.Log\n    message: hi\n')).status).toBeLessThan(300);
  expect((await admin.call('POST', '/api/v1/main/groups', { id: 'e2e-platform' })).status).toBe(201);
  expect((await admin.call('POST', '/api/v1/main/bindings', { subject: { type: 'GROUP', id: 'e2e-platform' }, role: 'VIEWER', namespace: 'e2e.oidc' })).status).toBe(201);
  browser = await launch();
}, 240_000);

afterAll(async () => {
  await browser?.close();
  if (web) await stack.stopProcess(web.child);
  await oidc?.close();
});

describe('signing in with OIDC', () => {
  it('"Sign in with Keycloak" goes through the provider and back to the page asked for, signed in', async () => {
    const tab = await openPage(browser);
    const { page } = tab;
    await page.goto(`${web.url}/main/flows`);
    await page.waitForURL((url) => url.pathname === '/signin');
    const button = page.getByRole('button', { name: 'Sign in with Keycloak' });
    await button.waitFor();
    await shot(page, 'oidc-01-signin-page');
    await button.click();
    await page.waitForURL((url) => url.pathname === '/main/flows');
    await page.getByTestId('who-am-i').getByText('dora@e2e-oidc.test').waitFor();
    // The claim's group carries a Viewer binding: the flow list shows what it gives.
    await page.getByText('e2e.oidc').first().waitFor();
    await shot(page, 'oidc-02-signed-in');
    const cookies = await tab.context.cookies(web.url);
    expect(cookies.map((c) => c.name)).toContain('baton_session');
    expect(cookies.map((c) => c.name)).not.toContain('next-auth.session-token');
    expect(tab.errors).toEqual([]);
    await tab.context.close();
  });

  it('shows why when the provider refuses the client secret', async () => {
    oidc.state.clientSecret = 'rotated-at-the-provider';
    try {
      const tab = await openPage(browser);
      const { page } = tab;
      await page.goto(`${web.url}/signin?next=${encodeURIComponent('/main/flows')}`);
      await page.getByRole('button', { name: 'Sign in with Keycloak' }).click();
      await page.waitForURL((url) => url.pathname === '/signin' && url.searchParams.get('error') === 'oidc-failed');
      await page.getByRole('alert').filter({ hasText: 'Sign-in with Keycloak failed: the identity provider refused Baton' }).waitFor();
      await shot(page, 'oidc-03-refused');
      expect(tab.errors).toEqual([]);
      await tab.context.close();
    } finally {
      oidc.state.clientSecret = CLIENT.clientSecret;
    }
  });
});
