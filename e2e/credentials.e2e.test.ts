// End-to-end: a person creates an OAuth2 credential in the UI, tests it (the server mints once from a
// real token endpoint started here), sees a provider's refusal after the provider revokes the secret,
// rotates it from the form without re-entering the other fields, and a flow uses it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOAuth2Server } from '@baton/testing';
import { api } from './lib/api';
import { shot, useSignedInBrowser } from './lib/browser';

const NS = 'e2e.cred';
const session = useSignedInBrowser();
let idp: Awaited<ReturnType<typeof startOAuth2Server>>;

beforeAll(async () => {
  idp = await startOAuth2Server();
  idp.addClient('ui-app', 'ui-Client-Secret-1');
});

afterAll(async () => {
  await idp?.close();
});

describe('credentials in the UI', () => {
  it('creates, tests, rotates a credential and a flow uses it', async () => {
    const { base, page, tab } = session;
    await page.goto(`${base}/main/namespaces/${NS}/credentials`);
    await page.getByRole('heading', { name: `Credentials · ${NS}` }).waitFor();
    await page.getByRole('button', { name: 'Add a credential' }).click();
    const dialog = page.getByTestId('credential-dialog');
    await dialog.getByLabel('Name').fill('ui-idp');
    await dialog.getByLabel('Type').selectOption('oauth2_client_credentials');
    await dialog.getByLabel('Token URL').fill(idp.tokenUrl);
    await dialog.getByLabel('Client id').fill('ui-app');
    await dialog.getByLabel('Client secret').fill('ui-Client-Secret-1');
    await dialog.getByLabel('Scopes').fill('deploy');
    await dialog.getByRole('button', { name: 'Save' }).click();
    const row = page.getByTestId('credential-ui-idp');
    await expect.poll(() => row.count()).toBe(1);
    expect(await row.textContent()).toContain('OAuth2 client credentials');
    expect(await row.textContent()).toContain('never'); // not used yet

    await row.getByRole('button', { name: 'Test ui-idp' }).click();
    await expect.poll(() => row.getByRole('status').textContent()).toContain('OK, token valid until');
    expect(idp.tokensFor('ui-app')).toBe(1);
    await shot(page, 'credentials');

    // The provider rotates the secret: the test reports its refusal, then a rotation in the form fixes it.
    idp.rotateSecret('ui-app', 'ui-Client-Secret-2');
    await row.getByRole('button', { name: 'Test ui-idp' }).click();
    await expect.poll(() => row.getByRole('status').textContent()).toContain("credential 'ui-idp'");
    expect(await row.getByRole('status').textContent()).toContain('invalid_client');
    await row.getByRole('button', { name: 'Rotate ui-idp' }).click();
    expect(await dialog.getByLabel('Client id').inputValue()).toBe('ui-app');
    expect(await dialog.getByLabel('Client secret').inputValue()).toBe(''); // never sent back
    await dialog.getByLabel('Client secret').fill('ui-Client-Secret-2');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expect.poll(async () => (await api('GET', `/api/v1/main/namespaces/${NS}/credentials/ui-idp`)).revision).toBe(2);
    await row.getByRole('button', { name: 'Test ui-idp' }).click();
    await expect.poll(() => row.getByRole('status').textContent()).toContain('OK');

    await api(
      'POST',
      '/api/v1/main/flows',
      `id: uses-cred\nnamespace: ${NS}\ntasks:\n  - id: call\n    type: io.kestra.plugin.core.http.Request\n    uri: ${idp.resourceUrl}\n    auth:\n      type: BEARER\n      token: "{{ credential('ui-idp') }}"\n`,
      'application/x-yaml',
    );
    const started = await api('POST', `/api/v1/main/executions/${NS}/uses-cred`, {});
    await expect.poll(async () => (await api('GET', `/api/v1/main/executions/${started.id}`)).state.current, { timeout: 30_000 }).toBe('SUCCESS');

    const text = await page.content();
    for (const secret of ['ui-Client-Secret-1', 'ui-Client-Secret-2', ...idp.issued]) expect(text).not.toContain(secret);
    expect(tab.errors).toEqual([]);
  });
});
