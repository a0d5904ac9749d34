// Notification tasks and a flow's `notifications` (docs/notifications.md) on the real stack: the
// worker posts to the local HTTP receiver and mails the local SMTPS server (TLS, AUTH) of the test
// sink; every message links to the execution page under BATON_PUBLIC_URL (https://baton.test).
import { Client, Connection } from '@temporalio/client';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { getDb } from '@baton/db';
import { defaultRegistry } from '@baton/plugin-catalog';
import { EndNotifications } from '../../../apps/worker/src/activities/end-notifications';
import { ExecutionSummaries, FlowService, NamespaceNotificationsService } from '../src/index';
import { api, authHeaders, mimeParts, notificationsReceived, notificationSinkConfig, rawHistory, taskRun, type Received } from '@baton/testing';

const client = api();
const NS = 'notify.team';
/** The token inside SECRET_NOTIFY_WEBHOOK's URL (global-setup.ts): it must never show anywhere. */
const WEBHOOK_TOKEN = 'webhook-token-3b9e1c';
const SMTP_PASSWORD = 'smtp-test-password-7f3a';
const link = (id: string) => `https://baton.test/main/executions/${id}`;

let sinkUrl: string;
let smtpsPort: number;

beforeAll(async () => {
  sinkUrl = inject('notificationSinkUrl');
  smtpsPort = (await notificationSinkConfig(sinkUrl)).smtpsPort;
});

/** Polls the sink until `found` picks something out of what it received. */
async function arrival<T>(what: string, found: (r: Received) => T | undefined, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: Received | undefined;
  while (Date.now() < deadline) {
    last = await notificationsReceived(sinkUrl);
    const hit = found(last);
    if (hit !== undefined) return hit;
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`${what} did not arrive in ${timeoutMs} ms; received ${JSON.stringify(last).slice(0, 1500)}`);
}

const webhookAbout = (id: string, path?: string) => (r: Received) => r.webhooks.find((w) => JSON.stringify(w.body).includes(id) && (!path || w.path.startsWith(path)));
const mailAbout = (id: string) => (r: Received) => r.mails.find((m) => m.text.includes(link(id)));

async function logsOf(id: string): Promise<string> {
  const res = await client.logs(id);
  expect(res.status).toBe(200);
  return (res.body as { message: string }[]).map((l) => l.message).join('\n');
}

const smtps = () => `    host: 127.0.0.1
    port: ${smtpsPort}
    transportStrategy: SMTPS
    username: baton-mailer
    password: "{{ secret('SMTP_PASSWORD') }}"
    caCert: "{{ secret('SMTP_CA') }}"
    from: Baton <baton@baton.test>`;

describe('notification tasks', () => {
  it('an errors branch reports the failure to Slack and by mail over SMTPS with AUTH, linking to the execution, secrets nowhere', async () => {
    const id = await client.deployAndRun(`id: failing-rollout
namespace: ${NS}
tasks:
  - id: prepare
    type: io.kestra.plugin.core.log.Log
    message: preparing
  - id: rollout
    type: io.kestra.plugin.core.execution.Fail
    errorMessage: my-app stayed Degraded
errors:
  - id: slack
    type: io.kestra.plugin.notifications.slack.SlackExecution
    url: "{{ secret('NOTIFY_WEBHOOK') }}"
    customMessage: "On call: #platform"
    customFields:
      Environment: production
  - id: mail
    type: io.kestra.plugin.notifications.mail.MailExecution
${smtps()}
    to: oncall@baton.test;lead@baton.test
`);
    const execution = await client.waitFor(id);
    expect(execution.state.current).toBe('FAILED');

    const slack = await arrival('the Slack message', webhookAbout(id, '/hooks/'));
    expect(slack.path).toBe(`/hooks/T0NOTIFY/B0NOTIFY/${WEBHOOK_TOKEN}`);
    const body = slack.body as any;
    expect(body.text).toContain(`<${link(id)}|[${NS}] failing-rollout ➛ FAILED>`);
    expect(body.text).toContain('Failed on task `rollout`');
    expect(body.text).toContain('On call: #platform');
    expect(body.attachments[0].fields).toContainEqual({ title: 'Environment', value: 'production', short: true });

    const mail = await arrival('the e-mail', mailAbout(id));
    expect(mail).toMatchObject({ secure: true, user: 'baton-mailer', to: ['oncall@baton.test', 'lead@baton.test'] });
    expect(mail.text).toContain('Failed task: rollout');

    // Outputs say what was sent; the webhook URL and the SMTP password appear in no log, output or rendered property.
    const view = (await client.execution(id)).body;
    expect(taskRun(view, 'slack').outputs).toMatchObject({ status: 200, state: 'FAILED', link: link(id) });
    expect(taskRun(view, 'mail').outputs).toMatchObject({ accepted: ['oncall@baton.test', 'lead@baton.test'], link: link(id) });
    const everything = JSON.stringify(view) + (await logsOf(id));
    expect(everything).not.toContain(WEBHOOK_TOKEN);
    expect(everything).not.toContain(SMTP_PASSWORD);
    expect(everything).toContain('Slack webhook answered 200');
  });

  it('MailSend attaches an uploaded file and embeds an image from internal storage: the MIME parts carry their bytes', async () => {
    // Bytes that survive only a faithful base64 round trip (NUL, CR, LF, high bytes).
    const report = Buffer.from([0, 1, 2, 13, 10, 0x80, 0xfe, 0xff, ...Buffer.from('host,state\nvm1,up\n')]);
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
    expect(
      (
        await client.deploy(`id: mail-attachments
namespace: ${NS}
inputs:
  - id: report
    type: FILE
  - id: logo
    type: FILE
tasks:
  - id: mail
    type: io.kestra.plugin.notifications.mail.MailSend
${smtps()}
    to: oncall@baton.test
    subject: "Report {{ execution.id }}"
    htmlTextContent: '<p>Attached.</p><img src="cid:logo.png">'
    attachments:
      - name: report.csv
        uri: "{{ inputs.report }}"
        contentType: text/csv
    embeddedImages: '[{"name": "logo.png", "uri": "{{ inputs.logo }}", "contentType": "image/png"}]'
`)
      ).status,
    ).toBeLessThan(300);
    const form = new FormData();
    form.append('report', new Blob([report]), 'report.csv');
    form.append('logo', new Blob([png]), 'logo.png');
    const res = await fetch(`${inject('apiUrl')}/api/v1/main/executions/${NS}/mail-attachments`, { method: 'POST', body: form, headers: authHeaders() });
    expect(res.status).toBe(200);
    const id = ((await res.json()) as { id: string }).id;
    expect((await client.waitFor(id)).state.current).toBe('SUCCESS');

    const mail = await arrival('the e-mail with attachments', (r) => r.mails.find((m) => m.text.includes(`Subject: Report ${id}`)));
    const parts = mimeParts(mail.raw);
    const attached = parts.find((p) => /filename="?report\.csv/.test(p.headers['content-disposition'] ?? ''));
    expect(attached?.headers['content-disposition']).toMatch(/^attachment/);
    expect(attached?.headers['content-type']).toMatch(/^text\/csv/);
    expect(attached?.body.equals(report)).toBe(true);
    const image = parts.find((p) => (p.headers['content-id'] ?? '') === '<logo.png>');
    expect(image?.headers['content-type']).toMatch(/^image\/png/);
    expect(image?.headers['content-disposition']).toMatch(/^inline/);
    expect(image?.body.equals(png)).toBe(true);
    expect(parts.some((p) => (p.headers['content-type'] ?? '').startsWith('text/html') && p.body.toString().includes('cid:logo.png'))).toBe(true);
    expect(await logsOf(id)).toContain('with report.csv, logo.png');
  });

  it('MailSend refuses an attachment that is not an internal-storage file, saying which and how', async () => {
    const id = await client.deployAndRun(`id: mail-bad-attachment
namespace: ${NS}
tasks:
  - id: mail
    type: io.kestra.plugin.notifications.mail.MailSend
${smtps()}
    to: oncall@baton.test
    subject: never sent
    attachments:
      - name: r.csv
        uri: https://example.com/r.csv
`);
    const execution = await client.waitFor(id);
    expect(execution.state.current).toBe('FAILED');
    expect(await logsOf(id)).toMatch(/attachments\[0\]\.uri must be a kestra:\/\/\/ or nsfile:\/\/ URI/);
  });

  it('Webhook sends its templated JSON body; Discord and Teams summaries go to their URLs', async () => {
    const id = await client.deployAndRun(`id: templated-webhook
namespace: ${NS}
labels:
  team: platform
tasks:
  - id: compute
    type: io.kestra.plugin.core.output.OutputValues
    values:
      replicas: 3
  - id: hook
    type: notifications.webhook.Webhook
    url: ${sinkUrl}/generic/alerts
    headers:
      Authorization: "Bearer {{ secret('TEST_TOKEN') }}"
    payload:
      execution: "{{ execution.id }}"
      flow: "{{ flow.namespace }}.{{ flow.id }}"
      replicas: "{{ outputs.compute.values.replicas }}"
  - id: discord
    type: io.kestra.plugin.notifications.discord.DiscordExecution
    url: ${sinkUrl}/discord/channel
    username: Baton
  - id: teams
    type: io.kestra.plugin.notifications.teams.TeamsIncomingWebhook
    url: ${sinkUrl}/teams/channel
    payload: |
      {"type": "message", "text": "{{ flow.id }} {{ execution.id }} ok"}
`);
    expect((await client.waitFor(id)).state.current).toBe('SUCCESS');
    const received = await notificationsReceived(sinkUrl);
    expect(received.webhooks.find((w) => w.path === '/generic/alerts' && (w.body as any).execution === id)?.body).toEqual({
      execution: id,
      flow: `${NS}.templated-webhook`,
      replicas: 3,
    });
    const discord = received.webhooks.find((w) => w.path === '/discord/channel' && JSON.stringify(w.body).includes(id))?.body as any;
    expect(discord.username).toBe('Baton');
    // Reported from inside the running execution: not failed, so RUNNING, with the link.
    expect(discord.embeds[0]).toMatchObject({ url: link(id), title: `[${NS}] templated-webhook ➛ RUNNING` });
    expect(received.webhooks.find((w) => w.path === '/teams/channel' && (w.body as any).text === `templated-webhook ${id} ok`)).toBeDefined();
    expect(await logsOf(id)).not.toContain('s3cr3t-t0ken-value');
  });

  it('a receiver that refuses fails the task at once with its answer', async () => {
    const id = await client.deployAndRun(`id: refused-webhook
namespace: ${NS}
tasks:
  - id: slack
    type: io.kestra.plugin.notifications.slack.SlackIncomingWebhook
    url: ${sinkUrl}/status/404/gone
    payload: '{"text": "hello"}'
`);
    const execution = await client.waitFor(id);
    expect(execution.state.current).toBe('FAILED');
    const run = taskRun(execution, 'slack');
    // Not retryable: one attempt.
    expect(run.attempts).toHaveLength(1);
    expect(await logsOf(id)).toContain('Slack webhook answered 404: status 404 (the webhook was deleted, or the URL is wrong)');
  });
});

describe("a flow's notifications", () => {
  it('on failure: the message reaches the receiver with the execution link, without a task in the flow', async () => {
    const id = await client.deployAndRun(`id: nightly-drift
namespace: ${NS}
tasks:
  - id: check
    type: io.kestra.plugin.core.execution.Fail
    errorMessage: drift found on web-01
notifications:
  - id: oncall
    type: io.kestra.plugin.notifications.slack.SlackExecution
    url: "{{ secret('NOTIFY_WEBHOOK') }}"
    customMessage: "{{ flow.id }} ended {{ execution.state }}"
  - id: mail
    states: [FAILED, KILLED]
    type: io.kestra.plugin.notifications.mail.MailExecution
${smtps()}
    to: oncall@baton.test
  - id: on_success
    states: [SUCCESS]
    type: notifications.webhook.Webhook
    url: ${sinkUrl}/generic/success
    payload:
      execution: "{{ execution.id }}"
`);
    const execution = await client.waitFor(id);
    expect(execution.state.current).toBe('FAILED');
    // The flow's task runs are its own: the notifications are not tasks of the execution.
    expect(execution.taskRunList.map((t: any) => t.taskId)).toEqual(['check']);

    const slack = await arrival('the end notification', webhookAbout(id, '/hooks/'));
    const body = slack.body as any;
    expect(body.text).toContain(`<${link(id)}|[${NS}] nightly-drift ➛ FAILED>`);
    expect(body.text).toContain('Failed on task `check`');
    expect(body.text).toContain('nightly-drift ended FAILED');
    expect(body.attachments[0].fields).toContainEqual({ title: 'Error', value: expect.stringContaining('drift found on web-01'), short: expect.any(Boolean) });
    const mail = await arrival('the end e-mail', mailAbout(id));
    expect(mail).toMatchObject({ secure: true, user: 'baton-mailer' });

    // Each send is a workflow whose id names the execution, its end and the entry; the SUCCESS one never started.
    const ended = (execution.state.histories as unknown[]).length;
    await expect(rawHistory(`notify/${id}/${ended}/oncall`)).resolves.toBeDefined();
    await expect(rawHistory(`notify/${id}/${ended}/on_success`)).rejects.toThrow();
    // Told in the execution's logs, with the webhook URL masked.
    const deadline = Date.now() + 30_000;
    let text = '';
    while (Date.now() < deadline && !(text.includes("notification 'oncall' sent") && text.includes("notification 'mail' sent"))) {
      text = await logsOf(id);
      await new Promise((r) => setTimeout(r, 150));
    }
    expect(text).toContain("notification 'oncall' sent");
    expect(text).toContain("notification 'mail' sent");
    expect(text).not.toContain(WEBHOOK_TOKEN);
  });

  it('on success only the entries listing SUCCESS are sent; a receiver refusing is logged as not sent', async () => {
    const id = await client.deployAndRun(`id: nightly-ok
namespace: ${NS}
tasks:
  - id: check
    type: io.kestra.plugin.core.log.Log
    message: no drift
notifications:
  - id: oncall
    type: io.kestra.plugin.notifications.slack.SlackExecution
    url: "{{ secret('NOTIFY_WEBHOOK') }}"
  - id: report
    states: [SUCCESS, WARNING]
    type: notifications.webhook.Webhook
    url: ${sinkUrl}/generic/report
    payload:
      execution: "{{ execution.id }}"
      state: "{{ execution.state }}"
      link: "{{ execution.link }}"
  - id: broken
    states: [SUCCESS]
    type: io.kestra.plugin.notifications.discord.DiscordExecution
    url: ${sinkUrl}/status/403/discord
`);
    const execution = await client.waitFor(id);
    expect(execution.state.current).toBe('SUCCESS');
    const report = await arrival('the success report', (r) => r.webhooks.find((w) => w.path === '/generic/report' && (w.body as any).execution === id));
    expect(report.body).toEqual({ execution: id, state: 'SUCCESS', link: link(id) });
    const ended = (execution.state.histories as unknown[]).length;
    await expect(rawHistory(`notify/${id}/${ended}/oncall`)).rejects.toThrow();
    const deadline = Date.now() + 30_000;
    let text = '';
    while (Date.now() < deadline && !text.includes("notification 'broken' not sent")) {
      text = await logsOf(id);
      await new Promise((r) => setTimeout(r, 150));
    }
    expect(text).toMatch(/notification 'broken' not sent \(attempt 1\): Discord webhook answered 403/);
  });
});

describe("a namespace's notification rule", () => {
  const PARENT = 'notify.rules';
  const CHILD = 'notify.rules.team';
  /** The worker's own EndNotifications on the real database and Temporal: what a retried projection calls again. */
  async function endNotifications() {
    const db = getDb(inject('databaseUrl'));
    const registry = defaultRegistry();
    const flows = new FlowService(db, registry);
    const connection = await Connection.connect({ address: inject('temporalAddress') });
    const ends = new EndNotifications({
      db,
      flows,
      temporal: async () => new Client({ connection }),
      registry,
      runtimes: new Map(),
      secrets: undefined as never,
      summaries: new ExecutionSummaries(db, 'https://baton.test'),
      publicUrl: 'https://baton.test',
      namespaceRules: new NamespaceNotificationsService(db, flows, registry),
    });
    return { ends, close: () => connection.close() };
  }

  it('an invalid rule is refused with line and column; nothing is saved', async () => {
    const res = await client.call(
      'PUT',
      `/api/v1/main/namespaces/${PARENT}/notifications`,
      `notifications:\n  - id: oncall\n    type: io.kestra.plugin.core.log.Log\n    message: not a notification\n  - id: hook\n    type: notifications.webhook.Webhook\n    urll: https://x.test\n`,
      'application/x-yaml',
    );
    expect(res.status).toBe(422);
    const errors = res.body.errors as { line: number; column: number; message: string }[];
    expect(errors).toContainEqual(expect.objectContaining({ line: 3, message: expect.stringContaining('is not a notification task') }));
    expect(errors).toContainEqual(expect.objectContaining({ line: 7, message: expect.stringContaining("unknown property 'urll'") }));
    expect((await client.call('GET', `/api/v1/main/namespaces/${PARENT}/notifications`)).body.revision).toBe(0);
    expect((await client.call('PUT', `/api/v1/main/namespaces/${PARENT}/notifications`, { notifications: [] })).status).toBe(400);
  });

  it("a failing flow of a child namespace that lists nothing sends the parent's rule once, even when its end is handled again; notifications: [] opts out", async () => {
    const saved = await client.call(
      'PUT',
      `/api/v1/main/namespaces/${PARENT}/notifications`,
      `notifications:\n  - id: ns_oncall\n    type: notifications.webhook.Webhook\n    url: ${sinkUrl}/generic/ns-rule\n    payload:\n      execution: "{{ execution.id }}"\n      state: "{{ execution.state }}"\n      flow: "{{ flow.namespace }}.{{ flow.id }}"\n`,
      'application/x-yaml',
    );
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    expect(saved.body).toMatchObject({ revision: 1, changed: true });
    // The child has no rule of its own: the page says whose applies. The change is audited.
    expect((await client.call('GET', `/api/v1/main/namespaces/${CHILD}/notifications`)).body).toMatchObject({ revision: 0, inheritedFrom: { namespace: PARENT, revision: 1 } });
    const audit = await client.call('GET', `/api/v1/main/auditlogs/search?action=namespace.notificationsChanged&namespace=${PARENT}`);
    expect(JSON.stringify(audit.body)).toContain(`notifications:${PARENT}`);

    const failing = await client.deployAndRun(`id: nightly-check
namespace: ${CHILD}
tasks:
  - id: check
    type: io.kestra.plugin.core.execution.Fail
    errorMessage: drift found
`);
    const optedOut = await client.deployAndRun(`id: quiet-check
namespace: ${CHILD}
tasks:
  - id: check
    type: io.kestra.plugin.core.execution.Fail
    errorMessage: drift found
notifications: []
`);
    const execution = await client.waitFor(failing);
    expect(execution.state.current).toBe('FAILED');
    expect((await client.waitFor(optedOut)).state.current).toBe('FAILED');
    const hook = await arrival('the rule notification', (r) => r.webhooks.find((w) => w.path === '/generic/ns-rule' && JSON.stringify(w.body).includes(failing)));
    expect(hook.body).toEqual({ execution: failing, state: 'FAILED', flow: `${CHILD}.nightly-check` });
    await expect.poll(async () => (await logsOf(failing)).includes("notification 'ns_oncall' sent"), { timeout: 30_000 }).toBe(true);

    // The end handled again (a retried projection): nothing more is started, and one message arrived.
    const { ends, close } = await endNotifications();
    try {
      expect(await ends.onExecutionEnd(failing)).toEqual([]);
      // The opted-out flow has nothing to send, by the same code path the worker ran.
      expect(await ends.onExecutionEnd(optedOut)).toEqual([]);
    } finally {
      await close();
    }
    const ended = (execution.state.histories as unknown[]).length;
    await expect(rawHistory(`notify/${failing}/${ended}/ns_oncall`)).resolves.toBeDefined();
    const received = await notificationsReceived(sinkUrl);
    expect(received.webhooks.filter((w) => w.path === '/generic/ns-rule' && JSON.stringify(w.body).includes(failing))).toHaveLength(1);
    expect(received.webhooks.filter((w) => JSON.stringify(w.body).includes(optedOut))).toHaveLength(0);
  });
});
