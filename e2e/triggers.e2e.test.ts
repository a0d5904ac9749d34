// End-to-end: the Triggers page lists a flow's schedule with its next fire time, and disabling it
// there stops it (the API says so too).
import { afterAll, describe, expect, it } from 'vitest';
import { api } from './lib/api';
import { shot, useSignedInBrowser } from './lib/browser';

const NS = 'e2e.triggers';
const session = useSignedInBrowser();

afterAll(async () => {
  await api('DELETE', `/api/v1/main/flows/${NS}/nightly`).catch(() => undefined);
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
});
