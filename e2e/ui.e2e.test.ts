// End-to-end: the web UI in Debian's Chromium against the real stack (PostgreSQL, Temporal, the
// worker and the production build of the web app, started by the integration global setup).
// The tests run in order and share one browser; each checks that the page logged no error.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it as vitestIt } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { api } from './lib/api';
import { launch, openPage, shot, signIn, type TrackedPage } from './lib/browser';

const NS = 'e2e.ui';
let base: string;
let browser: Browser;
let tab: TrackedPage;
let page: Page;

/**
 * Replaces the editor's text as a paste does: one undoable edit through the editor (typing a
 * whole YAML file key by key would fight Monaco's auto-indent). Single edits are typed below.
 */
async function setEditorText(text: string) {
  await page.locator('[data-testid=flow-editor] .monaco-editor').click();
  await page.evaluate((value) => {
    const ed = (
      window as unknown as { __batonEditor: { getModel(): { getFullModelRange(): unknown }; executeEdits(source: string, edits: unknown[]): void; pushUndoStop(): void } }
    ).__batonEditor;
    ed.executeEdits('paste', [{ range: ed.getModel().getFullModelRange(), text: value }]);
    ed.pushUndoStop();
  }, text);
}

async function executionState() {
  return page.locator('[data-testid=execution-state] [data-state]').getAttribute('data-state');
}

const TERMINAL = ['SUCCESS', 'WARNING', 'FAILED', 'KILLED', 'CANCELLED'];

/**
 * Waits until the page shows `state`. An execution that ends in another terminal state fails at
 * once with what the API says about it (state, error), instead of timing out without a reason.
 */
async function waitForState(state: string, timeout = 30_000) {
  const wanted = page.locator(`[data-testid=execution-state] [data-state=${state}]`);
  // Waiting for a running state (after a restart, the page still shows the old end for a moment).
  if (!TERMINAL.includes(state)) return wanted.waitFor({ timeout });
  const otherEnd = page.locator(
    TERMINAL.filter((s) => s !== state)
      .map((s) => `[data-testid=execution-state] [data-state=${s}]`)
      .join(', '),
  );
  await Promise.race([wanted.waitFor({ timeout }), otherEnd.waitFor({ timeout }).catch(() => new Promise(() => {}))]);
  if (await wanted.count()) return;
  const id = page.url().split('/').pop();
  const execution = await api('GET', `/api/v1/main/executions/${id}`).catch((e: Error) => ({ error: e.message }));
  throw new Error(`execution ${id} ended ${await executionState()} while waiting for ${state}: ${JSON.stringify({ state: execution.state?.current, error: execution.error })}`);
}

function expectNoErrors() {
  expect(tab.errors, `console errors on the page:\n${tab.errors.join('\n')}`).toEqual([]);
}

const FLOW = `id: hello-e2e
namespace: ${NS}
description: Written in the editor by the end-to-end test.
labels:
  owner: e2e
inputs:
  - id: name
    type: STRING
    defaults: world
  - id: count
    type: INT
    defaults: 2
  - id: env
    type: SELECT
    values: [dev, prod]
    defaults: dev
  - id: notify
    type: BOOLEAN
    defaults: false
tasks:
  - id: greet
    type: io.kestra.plugin.core.log.Log
    message: "Hello {{ inputs.name }} x{{ inputs.count }} in {{ inputs.env }}"
  - id: branches
    type: io.kestra.plugin.core.flow.Parallel
    tasks:
      - id: left
        type: io.kestra.plugin.core.log.Log
        message: left
      - id: right
        type: io.kestra.plugin.core.log.Log
        message: right
  - id: result
    type: io.kestra.plugin.core.output.OutputValues
    values:
      greeting: "Hello {{ inputs.name }}"
`;

let launchError: Error | undefined;

beforeAll(async () => {
  base = inject('apiUrl');
  try {
    browser = await launch();
  } catch (error) {
    // Reported by every test (not as skipped tests): a missing browser is a failure to fix.
    launchError = error as Error;
    return;
  }
  tab = await openPage(browser);
  await signIn(tab, base, inject('adminEmail'), inject('adminPassword'));
  page = tab.page;
});

/** A test that fails with the launch error when Chromium could not start. */
function it(name: string, fn: () => Promise<void>) {
  vitestIt(name, async () => {
    if (launchError) throw launchError;
    await fn();
  });
}

afterAll(async () => {
  await browser?.close();
});

describe('web UI', () => {
  it('writes a flow in the editor, marks a wrong property, saves it and draws the topology', async () => {
    await page.goto(`${base}/main/flows`);
    await page.getByRole('heading', { name: 'Flows' }).waitFor();
    await page.getByTestId('new-flow').click();
    await page.getByTestId('new-blank-flow').click();
    await page.waitForURL(/\/main\/flows\/new/);
    await page.locator('[data-testid=flow-editor] .monaco-editor .view-lines').waitFor();

    // A typo in a property name: the schema-driven analysis marks it at its line.
    await setEditorText(FLOW.replace('    message: "Hello', '    mesage: "Hello'));
    await page.locator('.monaco-editor .squiggly-error').first().waitFor();
    await expect.poll(() => page.getByTestId('problems').textContent()).toContain("unknown property 'mesage'");
    await expect.poll(() => page.getByTestId('problems').textContent()).toContain("did you mean 'message'");
    await shot(page, '01-editor-marker');

    // Fix it by typing, then save (⌘S formats and saves).
    const line = FLOW.split('\n').findIndex((l) => l.includes('message: "Hello')) + 1;
    await page.evaluate((lineNumber) => {
      const ed = (window as unknown as { __batonEditor: { setPosition(p: object): void; focus(): void } }).__batonEditor;
      ed.setPosition({ lineNumber, column: 7 });
      ed.focus();
    }, line);
    await page.keyboard.type('s');
    await expect.poll(() => page.locator('.monaco-editor .squiggly-error').count(), { timeout: 5_000 }).toBe(0);
    // Typing a whole property, spaces included, with the topology on screen (its key handling
    // once swallowed spaces typed into the editor).
    await page.keyboard.press('End');
    await page.keyboard.press('Enter');
    await page.keyboard.type('level: WARN');
    await expect.poll(() => page.evaluate(() => (window as unknown as { __batonEditor: { getValue(): string } }).__batonEditor.getValue())).toContain('    level: WARN\n');
    await page.getByTestId('save-flow').click();
    await page.waitForURL(new RegExp(`/main/flows/${NS.replace('.', '\\.')}/hello-e2e`));
    await page.getByText('Saved', { exact: true }).waitFor();

    // The topology: tasks, the Parallel group and its branches.
    const graph = page.getByTestId('flow-graph');
    await graph.locator('[data-task-id=greet]').waitFor();
    await graph.locator('[data-task-id=branches]').waitFor();
    await graph.locator('[data-task-id=left]').waitFor();
    await graph.locator('[data-task-id=right]').waitFor();
    // Clicking a node puts the cursor on its YAML.
    await graph.locator('[data-task-id=result]').click();
    await expect
      .poll(() =>
        page.evaluate(() => {
          const ed = (window as unknown as { __batonEditor: { getPosition(): { lineNumber: number }; getValue(): string } }).__batonEditor;
          return (
            ed.getPosition().lineNumber ===
            ed
              .getValue()
              .split('\n')
              .findIndex((l) => l.includes('id: result')) +
              1
          );
        }),
      )
      .toBe(true);
    await page.waitForSelector('[data-graph-ready]');
    await shot(page, '02-editor-topology');
    expectNoErrors();
  });

  it('executes through the input form and watches the graph reach SUCCESS; task logs and outputs', async () => {
    await page.getByTestId('execute-flow').click();
    const dialog = page.getByTestId('execute-dialog');
    await dialog.locator('#exec-name').waitFor();
    // Validation in the form: an INT that is not one.
    await dialog.locator('#exec-count').fill('2.5');
    await dialog.locator('#exec-count').blur();
    await expect.poll(() => dialog.textContent()).toContain('Expected an integer');
    await dialog.locator('#exec-count').fill('3');
    await dialog.locator('#exec-name').fill('Baton');
    await dialog.locator('#exec-env').selectOption('prod');
    await dialog.locator('[data-input=notify]').check();
    await shot(page, '03-execute-form');
    await page.getByTestId('execute-submit').click();
    await page.waitForURL(/\/main\/executions\/[A-Za-z0-9]+$/);
    await waitForState('SUCCESS');
    await page.locator('[data-testid=flow-graph] [data-task-id=greet][data-state=SUCCESS]').waitFor();
    await page.locator('[data-testid=flow-graph] [data-task-id=right][data-state=SUCCESS]').waitFor();
    await shot(page, '04-execution-graph');

    // Logs of one task.
    await page.locator('[data-testid=flow-graph] [data-task-id=greet]').click();
    const panel = page.getByTestId('task-panel');
    await panel.getByRole('tab', { name: /Logs/ }).click();
    await expect.poll(() => panel.getByTestId('task-logs').textContent()).toContain('Hello Baton x3 in prod');
    await shot(page, '05-task-logs');
    // Outputs of another, in the JSON viewer.
    await page.locator('[data-testid=flow-graph] [data-task-id=result]').click();
    await panel.getByRole('tab', { name: 'Outputs' }).click();
    await expect.poll(() => panel.getByTestId('json-viewer').textContent()).toContain('Hello Baton');
    await shot(page, '06-task-outputs');

    // The Gantt and the logs across tasks.
    await page.getByRole('tab', { name: 'Gantt' }).click();
    await page.getByTestId('gantt').waitFor();
    await shot(page, '07-gantt');
    await page.getByRole('tab', { name: /^Logs/ }).click();
    await expect.poll(() => page.getByTestId('logs').textContent()).toContain('left');
    await shot(page, '08-logs');
    await page.getByRole('tab', { name: 'Inputs & outputs' }).click();
    await expect.poll(() => page.locator('main').textContent()).toContain('Baton');
    expect(await executionState()).toBe('SUCCESS');
    expectNoErrors();
  });

  it('pauses, then resumes with an input', async () => {
    await api(
      'POST',
      '/api/v1/main/flows',
      `id: approval-e2e
namespace: ${NS}
tasks:
  - id: approve
    type: io.kestra.plugin.core.flow.Pause
    onResume:
      - id: ticket
        type: STRING
        validator: "CHG-[0-9]+"
  - id: after
    type: io.kestra.plugin.core.log.Log
    message: "approved with {{ outputs.approve.onResume.ticket }}"
`,
      'application/x-yaml',
    );
    const execution = await api('POST', `/api/v1/main/executions/${NS}/approval-e2e`, {});
    await page.goto(`${base}/main/executions/${execution.id}`);
    await waitForState('PAUSED');
    await page.locator('[data-testid=flow-graph] [data-task-id=approve][data-state=PAUSED]').waitFor();
    await page.getByTestId('resume').click();
    const dialog = page.getByTestId('resume-dialog');
    await dialog.locator('#resume-ticket').fill('nope');
    await page.getByTestId('resume-submit').click();
    await expect.poll(() => dialog.textContent()).toContain('CHG-[0-9]+'); // the validator, checked before sending
    await dialog.locator('#resume-ticket').fill('CHG-42');
    await shot(page, '09-resume-form');
    await page.getByTestId('resume-submit').click();
    await waitForState('SUCCESS');
    await page.locator('[data-testid=flow-graph] [data-task-id=after]').click();
    await page.getByTestId('task-panel').getByRole('tab', { name: /Logs/ }).click();
    await expect.poll(() => page.getByTestId('task-logs').textContent()).toContain('approved with CHG-42');
    expectNoErrors();
  });

  it('kills a running sleep, restarts it, kills it again', async () => {
    await api(
      'POST',
      '/api/v1/main/flows',
      `id: sleepy-e2e
namespace: ${NS}
tasks:
  - id: nap
    type: io.kestra.plugin.core.flow.Sleep
    duration: PT5M
`,
      'application/x-yaml',
    );
    const execution = await api('POST', `/api/v1/main/executions/${NS}/sleepy-e2e`, {});
    await page.goto(`${base}/main/executions/${execution.id}`);
    await waitForState('RUNNING');
    await page.locator('[data-testid=flow-graph] [data-task-id=nap][data-state=RUNNING]').waitFor();
    await page.getByTestId('kill').click();
    await page.getByTestId('kill-confirm').click();
    await waitForState('KILLED');
    await shot(page, '10-killed');
    // Restart from where it stopped: the same execution runs again (live view reconnects).
    await page.getByTestId('restart').click();
    await page.getByTestId('restart-confirm').click();
    await page.locator('[data-testid=flow-graph] [data-task-id=nap][data-state=RUNNING]').waitFor();
    await waitForState('RUNNING');
    expect(page.url()).toContain(execution.id);
    await page.getByTestId('kill').click();
    await page.getByTestId('kill-confirm').click();
    await waitForState('KILLED');
    expectNoErrors();
  });

  it('shows the revision diff and restores a revision into the editor', async () => {
    const flow = await api('GET', `/api/v1/main/flows/${NS}/hello-e2e`);
    await api('PUT', `/api/v1/main/flows/${NS}/hello-e2e`, flow.source.replace('message: left', 'message: left, changed'), 'application/x-yaml');
    await page.goto(`${base}/main/flows/${NS}/hello-e2e`);
    await page.getByRole('tab', { name: /Revisions/ }).click();
    await page.getByTestId('revision-1').click();
    const diff = page.getByTestId('revision-diff');
    await diff.locator('.monaco-diff-editor').waitFor();
    await diff.locator('.line-insert, .char-insert').first().waitFor();
    await expect.poll(() => diff.textContent()).toContain('changed'); // Monaco renders spaces as no-break spaces
    await shot(page, '11-revision-diff');
    await page.getByTestId('restore-revision').click();
    await page.getByTestId('dirty').waitFor();
    expect(await page.evaluate(() => (window as unknown as { __batonEditor: { getValue(): string } }).__batonEditor.getValue())).not.toContain('left, changed');
    expectNoErrors();
  });

  it("runs the article's seed flow unchanged from the UI with its default inputs", async () => {
    // The same YAML as ../shared/examples/seed-flows (a unit test checks the copy is identical).
    const seed = fs.readFileSync(path.resolve(import.meta.dirname, '../examples/seed-flows/rollout-with-health-gate-and-edge-update.yaml'), 'utf8');
    // The simulators are shared by every integration file, in an order vitest chooses: start from
    // a clean Argo CD and Cloudflare (another file may have left the app forced Degraded).
    await fetch(`${inject('argocdUrl')}/_sim/reset`, { method: 'POST' });
    await fetch(`${inject('cloudflareUrl')}/_sim/reset`, { method: 'POST' });
    await api('POST', '/api/v1/main/flows', seed, 'application/x-yaml');
    await page.goto(`${base}/main/flows/infra.delivery/rollout-with-health-gate-and-edge-update`);
    await page.getByTestId('execute-flow').click();
    const dialog = page.getByTestId('execute-dialog');
    await dialog.locator('#exec-application').waitFor();
    expect(await dialog.locator('#exec-application').inputValue()).toBe('my-app');
    await page.getByTestId('execute-submit').click();
    await page.waitForURL(/\/main\/executions\/[A-Za-z0-9]+$/);
    await waitForState('SUCCESS', 60_000);
    for (const task of ['sync', 'status', 'gate_on_health', 'upsert_dns', 'purge_cache']) {
      await page.locator(`[data-testid=flow-graph] [data-task-id=${task}][data-state=SUCCESS]`).waitFor();
    }
    await page.locator('[data-testid=flow-graph] [data-task-id=upsert_dns]').click();
    const panel = page.getByTestId('task-panel');
    await panel.getByRole('tab', { name: 'Outputs' }).click();
    await expect.poll(() => panel.getByTestId('json-viewer').textContent()).toContain('app.example.com');
    await shot(page, '18-seed-flow');
    expectNoErrors();
  });

  it('lists executions with filters and shows plugin docs and namespaces (screenshots, both themes)', async () => {
    await page.goto(`${base}/main/executions`);
    await page.getByTestId('executions-table').waitFor();
    await expect.poll(() => page.getByTestId('executions-table').textContent()).toContain('sleepy-e2e');
    await shot(page, '12-executions');
    await page.goto(`${base}/main/executions?state=KILLED`);
    await expect.poll(() => page.getByTestId('executions-table').textContent()).toContain('KILLED');
    expect(await page.getByTestId('executions-table').textContent()).not.toContain('SUCCESS');
    await page.goto(`${base}/main/flows`);
    await page.locator('text=hello-e2e').first().waitFor();
    await shot(page, '13-flows');
    await page.goto(`${base}/main/plugins/io.kestra.plugin.core.flow.Pause`);
    await page.getByTestId('plugin-doc').waitFor();
    await shot(page, '14-plugin-doc');
    await page.goto(`${base}/main/namespaces`);
    await page.locator(`text=${NS}`).first().waitFor();
    await shot(page, '15-namespaces');
    expectNoErrors();

    const dark = await openPage(browser, { colorScheme: 'dark' });
    await signIn(dark, base, inject('adminEmail'), inject('adminPassword'));
    await dark.page.goto(`${base}/main/flows/${NS}/hello-e2e`);
    await dark.page.waitForSelector('[data-graph-ready]');
    await shot(dark.page, '16-editor-dark');
    const last = await api('GET', `/api/v1/main/executions/list?namespace=${NS}&flowId=hello-e2e&size=1`);
    await dark.page.goto(`${base}/main/executions/${last.results[0].id}`);
    await dark.page.waitForSelector('[data-graph-ready]');
    await shot(dark.page, '17-execution-dark');
    expect(dark.errors).toEqual([]);
    await dark.context.close();
  });
});
