// The messages the `*Execution` tasks send, built from an ExecutionSummary. Pure functions (no I/O),
// so the unit tests pin every payload shape. Kestra's templates (slack-template.peb and the Teams,
// Discord and mail ones) are the model: a title linking to the execution, the state, the flow, the
// duration, the failed task, custom fields and a custom message.
import type { ExecutionSummary } from '@baton/plugin-sdk';

export interface MessageExtras {
  customMessage?: string;
  customFields?: Record<string, unknown>;
}

const STATE_COLOURS: Record<string, string> = {
  SUCCESS: '#2eb886',
  WARNING: '#f2a03d',
  FAILED: '#e01e5a',
  KILLED: '#e01e5a',
  CANCELLED: '#8a8a8a',
};

/** The colour of a state as hex (`#e01e5a`); grey for states that are neither good nor bad. */
export function stateColour(state: string): string {
  return STATE_COLOURS[state] ?? '#8a8a8a';
}

/** `[infra.delivery] rollout ➛ FAILED`: Kestra's title line. */
export function executionTitle(s: ExecutionSummary): string {
  return `[${s.namespace}] ${s.flowId} ➛ ${s.state}`;
}

/** One line on what happened: where it failed, or that it ended, and how long it took. */
export function executionHeadline(s: ExecutionSummary): string {
  const took = s.duration ? ` after ${s.duration}` : '';
  if (s.firstFailed) return `Failed on task \`${s.firstFailed.taskId}\`${took}`;
  if (s.current) return `Running for ${s.duration ?? 'a moment'}`;
  return `${s.state === 'SUCCESS' ? 'Succeeded' : `Ended ${s.state}`}${took}`;
}

/** Name/value facts every channel shows, custom fields last. */
export function executionFacts(s: ExecutionSummary, extras: MessageExtras = {}): { name: string; value: string }[] {
  const facts = [
    { name: 'Namespace', value: s.namespace },
    { name: 'Flow', value: s.flowId },
    { name: 'Execution', value: s.id },
    { name: 'State', value: s.state },
    ...(s.duration ? [{ name: 'Duration', value: s.duration }] : []),
    ...(s.firstFailed ? [{ name: 'Failed task', value: s.firstFailed.taskId }] : []),
    ...((s.error ?? s.firstFailed?.error) ? [{ name: 'Error', value: truncate((s.error ?? s.firstFailed?.error)!, 500) }] : []),
  ];
  for (const [name, value] of Object.entries(extras.customFields ?? {})) facts.push({ name, value: typeof value === 'string' ? value : JSON.stringify(value) });
  return facts;
}

export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** Slack incoming webhook: a linked title and an attachment with the facts, as Kestra's template. */
export function slackExecutionPayload(
  s: ExecutionSummary,
  extras: MessageExtras & { channel?: string; username?: string; iconUrl?: string; iconEmoji?: string } = {},
): Record<string, unknown> {
  const text = [`<${s.link}|${executionTitle(s)}>`, `> ${executionHeadline(s)}`, ...(extras.customMessage ? [extras.customMessage] : [])].join('\n');
  return {
    ...(extras.channel ? { channel: extras.channel } : {}),
    ...(extras.username ? { username: extras.username } : {}),
    ...(extras.iconUrl ? { icon_url: extras.iconUrl } : {}),
    ...(extras.iconEmoji ? { icon_emoji: extras.iconEmoji } : {}),
    text,
    attachments: [
      {
        color: stateColour(s.state),
        fallback: `${executionTitle(s)}: ${s.link}`,
        fields: executionFacts(s, extras).map((f) => ({ title: f.name, value: f.value, short: f.value.length < 40 })),
        actions: [{ type: 'button', text: 'Open the execution', url: s.link }],
      },
    ],
  };
}

/** Microsoft Teams (Workflows webhook): an Adaptive Card with the facts and a button to the execution. */
export function teamsExecutionPayload(s: ExecutionSummary, extras: MessageExtras & { activityTitle?: string; activitySubtitle?: string } = {}): Record<string, unknown> {
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.4',
          body: [
            {
              type: 'TextBlock',
              size: 'Large',
              weight: 'Bolder',
              wrap: true,
              color: s.state === 'SUCCESS' ? 'Good' : s.state === 'WARNING' ? 'Warning' : 'Attention',
              text: extras.activityTitle ?? executionTitle(s),
            },
            { type: 'TextBlock', wrap: true, isSubtle: true, text: extras.activitySubtitle ?? executionHeadline(s) },
            { type: 'FactSet', facts: executionFacts(s, extras).map((f) => ({ title: f.name, value: f.value })) },
            ...(extras.customMessage ? [{ type: 'TextBlock', wrap: true, text: extras.customMessage }] : []),
          ],
          actions: [{ type: 'Action.OpenUrl', title: 'Open the execution', url: s.link }],
        },
      },
    ],
  };
}

/** Discord webhook: content plus one embed linking to the execution (colour as an integer). */
export function discordExecutionPayload(s: ExecutionSummary, extras: MessageExtras & { username?: string; avatarUrl?: string; content?: string } = {}): Record<string, unknown> {
  return {
    ...(extras.username ? { username: extras.username } : {}),
    ...(extras.avatarUrl ? { avatar_url: extras.avatarUrl } : {}),
    content: truncate(extras.content ?? executionTitle(s), 2000),
    embeds: [
      {
        title: truncate(executionTitle(s), 256),
        url: s.link,
        description: truncate([executionHeadline(s), ...(extras.customMessage ? [extras.customMessage] : [])].join('\n'), 4096),
        color: parseInt(stateColour(s.state).slice(1), 16),
        fields: executionFacts(s, extras)
          .slice(0, 25)
          .map((f) => ({ name: truncate(f.name, 256), value: truncate(f.value, 1024), inline: f.value.length < 40 })),
      },
    ],
  };
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** An e-mail about an execution: subject, plain text and HTML, each with the link. */
export function mailExecutionContent(s: ExecutionSummary, extras: MessageExtras = {}): { subject: string; text: string; html: string } {
  const facts = executionFacts(s, extras);
  const text = [
    executionTitle(s),
    executionHeadline(s).replace(/`/g, ''),
    '',
    ...facts.map((f) => `${f.name}: ${f.value}`),
    ...(extras.customMessage ? ['', extras.customMessage] : []),
    '',
    `Open the execution: ${s.link}`,
    '',
  ].join('\n');
  const rows = facts.map((f) => `<tr><th align="left" style="padding-right:12px">${escapeHtml(f.name)}</th><td>${escapeHtml(f.value)}</td></tr>`).join('');
  const html = [
    `<h2 style="color:${stateColour(s.state)}"><a href="${escapeHtml(s.link)}">${escapeHtml(executionTitle(s))}</a></h2>`,
    `<p>${escapeHtml(executionHeadline(s).replace(/`/g, ''))}</p>`,
    `<table>${rows}</table>`,
    ...(extras.customMessage ? [`<p>${escapeHtml(extras.customMessage)}</p>`] : []),
    `<p><a href="${escapeHtml(s.link)}">Open the execution</a></p>`,
  ].join('\n');
  return { subject: executionTitle(s), text, html };
}
