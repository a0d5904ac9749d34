// The notification runtimes against real local peers: an HTTP receiver, and SMTP servers
// (smtp-server) with implicit TLS or STARTTLS, both requiring AUTH.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPluginError, type PluginError } from '@baton/plugin-sdk';
import { selfSignedCertificate, startSmtpServer, type ReceivedMail } from '@baton/testing/notification-sink';
import { discordExecutionRuntime, slackExecutionRuntime, slackIncomingWebhookRuntime, teamsExecutionRuntime, webhookRuntime } from '../src/tasks/webhooks';
import { mailExecutionRuntime, mailSendRuntime, parseAttachments, splitAddresses } from '../src/tasks/mail';
import { context, FAILED_SUMMARY, startReceiver } from './helpers';

let receiver: Awaited<ReturnType<typeof startReceiver>>;
const mails: ReceivedMail[] = [];
let smtps: { port: number; close: () => Promise<void> };
let starttls: { port: number; close: () => Promise<void> };
let tls: { key: string; cert: string };

beforeAll(async () => {
  receiver = await startReceiver();
  tls = selfSignedCertificate();
  smtps = await startSmtpServer(mails, { tls, user: 'mailer', password: 'mail-pass-123' });
  starttls = await startSmtpServer(mails, { tls, user: 'mailer', password: 'mail-pass-123', starttls: true });
});
afterAll(async () => {
  await receiver.close();
  await smtps.close();
  await starttls.close();
});

async function failure(promise: Promise<unknown>): Promise<PluginError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isPluginError(error), String(error)).toBe(true);
  return error as PluginError;
}

describe('webhook tasks', () => {
  it('SlackIncomingWebhook posts the payload string as JSON, and masks the URL in its logs', async () => {
    const url = `${receiver.url}/services/T1/B1/tok-abcdef`;
    const { ctx, logs } = context({ url, payload: '{"text": "deployed"}' });
    const out = await slackIncomingWebhookRuntime.run(ctx);
    expect(out).toEqual({ status: 200, response: 'ok' });
    const last = receiver.received.at(-1)!;
    expect(last).toMatchObject({ method: 'POST', path: '/services/T1/B1/tok-abcdef', body: '{"text": "deployed"}' });
    expect(last.headers['content-type']).toBe('application/json');
    expect(JSON.stringify(logs)).not.toContain('tok-abcdef');
  });

  it('a payload that is not JSON after rendering fails for good, saying what to fix', async () => {
    const { ctx } = context({ url: `${receiver.url}/x`, payload: '{"text": "it said "hi""}' });
    const error = await failure(slackIncomingWebhookRuntime.run(ctx));
    expect(error.code).toBe('INVALID_PROPERTIES');
    expect(error.retryable).toBe(false);
    expect(error.message).toMatch(/payload is not valid JSON after rendering .*YAML mapping/);
  });

  it('5xx and 429 are retryable (Retry-After kept); 404 and 400 are not; no error shows the URL', async () => {
    const post = (status: number) => {
      const { ctx } = context({ url: `${receiver.url}/status/${status}/secret-token-xyz`, payload: { text: 'x' } });
      return failure(slackIncomingWebhookRuntime.run(ctx));
    };
    const down = await post(503);
    expect(down).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', retryable: true });
    expect(down.message).toBe('Slack webhook answered 503: refused with 503: invalid_token');
    const limited = await post(429);
    expect(limited).toMatchObject({ code: 'RATE_LIMITED', retryable: true, retryAfterMs: 7000 });
    const gone = await post(404);
    expect(gone).toMatchObject({ code: 'NOT_FOUND', retryable: false });
    expect(gone.message).toMatch(/the webhook was deleted, or the URL is wrong/);
    const bad = await post(400);
    expect(bad).toMatchObject({ code: 'REMOTE_ERROR', retryable: false });
    for (const e of [down, limited, gone, bad]) expect(e.message).not.toContain('secret-token-xyz');
  });

  it('Webhook sends a YAML mapping as JSON with the method and headers given, and masks a bearer token', async () => {
    const { ctx, masker } = context({
      url: `${receiver.url}/hook`,
      method: 'PUT' as const,
      headers: { Authorization: 'Bearer hook-token-777' },
      payload: { summary: 'failed', n: 2 },
    });
    await webhookRuntime.run(ctx);
    const last = receiver.received.at(-1)!;
    expect(last.method).toBe('PUT');
    expect(JSON.parse(last.body)).toEqual({ summary: 'failed', n: 2 });
    expect(last.headers.authorization).toBe('Bearer hook-token-777');
    expect(masker.maskText('token hook-token-777')).toBe('token ******');
  });

  it('SlackExecution summarises the execution it runs in by default, another one when executionId is given', async () => {
    const { ctx, asked } = context({ url: `${receiver.url}/slack`, customMessage: 'see runbook' });
    const out = await slackExecutionRuntime.run(ctx);
    expect(asked).toEqual(['current-exec']);
    expect(out).toMatchObject({ status: 200, executionId: 'current-exec', state: 'FAILED', link: FAILED_SUMMARY.link });
    const body = JSON.parse(receiver.received.at(-1)!.body);
    expect(body.text).toContain(`<${FAILED_SUMMARY.link}|[infra.delivery] rollout ➛ FAILED>`);
    expect(body.text).toContain('see runbook');

    const other = context({ url: `${receiver.url}/slack`, executionId: 'upstream-1' });
    await slackExecutionRuntime.run(other.ctx);
    expect(other.asked).toEqual(['upstream-1']);
  });

  it('TeamsExecution and DiscordExecution post their own shapes', async () => {
    await teamsExecutionRuntime.run(context({ url: `${receiver.url}/teams` }).ctx);
    expect(JSON.parse(receiver.received.at(-1)!.body).attachments[0].contentType).toBe('application/vnd.microsoft.card.adaptive');
    await discordExecutionRuntime.run(context({ url: `${receiver.url}/discord`, username: 'Baton' }).ctx);
    const discord = JSON.parse(receiver.received.at(-1)!.body);
    expect(discord.username).toBe('Baton');
    expect(discord.embeds[0].url).toBe(FAILED_SUMMARY.link);
  });
});

describe('mail tasks', () => {
  const smtp = () => ({ host: '127.0.0.1', username: 'mailer', password: 'mail-pass-123', sessionTimeout: 10000, insecure: false, caCert: tls.cert });

  it('splits Kestra address lists', () => {
    expect(splitAddresses('a@x.test; b@x.test,c@x.test')).toEqual(['a@x.test', 'b@x.test', 'c@x.test']);
    expect(splitAddresses(['a@x.test', 'b@x.test;c@x.test'])).toEqual(['a@x.test', 'b@x.test', 'c@x.test']);
  });

  it("reads Kestra's two spellings of attachments and refuses what is not a file list", () => {
    const file = { name: 'r.csv', uri: 'kestra:///a/b/r.csv', contentType: 'text/csv' };
    expect(parseAttachments([file], 'attachments')).toEqual([file]);
    expect(parseAttachments(JSON.stringify([{ name: 'x.bin', uri: 'nsfile:///x.bin' }]), 'attachments')).toEqual([
      { name: 'x.bin', uri: 'nsfile:///x.bin', contentType: 'application/octet-stream' },
    ]);
    // Kestra reads the string as a JSON string first: a doubly encoded list works as there.
    expect(parseAttachments(JSON.stringify(JSON.stringify([file])), 'attachments')).toEqual([file]);
    expect(parseAttachments('', 'attachments')).toEqual([]);
    expect(() => parseAttachments('not json', 'attachments')).toThrow(/not JSON/);
    expect(() => parseAttachments(JSON.stringify({ name: 'a' }), 'attachments')).toThrow(/must be a list/);
    expect(() => parseAttachments(JSON.stringify([{ name: 'a' }]), 'embeddedImages')).toThrow(/embeddedImages\[0\]\.uri/);
    expect(() => parseAttachments([{ ...file, uri: 'https://x.test/r.csv' }], 'attachments')).toThrow(/kestra:\/\/\/ or nsfile/);
  });

  it('MailSend over SMTPS with AUTH, trusting the server through caCert', async () => {
    const { ctx, logs } = context({
      ...smtp(),
      port: smtps.port,
      transportStrategy: 'SMTPS' as const,
      from: 'baton@x.test',
      to: 'ops@x.test;lead@x.test',
      subject: 'Hello',
      plainTextContent: 'body text',
    });
    const out = await mailSendRuntime.run(ctx);
    expect(out.accepted).toEqual(['ops@x.test', 'lead@x.test']);
    const mail = mails.at(-1)!;
    expect(mail).toMatchObject({ from: 'baton@x.test', to: ['ops@x.test', 'lead@x.test'], secure: true, user: 'mailer' });
    expect(mail.text).toContain('Subject: Hello');
    expect(mail.text).toContain('body text');
    expect(JSON.stringify(logs)).not.toContain('mail-pass-123');
  });

  it('MailExecution over STARTTLS (SMTP_TLS) sends the summary with the link', async () => {
    const { ctx } = context({
      ...smtp(),
      port: starttls.port,
      transportStrategy: 'SMTP_TLS' as const,
      from: 'baton@x.test',
      to: ['oncall@x.test'],
      customMessage: 'Runbook: wiki/patching',
    });
    const out = await mailExecutionRuntime.run(ctx);
    expect(out).toMatchObject({ executionId: 'current-exec', state: 'FAILED', link: FAILED_SUMMARY.link, accepted: ['oncall@x.test'] });
    const mail = mails.at(-1)!;
    expect(mail.secure).toBe(true);
    expect(mail.text).toMatch(/^Subject: .*infra\.delivery.*rollout/m);
    expect(mail.text).toContain(`Open the execution: ${FAILED_SUMMARY.link}`);
    expect(mail.text).toContain('Runbook: wiki/patching');
  });

  it('a wrong password is an AUTHENTICATION failure that never shows the password', async () => {
    const { ctx } = context({ ...smtp(), password: 'wrong-pass-999', port: smtps.port, transportStrategy: 'SMTPS' as const, from: 'baton@x.test', to: 'ops@x.test' });
    const error = await failure(mailSendRuntime.run(ctx));
    expect(error.code).toBe('AUTHENTICATION');
    expect(error.message).toMatch(/check username and password/);
    expect(error.message).not.toContain('wrong-pass-999');
  });

  it('an untrusted certificate fails for good and says how to fix it; insecure: true accepts it', async () => {
    const base = { ...smtp(), caCert: undefined, port: smtps.port, transportStrategy: 'SMTPS' as const, from: 'baton@x.test', to: 'ops@x.test' };
    const error = await failure(mailSendRuntime.run(context(base).ctx));
    expect(error.retryable).toBe(false);
    expect(error.message).toMatch(/caCert/);
    const out = await mailSendRuntime.run(context({ ...base, insecure: true }).ctx);
    expect(out.accepted).toEqual(['ops@x.test']);
  });
});
