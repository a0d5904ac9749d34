// End-to-end: the Triggers page lists a flow's schedule with its next fire time, and disabling it
// there stops it (the API says so too); a Backfill from the page previews the range's fire times,
// starts them and follows them to the end.
import { afterAll, describe, expect, it } from 'vitest';
import { api } from './lib/api';
import { shot, useSignedInBrowser } from './lib/browser';

const NS = 'e2e.triggers';
const session = useSignedInBrowser();

afterAll(async () => {
  await api('DELETE', `/api/v1/main/flows/${NS}/nightly`).catch(() => undefined);
  await api('DELETE', `/api/v1/main/flows/${NS}/hourly`).catch(() => undefined);
});

describe('Triggers page', () => {
  it("lists a schedule's next fire and disables it", async () => {
    const { base, page } = session;
    await api(
      'POST',
      '/api/v1/main/flows',
      `id: nightly\nnamespace: ${NS}\ntasks:\n  - id: log\n    type: io.kestra.plugin.core.log.Log\n    message: "{{ trigger.date }}"\ntriggers:\n  - id: at_two\n    type: io.kestra.plugin.core.trigger.Schedule\n    cron: "0 2 * * *"\n    timezone: Europe/Paris\n`,
      'application/x-yaml',
    );
    // The scheduler computes the next fire when it first runs.
    await expect.poll(async () => (await api('GET', `/api/v1/main/triggers?namespace=${NS}`)).results[0]?.nextDate, { timeout: 30_000 }).toBeTruthy();
    const listed = (await api('GET', `/api/v1/main/triggers?namespace=${NS}`)).results[0];
    // 02:00 in Paris is 00:00 or 01:00 UTC depending on the season.
    expect(new Date(listed.nextDate).getUTCMinutes()).toBe(0);
    expect([0, 1]).toContain(new Date(listed.nextDate).getUTCHours());

    await page.goto(`${base}/main/triggers`);
    await page.getByRole('heading', { name: 'Triggers' }).waitFor();
    const row = page.getByTestId('trigger-nightly-at_two');
    await expect.poll(() => row.textContent()).toContain('0 2 * * *');
    expect(await row.textContent()).toContain('Europe/Paris');
    expect(await row.getByTestId('next-fire').getAttribute('title')).toBe(listed.nextDate);
    await shot(page, 'triggers');

    await row.getByRole('button', { name: 'Disable' }).click();
    await row.getByRole('button', { name: 'Enable' }).waitFor();
    expect(await row.getByTestId('next-fire').textContent()).toBe('—');
    expect((await api('GET', `/api/v1/main/triggers?namespace=${NS}`)).results[0].disabled).toBe(true);
  });

  it('backfills a schedule from the dialog: preview with the cap, start, live progress to the end, executions labelled', async () => {
    const { base, page } = session;
    await api(
      'POST',
      '/api/v1/main/flows',
      `id: hourly\nnamespace: ${NS}\ninputs:\n  - id: region\n    type: STRING\n    defaults: us\ntasks:\n  - id: log\n    type: io.kestra.plugin.core.log.Log\n    message: "{{ trigger.date }} {{ inputs.region }}"\ntriggers:\n  - id: every_hour\n    type: io.kestra.plugin.core.trigger.Schedule\n    cron: "0 * * * *"\n`,
      'application/x-yaml',
    );
    await page.goto(`${base}/main/triggers`);
    const row = page.getByTestId('trigger-hourly-every_hour');
    await row.getByRole('button', { name: 'Backfill' }).click();
    const dialog = page.getByTestId('backfill-dialog');
    const preview = dialog.getByTestId('backfill-preview');

    // A year of hours is past the cap: said, and nothing can start.
    await dialog.getByLabel('From').fill('2025-01-01T00:00');
    await dialog.getByLabel('To').fill('2026-01-10T03:30');
    await expect.poll(() => preview.textContent(), { timeout: 20_000 }).toContain('More than 500 fire times');
    expect(await dialog.getByRole('button', { name: /^Start/ }).isDisabled()).toBe(true);

    // The browser's local time (the test runs on the same machine): 01:00, 02:00 and 03:00.
    await dialog.getByLabel('From').fill('2026-01-10T00:30');
    await expect.poll(() => preview.textContent(), { timeout: 20_000 }).toContain('3 fire times');
    await dialog.getByLabel('Inputs').fill('{"region": "eu"}');
    await dialog.getByLabel('Labels').fill('reason=e2e replay');
    await shot(page, 'triggers-backfill-dialog');
    await dialog.getByRole('button', { name: 'Start 3 executions' }).click();

    const count = dialog.getByTestId('backfill-count');
    await expect.poll(() => count.textContent(), { timeout: 90_000 }).toContain('3 / 3 ended');
    expect(await count.textContent()).toContain('done');
    expect(await dialog.getByTestId('backfill-bar').getAttribute('aria-valuenow')).toBe('3');
    await shot(page, 'triggers-backfill-progress');

    // The executions exist, with the backfill's labels and inputs, and one per fire time.
    const found = await api('GET', `/api/v1/main/executions/search?namespace=${NS}&flowId=hourly&labels=${encodeURIComponent('reason:e2e replay')}&size=50`);
    expect(found.total).toBe(3);
    for (const e of found.results) {
      expect(e.state.current).toBe('SUCCESS');
      expect(e.inputs).toMatchObject({ region: 'eu' });
      const labels = Object.fromEntries((e.labels as { key: string; value: string }[]).map((l) => [l.key, l.value]));
      expect(labels['system.backfill']).toBe('true');
      expect(labels['system.backfillId']).toBeTruthy();
    }
    expect(new Set(found.results.map((e: { trigger?: { variables?: { date?: string } } }) => e.trigger?.variables?.date)).size).toBe(3);

    // The link goes to the executions list filtered on this backfill.
    await dialog.getByTestId('backfill-executions').click();
    await page.waitForURL(/executions\?labels=system\.backfillId/);
  });
});
