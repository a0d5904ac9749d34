// End-to-end: Blueprints (docs/blueprints.md). From the Flows page the `g b` shortcut opens the
// library; search and a tag narrow it; the selected blueprint shows its description rendered from
// markdown (numbered steps, the secrets table) and its topology; "Use" opens it in the editor in the
// namespace picked, and saving makes it a flow. Then that flow is saved as a custom blueprint from
// the editor, edited and deleted on the Blueprints page.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { api } from './lib/api';
import { launch, openPage, shot, signIn } from './lib/browser';

const NS = 'e2e.blueprints';
let base: string;
let browser: Browser;

beforeAll(async () => {
  base = inject('apiUrl');
  browser = await launch();
});

afterAll(async () => {
  await browser?.close();
});

describe('blueprints in the UI', () => {
  it('finds a blueprint, reads it, uses it in a picked namespace, saves a flow as a blueprint, edits and deletes it', async () => {
    const tab = await openPage(browser);
    const { page } = tab;
    await signIn(tab, base, inject('adminEmail'), inject('adminPassword'), '/main/flows');

    // The shortcut, like the other sections.
    await page.locator('body').click();
    await page.keyboard.press('g');
    await page.keyboard.press('b');
    await page.waitForURL((url) => url.pathname === '/main/blueprints');
    await page.getByTestId('blueprint-list').waitFor();
    const shipped = (await api('GET', '/api/v1/main/blueprints/search?kind=shipped')).results as { id: string }[];
    expect(await page.locator('[data-testid^=blueprint-card-]').count()).toBe(shipped.length);

    // Search narrows to the words; a tag narrows to the blueprints carrying it.
    await page.getByTestId('blueprint-search').fill('rollback cloudflare');
    await expect.poll(() => page.locator('[data-testid^=blueprint-card-]').count(), { timeout: 30_000 }).toBe(1);
    await page.getByTestId('blueprint-search').fill('');
    await page.getByTestId('blueprint-tag-Approval').click();
    await expect.poll(() => page.locator('[data-testid^=blueprint-card-]').count(), { timeout: 30_000 }).toBe(1);
    await page.getByTestId('blueprint-card-wave-rollout-with-approval').waitFor();
    await page.getByTestId('blueprint-tag-Approval').click();

    // The detail: title, the markdown description (numbered steps and the secrets table), the topology.
    await page.getByTestId('blueprint-card-cloudflare-canary-with-rollback').click();
    const detail = page.getByTestId('blueprint-detail');
    await expect.poll(() => detail.locator('h2').textContent(), { timeout: 30_000 }).toBe('Cloudflare canary with automatic rollback');
    expect(await detail.locator('ol > li').count()).toBeGreaterThanOrEqual(5);
    expect(await detail.locator('table td code').allTextContents()).toContain('CLOUDFLARE_API_TOKEN');
    await expect.poll(() => page.getByTestId('blueprint-topology').locator('.react-flow__node').count(), { timeout: 30_000 }).toBeGreaterThanOrEqual(7);
    expect(await page.getByTestId('blueprint-topology').textContent()).toContain('canary_check');
    await shot(page, 'blueprints');

    // "Use": the namespace picked goes into the YAML opened in the editor; saving makes the flow.
    await page.getByTestId('blueprint-use').click();
    await page.getByTestId('use-blueprint-namespace').fill(NS);
    await page.getByTestId('use-blueprint-open').click();
    await page.waitForURL(/\/main\/flows\/new\?blueprint=shipped%2Fcloudflare-canary-with-rollback/);
    const editorText = () => page.evaluate(() => (window as unknown as { __batonEditor?: { getValue(): string } }).__batonEditor?.getValue() ?? '');
    await page.locator('[data-testid=flow-editor] .monaco-editor').waitFor({ timeout: 60_000 });
    await expect.poll(editorText, { timeout: 30_000 }).toContain(`namespace: ${NS}`);
    expect(await editorText()).toContain('id: cloudflare-canary-with-rollback');
    await page.getByTestId('save-flow').click();
    await expect.poll(async () => (await api('GET', `/api/v1/main/flows/${NS}/cloudflare-canary-with-rollback`).catch(() => undefined))?.namespace, { timeout: 30_000 }).toBe(NS);

    // Save as blueprint, from the editor of the saved flow (saving moved the page to it).
    await page.waitForURL((url) => url.pathname === `/main/flows/${NS}/cloudflare-canary-with-rollback`, { timeout: 30_000 });
    await page.locator('[data-testid=flow-editor] .monaco-editor').waitFor({ timeout: 60_000 });
    await page.getByTestId('save-as-blueprint').click();
    await page.getByTestId('blueprint-title').fill('Team canary');
    await page.getByTestId('blueprint-tags').fill('E2E, Cloudflare');
    await page.getByTestId('blueprint-save').click();
    await expect.poll(async () => (await api('GET', '/api/v1/main/blueprints/search?kind=custom&tags=E2E')).results.length, { timeout: 30_000 }).toBe(1);
    const custom = (await api('GET', '/api/v1/main/blueprints/search?kind=custom&tags=E2E')).results[0];
    expect(custom).toMatchObject({ title: 'Team canary', namespace: NS, tags: ['E2E', 'Cloudflare'] });

    // Edit and delete it on the Blueprints page.
    await page.goto(`${base}/main/blueprints?b=${encodeURIComponent(`custom/${custom.id}`)}`);
    await expect.poll(() => page.getByTestId('blueprint-detail').locator('h2').textContent(), { timeout: 30_000 }).toBe('Team canary');
    await page.getByTestId('blueprint-edit').click();
    await page.getByTestId('blueprint-title').fill('Team canary, reviewed');
    await page.getByTestId('blueprint-save').click();
    await expect.poll(() => page.getByTestId('blueprint-detail').locator('h2').textContent(), { timeout: 30_000 }).toBe('Team canary, reviewed');
    await expect.poll(() => page.getByTestId(`blueprint-card-${custom.id}`).textContent(), { timeout: 30_000 }).toContain('Team canary, reviewed');
    await shot(page, 'blueprints-custom');
    await page.getByTestId('blueprint-delete').click(); // the confirm is accepted by openPage
    await expect.poll(() => page.getByTestId(`blueprint-card-${custom.id}`).count(), { timeout: 30_000 }).toBe(0);
    expect((await api('GET', '/api/v1/main/blueprints/search?kind=custom&tags=E2E')).results).toEqual([]);

    expect(tab.errors).toEqual([]);
    await tab.context.close();
  });
});
