import { describe, expect, it } from 'vitest';
import { discordExecutionPayload, executionFacts, executionHeadline, mailExecutionContent, slackExecutionPayload, stateColour, teamsExecutionPayload } from '../src/payloads';
import { FAILED_SUMMARY } from './helpers';

const SUCCESS = { ...FAILED_SUMMARY, state: 'SUCCESS', firstFailed: undefined, error: undefined, lastTask: { taskId: 'done', state: 'SUCCESS' } };

describe('execution payloads', () => {
  it('Slack: a linked title, the failed task and the facts, custom fields and message included', () => {
    const p = slackExecutionPayload(FAILED_SUMMARY, {
      channel: '#ops',
      iconEmoji: ':fire:',
      customMessage: 'Call the on-call',
      customFields: { Environment: 'prod', Replicas: 3 },
    }) as any;
    expect(p.text).toBe('<https://baton.example.com/main/executions/4Ahf3kQxS9|[infra.delivery] rollout ➛ FAILED>\n> Failed on task `wait_healthy` after 1m 12s\nCall the on-call');
    expect(p.channel).toBe('#ops');
    expect(p.icon_emoji).toBe(':fire:');
    const attachment = p.attachments[0];
    expect(attachment.color).toBe('#e01e5a');
    expect(attachment.fields).toContainEqual({ title: 'Failed task', value: 'wait_healthy', short: true });
    expect(attachment.fields).toContainEqual({ title: 'Error', value: 'app my-app Degraded after PT5M', short: true });
    expect(attachment.fields).toContainEqual({ title: 'Replicas', value: '3', short: true });
    expect(attachment.fields.map((f: any) => f.title)).toEqual(['Namespace', 'Flow', 'Execution', 'State', 'Duration', 'Failed task', 'Error', 'Environment', 'Replicas']);
    expect(attachment.actions[0].url).toBe(FAILED_SUMMARY.link);
  });

  it('a success says so, with no failed task, in green', () => {
    expect(executionHeadline(SUCCESS)).toBe('Succeeded after 1m 12s');
    expect(executionFacts(SUCCESS).map((f) => f.name)).not.toContain('Failed task');
    expect((slackExecutionPayload(SUCCESS) as any).attachments[0].color).toBe(stateColour('SUCCESS'));
    expect(executionHeadline({ ...SUCCESS, state: 'KILLED' })).toBe('Ended KILLED after 1m 12s');
  });

  it('Teams: an Adaptive Card with the facts and a button to the execution', () => {
    const p = teamsExecutionPayload(FAILED_SUMMARY, { activityTitle: 'Rollout failed' }) as any;
    expect(p.type).toBe('message');
    const card = p.attachments[0];
    expect(card.contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(card.content.body[0]).toMatchObject({ type: 'TextBlock', text: 'Rollout failed', color: 'Attention' });
    expect(card.content.body[1].text).toBe('Failed on task `wait_healthy` after 1m 12s');
    expect(card.content.body[2].facts).toContainEqual({ title: 'Execution', value: '4Ahf3kQxS9' });
    expect(card.content.actions).toEqual([{ type: 'Action.OpenUrl', title: 'Open the execution', url: FAILED_SUMMARY.link }]);
  });

  it("Discord: an embed linking to the execution, colour as an integer, within Discord's limits", () => {
    const long = 'x'.repeat(3000);
    const p = discordExecutionPayload({ ...FAILED_SUMMARY, error: long }, { username: 'Baton', content: long }) as any;
    expect(p.username).toBe('Baton');
    expect(p.content.length).toBe(2000);
    expect(p.content.endsWith('…')).toBe(true);
    const embed = p.embeds[0];
    expect(embed.url).toBe(FAILED_SUMMARY.link);
    expect(embed.color).toBe(0xe01e5a);
    expect(embed.fields.every((f: any) => f.value.length <= 1024)).toBe(true);
    expect(embed.fields.find((f: any) => f.name === 'Error').value.length).toBeLessThanOrEqual(500);
  });

  it('mail: subject, text and HTML each carry the link; HTML escapes what it shows', () => {
    const m = mailExecutionContent({ ...FAILED_SUMMARY, error: '<script>alert(1)</script>' }, { customMessage: 'R&D on call' });
    expect(m.subject).toBe('[infra.delivery] rollout ➛ FAILED');
    expect(m.text).toContain('Failed on task wait_healthy after 1m 12s');
    expect(m.text).toContain(`Open the execution: ${FAILED_SUMMARY.link}`);
    expect(m.html).toContain(`<a href="${FAILED_SUMMARY.link}">Open the execution</a>`);
    expect(m.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(m.html).not.toContain('<script>');
    expect(m.html).toContain('R&amp;D on call');
  });
});
