// End-to-end: an operator sets a KILL switch on a namespace from the UI, after the dialog showed
// the blast radius; its running executions are killed, a new start through the API is refused,
// the flow page shows the banner; lifting it lets executions run again.
import { describe, expect, inject, it } from 'vitest';
import { api } from './lib/api';
import { shot, useSignedInBrowser } from './lib/browser';

const NS = 'e2e.killswitch';
const session = useSignedInBrowser();

const state = async (id: string) => (await api('GET', `/api/v1/main/executions/${id}`)).state.current;

/** A start through the API: the status and the message. */
async function tryStart() {
  const res = await fetch(`${session.base}/api/v1/main/executions/${NS}/sleeper`, {
    method: 'POST',
    headers: { authorization: `Bearer ${inject('apiToken')}`, 'content-type': 'application/json' },
    body: '{}',
  });
  return { status: res.status, body: await res.json() };
}

describe('kill switch in the UI', () => {
  it('sets a KILL switch on a namespace with the blast radius, refuses new starts, shows the banner, and lifts it', async () => {
    const { base, page, tab } = session;
    await api(
      'POST',
      '/api/v1/main/flows',
      `id: sleeper\nnamespace: ${NS}\ntasks:\n  - id: wait\n    type: io.kestra.plugin.core.flow.Sleep\n    duration: PT5M\n`,
      'application/x-yaml',
    );
    const ids = [(await api('POST', `/api/v1/main/executions/${NS}/sleeper`, {})).id, (await api('POST', `/api/v1/main/executions/${NS}/sleeper`, {})).id];
    for (const id of ids) await expect.poll(() => state(id), { timeout: 30_000 }).toBe('RUNNING');

    await page.goto(`${base}/main/kill-switches`);
    await page.getByRole('heading', { name: 'Kill switches' }).waitFor();
    await page.getByRole('button', { name: 'Set a kill switch' }).click();
    const dialog = page.getByTestId('kill-switch-dialog');
    await dialog.getByLabel('Scope').selectOption('namespace');
    await dialog.getByLabel('Namespace').fill(NS);
    await dialog.getByLabel('Mode').selectOption('KILL');
    await dialog.getByLabel('Reason').fill('e2e: broken release');
    const radius = dialog.getByTestId('blast-radius');
    await expect.poll(() => radius.textContent(), { timeout: 15_000 }).toContain('2 running, 0 paused, 0 queued');
    expect(await radius.textContent()).toContain(`${NS}.sleeper`);
    await shot(page, 'kill-switch-dialog');
    await dialog.getByRole('button', { name: 'Kill 2 and set the switch' }).click();

    for (const id of ids) await expect.poll(() => state(id), { timeout: 30_000 }).toBe('KILLED');
    const killed = await api('GET', `/api/v1/main/executions/${ids[0]}`);
    const table = page.getByTestId('kill-switches-table');
    await expect.poll(() => table.textContent()).toContain('in force');
    const switches = (await api('GET', '/api/v1/main/kill-switches?inForce=true')).results.filter((k: any) => k.scope.namespace === NS);
    expect(switches).toHaveLength(1);
    expect(killed.killSwitchId).toBe(switches[0].id);
    expect(switches[0].affected).toBe(2);

    const refused = await tryStart();
    expect(refused.status).toBe(409);
    expect(refused.body.message).toContain('e2e: broken release');
    expect(refused.body.message).toContain(switches[0].id);

    await page.goto(`${base}/main/flows/${NS}/sleeper`);
    const banner = page.getByTestId('kill-switch-banner');
    await expect.poll(() => banner.textContent(), { timeout: 15_000 }).toContain('e2e: broken release');
    expect(await banner.textContent()).toContain('Kill switch KILL');
    await shot(page, 'kill-switch-banner');

    await page.goto(`${base}/main/kill-switches`);
    await page.getByRole('button', { name: `Lift the switch on namespace ${NS} (and its children)` }).click();
    await expect.poll(async () => (await api('GET', `/api/v1/main/kill-switches/${switches[0].id}`)).active).toBe(false);
    const again = await tryStart();
    expect(again.status).toBe(200);
    await expect.poll(() => state(again.body.id), { timeout: 30_000 }).toBe('RUNNING');
    await api('DELETE', `/api/v1/main/executions/${again.body.id}/kill`);
    await page.goto(`${base}/main/flows/${NS}/sleeper`);
    await page.waitForTimeout(1500);
    expect(await page.getByTestId('kill-switch-banner').count()).toBe(0);
    expect(tab.errors).toEqual([]);
  });
});
