import { outputsJsonSchema, PluginRegistry, propsJsonSchema, z } from '@baton/plugin-sdk';
import { describe, expect, it } from 'vitest';
import { definitions, executionNotificationIds } from '../src/index';
import { runtimes } from '../src/runtime';

const registry = new PluginRegistry().register(...definitions);

describe('notification definitions', () => {
  it("resolve Kestra's type names", () => {
    for (const family of [
      'slack.SlackIncomingWebhook',
      'slack.SlackExecution',
      'teams.TeamsIncomingWebhook',
      'teams.TeamsExecution',
      'discord.DiscordIncomingWebhook',
      'discord.DiscordExecution',
      'mail.MailSend',
      'mail.MailExecution',
    ]) {
      expect(registry.resolve(`io.kestra.plugin.notifications.${family}`)?.id).toBe(`notifications.${family}`);
    }
    expect(registry.resolve('notifications.webhook.Webhook')).toBeDefined();
    expect(executionNotificationIds).toEqual([
      'notifications.slack.SlackExecution',
      'notifications.teams.TeamsExecution',
      'notifications.discord.DiscordExecution',
      'notifications.mail.MailExecution',
    ]);
  });

  it('have a runtime each, say what they need and that they are not idempotent', () => {
    for (const d of definitions) {
      expect(
        runtimes.find((r) => r.definition === d),
        d.id,
      ).toBeDefined();
      expect(d.description).toMatch(/Needs:/);
      expect(d.idempotent).toBe(false);
      expect(d.description).toMatch(/Not idempotent/);
    }
  });

  it('describe every prop and every output field', () => {
    const undescribed: string[] = [];
    for (const d of definitions) {
      for (const [key, value] of Object.entries<any>((propsJsonSchema(d) as any).properties)) if (!value.description) undescribed.push(`${d.id} props.${key}`);
      for (const [key, value] of Object.entries<any>((outputsJsonSchema(d) as any).properties)) if (!value.description) undescribed.push(`${d.id} outputs.${key}`);
    }
    expect(undescribed).toEqual([]);
  });

  it('refuse bad input with messages that name the field and the fix', () => {
    const slack = registry.resolve('io.kestra.plugin.notifications.slack.SlackExecution')!;
    const bad = slack.props.safeParse({ url: 'hooks.slack.com/services/x', colour: 'red' });
    expect(bad.success).toBe(false);
    const text = z.prettifyError(bad.error!);
    expect(text).toContain('must be the Slack webhook URL (http or https)');
    expect(text).toMatch(/colour/);

    const mail = registry.resolve('io.kestra.plugin.notifications.mail.MailSend')!;
    const noPassword = mail.props.safeParse({ host: 'smtp.x', from: 'a@x', to: 'b@x', username: 'u' });
    expect(z.prettifyError(noPassword.error!)).toMatch(/give both username and password, or neither\n {2}→ at password/);
    expect(mail.props.safeParse({ host: 'smtp.x', from: 'a@x', to: 'b@x', transportStrategy: 'STARTTLS' }).success).toBe(false);
    const ok = mail.props.parse({ host: 'smtp.x', from: 'a@x', to: 'b@x' }) as any;
    expect(ok).toMatchObject({ transportStrategy: 'SMTPS', sessionTimeout: 10000, insecure: false });
  });
});
