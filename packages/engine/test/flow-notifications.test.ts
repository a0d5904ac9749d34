// A flow's `notifications` (docs/notifications.md) at save time: entries are notification tasks
// with end states, validated like tasks (plugin defaults merged), errors with line and column.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { validateFlow } from '@baton/flow';
import { defaultRegistry } from '@baton/plugin-catalog';

const registry = defaultRegistry();

const flow = (notifications: string) => `id: nightly
namespace: infra.ops
tasks:
  - id: work
    type: io.kestra.plugin.core.log.Log
    message: working
notifications:
${notifications}`;

describe('flow notifications', () => {
  it('are planned with their states (FAILED by default) and their props unrendered', () => {
    const result = validateFlow(
      flow(`  - id: oncall
    type: io.kestra.plugin.notifications.slack.SlackExecution
    url: "{{ secret('SLACK_WEBHOOK') }}"
  - id: report
    states: [SUCCESS, WARNING, FAILED, KILLED, CANCELLED]
    type: io.kestra.plugin.notifications.mail.MailExecution
    host: smtp.example.com
    from: baton@example.com
    to: ops@example.com
`),
      { registry },
    );
    expect(result.errors).toEqual([]);
    expect(result.plan?.notifications).toEqual([
      { states: ['FAILED'], task: expect.objectContaining({ id: 'oncall', pluginId: 'notifications.slack.SlackExecution', props: { url: "{{ secret('SLACK_WEBHOOK') }}" } }) },
      { states: ['SUCCESS', 'WARNING', 'FAILED', 'KILLED', 'CANCELLED'], task: expect.objectContaining({ id: 'report', pluginId: 'notifications.mail.MailExecution' }) },
    ]);
    // Not a task of the flow: the workflow never runs it.
    expect(result.plan?.tasks.map((t) => t.id)).toEqual(['work']);
  });

  it('take the webhook URL from plugin defaults, so a namespace sets it once', () => {
    const result = validateFlow(
      flow(`  - id: oncall
    type: io.kestra.plugin.notifications.slack.SlackExecution
`),
      {
        registry,
        defaultLayers: [
          { source: 'namespace infra', defaults: [{ type: 'io.kestra.plugin.notifications.slack', values: { url: "{{ secret('SLACK_WEBHOOK') }}" }, forced: false }] },
        ],
      },
    );
    expect(result.errors).toEqual([]);
    expect(result.plan?.notifications?.[0]?.task.props).toEqual({ url: "{{ secret('SLACK_WEBHOOK') }}" });
  });

  it('refuse what is not a notification, unknown states, bad props and clashing ids, with line and column', () => {
    const result = validateFlow(
      flow(`  - id: not_a_notification
    type: io.kestra.plugin.core.log.Log
    message: hi
  - id: bad_state
    states: [FAILED, BROKEN]
    type: io.kestra.plugin.notifications.slack.SlackExecution
    url: https://hooks.slack.com/services/x
  - id: bad_url
    type: io.kestra.plugin.notifications.discord.DiscordExecution
    url: discord.com/api/webhooks/1
  - id: work
    type: io.kestra.plugin.notifications.teams.TeamsExecution
    url: https://example.webhook.office.com/x
`),
      { registry },
    );
    const messages = result.errors.map((e) => `${e.line}:${e.column} ${e.message}`);
    expect(messages).toEqual([
      "9:11 'io.kestra.plugin.core.log.Log' is not a notification task; use one of the Notifications tasks, e.g. io.kestra.plugin.notifications.slack.SlackExecution",
      "12:13 states is a list of end states among SUCCESS, WARNING, FAILED, KILLED, CANCELLED; 'BROKEN' is not one",
      expect.stringMatching(/^17:10 must be the Discord webhook URL \(http or https\)/),
      expect.stringMatching(/^18:9 duplicate task id 'work'/),
    ]);
    expect(validateFlow(flow('  oncall: slack\n'), { registry }).errors[0]?.message).toBe("'notifications' must be a list of notification tasks, each with its `states`");
  });
});

describe('docs/notifications.md', () => {
  it('has flows that validate', () => {
    const doc = fs.readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), '../../../docs/notifications.md'), 'utf8');
    const flows = [...doc.matchAll(/```yaml\n(id: [\s\S]*?)```/g)].map((m) => m[1]!);
    expect(flows.length).toBeGreaterThanOrEqual(2);
    for (const source of flows) expect(validateFlow(source, { registry }).errors, source.split('\n')[0]).toEqual([]);
  });
});

describe('execution summaries', () => {
  it('say durations briefly and link to the execution page', async () => {
    const { humanDuration, executionLink } = await import('../src/services/execution-summary');
    expect([850, 4_000, 72_000, 3_723_000].map(humanDuration)).toEqual(['850ms', '4s', '1m 12s', '1h 2m']);
    expect(executionLink('https://baton.example.com/', 'main', 'abc 1')).toBe('https://baton.example.com/main/executions/abc%201');
  });
});

describe("a namespace's notification rule document", () => {
  it("is validated like a flow's notifications, with line and column; [] is a rule; plugin defaults supply properties", async () => {
    const { validateNamespaceNotifications } = await import('@baton/flow');
    const ok = validateNamespaceNotifications('notifications:\n  - id: oncall\n    type: io.kestra.plugin.notifications.slack.SlackExecution\n', {
      registry,
      defaultLayers: [
        { source: 'namespace infra', defaults: [{ type: 'io.kestra.plugin.notifications.slack', values: { url: 'https://hooks.slack.com/services/T/B/x' }, forced: false }] },
      ],
    });
    expect(ok.errors).toEqual([]);
    expect(ok.notifications?.[0]).toMatchObject({ states: ['FAILED'], task: { id: 'oncall', props: { url: 'https://hooks.slack.com/services/T/B/x' } } });
    expect(validateNamespaceNotifications('notifications: []\n', { registry }).notifications).toEqual([]);

    const bad = validateNamespaceNotifications('notifications:\n  - id: oncall\n    type: io.kestra.plugin.notifications.slack.SlackExecution\nextra: 1\n', { registry });
    expect(bad.notifications).toBeUndefined();
    expect(bad.errors).toContainEqual(expect.objectContaining({ line: 2, message: expect.stringContaining("missing required property 'url'") }));
    expect(bad.errors).toContainEqual(expect.objectContaining({ line: 4, message: expect.stringContaining("unknown property 'extra'") }));
    expect(validateNamespaceNotifications('- id: x\n', { registry }).errors[0]?.message).toMatch(/mapping with `notifications:`/);
  });

  it("a flow's notifications: [] is kept in its plan (its opt-out); no key leaves it undefined", () => {
    const base = 'id: f\nnamespace: a.b\ntasks:\n  - id: t\n    type: io.kestra.plugin.core.log.Log\n    message: hi\n';
    expect(validateFlow(`${base}notifications: []\n`, { registry }).plan?.notifications).toEqual([]);
    expect(validateFlow(base, { registry }).plan?.notifications).toBeUndefined();
  });
});
