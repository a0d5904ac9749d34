import { PluginError, defineRuntime, isFileUri, type PropsOf, type TaskContext } from '@baton/plugin-sdk';
import nodemailer from 'nodemailer';
import { MAX_ATTACHMENT_MB, attachmentSchema, mailExecutionDefinition, mailSendDefinition, type MailAttachment } from '../definitions/mail';
import { mailExecutionContent } from '../payloads';
import { summaryFor } from './post';

type SmtpProps = PropsOf<typeof mailSendDefinition>;

const DEFAULT_PORTS = { SMTPS: 465, SMTP_TLS: 587, SMTP: 25 } as const;

/** `a@x;b@y` (Kestra) or `a@x, b@y` or a list → addresses. */
export function splitAddresses(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value])
    .flatMap((v) => v.split(/[;,]/))
    .map((v) => v.trim())
    .filter(Boolean);
}

/** nodemailer's transport options for Kestra's transport strategies. */
export function transportOptions(props: Pick<SmtpProps, 'host' | 'port' | 'username' | 'password' | 'transportStrategy' | 'sessionTimeout' | 'caCert' | 'insecure'>) {
  const strategy = props.transportStrategy;
  return {
    host: props.host,
    port: props.port ?? DEFAULT_PORTS[strategy],
    secure: strategy === 'SMTPS',
    requireTLS: strategy === 'SMTP_TLS',
    ignoreTLS: strategy === 'SMTP',
    auth: props.username ? { user: props.username, pass: props.password } : undefined,
    connectionTimeout: props.sessionTimeout,
    greetingTimeout: props.sessionTimeout,
    socketTimeout: props.sessionTimeout,
    tls: { rejectUnauthorized: !props.insecure, ...(props.caCert ? { ca: props.caCert } : {}) },
  };
}

/** SMTP failures as PluginErrors: a refused login or address will not fix itself, a lost connection may. */
function smtpError(error: unknown, host: string): PluginError {
  const e = error as { code?: string; responseCode?: number; message?: string };
  const what = `SMTP ${host}: ${e.message ?? String(error)}`;
  if (e.code === 'EAUTH') return new PluginError('AUTHENTICATION', `${what} (check username and password)`, { cause: error });
  if (e.code === 'ETLS' || /certificate|self.signed|SSL|TLS/i.test(e.message ?? '')) {
    return new PluginError('REMOTE_ERROR', `${what} (TLS: give the server's CA in caCert, or check transportStrategy and port)`, { cause: error, retryable: false });
  }
  if (e.code === 'EENVELOPE' || (e.responseCode && e.responseCode >= 500)) return new PluginError('REMOTE_ERROR', what, { cause: error, retryable: false });
  return new PluginError('UPSTREAM_UNAVAILABLE', what, { cause: error });
}

/**
 * Kestra's two spellings of `attachments` / `embeddedImages`: a list, or a string holding a JSON
 * array (what `{{ inputs.attachments | toJson }}` renders to). Checked here because the string
 * form is only known once rendered.
 */
export function parseAttachments(value: MailAttachment[] | string | undefined, property: string): MailAttachment[] {
  if (value === undefined) return [];
  let list: unknown = value;
  if (typeof value === 'string') {
    if (!value.trim()) return [];
    try {
      list = JSON.parse(value);
      // Kestra reads the string as a JSON string first: a doubly encoded list is accepted too.
      if (typeof list === 'string') list = JSON.parse(list);
    } catch {
      throw new PluginError('INVALID_PROPERTIES', `${property} must be a list of {name, uri, contentType}, or a JSON array of them; got a string that is not JSON`, {
        retryable: false,
      });
    }
  }
  if (!Array.isArray(list)) throw new PluginError('INVALID_PROPERTIES', `${property} must be a list of {name, uri, contentType}`, { retryable: false });
  return list.map((item, i) => {
    const parsed = attachmentSchema.safeParse(item);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new PluginError('INVALID_PROPERTIES', `${property}[${i}].${issue.path.join('.') || ''}: ${issue.message}`, { retryable: false });
    }
    const uri = parsed.data.uri;
    if (!isFileUri(uri))
      throw new PluginError('INVALID_PROPERTIES', `${property}[${i}].uri must be a kestra:/// or nsfile:// URI (e.g. {{ outputs.export.uri }}); got ${String(uri).slice(0, 100)}`, {
        retryable: false,
      });
    return parsed.data;
  });
}

/** nodemailer attachments read from internal storage; embedded images get their name as content id (`cid:name`). */
async function readAttachments(ctx: TaskContext<SmtpProps | PropsOf<typeof mailExecutionDefinition>>) {
  const files = parseAttachments(ctx.props.attachments, 'attachments').map((a) => ({ ...a, inline: false }));
  const images = parseAttachments(ctx.props.embeddedImages, 'embeddedImages').map((a) => ({ ...a, inline: true }));
  const all = [...files, ...images];
  // Sizes first: a message over the limit fails before anything is read into memory.
  let total = 0;
  for (const a of all) total += await ctx.storage.size(a.uri);
  if (total > MAX_ATTACHMENT_MB * 1024 * 1024)
    throw new PluginError(
      'INVALID_PROPERTIES',
      `the attached files hold ${(total / 1024 / 1024).toFixed(1)} MB; at most ${MAX_ATTACHMENT_MB} MB fit in an e-mail (send a link instead)`,
      {
        retryable: false,
      },
    );
  return Promise.all(
    all.map(async (a) => ({
      filename: a.name,
      content: await ctx.storage.get(a.uri),
      contentType: a.contentType,
      ...(a.inline ? { cid: a.name, contentDisposition: 'inline' as const } : {}),
    })),
  );
}

export async function sendMail(
  ctx: TaskContext<SmtpProps | PropsOf<typeof mailExecutionDefinition>>,
  message: { subject?: string; text?: string; html?: string },
): Promise<{ messageId: string; accepted: string[]; rejected: string[] }> {
  const props = ctx.props;
  if (props.password) ctx.maskValue(props.password);
  const to = splitAddresses(props.to);
  const cc = splitAddresses(props.cc);
  const attachments = await readAttachments(ctx);
  const transport = nodemailer.createTransport(transportOptions(props));
  const onAbort = () => transport.close();
  ctx.signal.addEventListener('abort', onAbort, { once: true });
  try {
    const files = attachments.length ? ` with ${attachments.map((a) => a.filename).join(', ')}` : '';
    ctx.logger.info(`sending "${message.subject ?? ''}" to ${[...to, ...cc].join(', ')}${files} through ${props.host} (${props.transportStrategy})`);
    const info = await transport.sendMail({
      from: props.from,
      to,
      cc: cc.length ? cc : undefined,
      subject: message.subject,
      text: message.text,
      html: message.html,
      attachments: attachments.length ? attachments : undefined,
    });
    const accepted = (info.accepted ?? []).map(String);
    const rejected = (info.rejected ?? []).map(String);
    if (!accepted.length) throw new PluginError('REMOTE_ERROR', `SMTP ${props.host} accepted none of the recipients (${rejected.join(', ')})`, { retryable: false });
    if (rejected.length) ctx.logger.warn(`SMTP ${props.host} refused ${rejected.join(', ')}`);
    return { messageId: info.messageId ?? '', accepted, rejected };
  } catch (error) {
    if (ctx.signal.aborted) throw new PluginError('CANCELLED', 'cancelled while sending the e-mail');
    throw error instanceof PluginError ? error : smtpError(error, props.host);
  } finally {
    ctx.signal.removeEventListener('abort', onAbort);
    transport.close();
  }
}

export const mailSendRuntime = defineRuntime(mailSendDefinition, async (ctx) => {
  const { htmlTextContent: html, plainTextContent } = ctx.props;
  const text = plainTextContent ?? (html ? 'Please view this email in a modern email client' : undefined);
  return sendMail(ctx, { subject: ctx.props.subject, text, html });
});

export const mailExecutionRuntime = defineRuntime(mailExecutionDefinition, async (ctx) => {
  const s = await summaryFor(ctx);
  const content = mailExecutionContent(s, ctx.props);
  const sent = await sendMail(ctx, { ...content, subject: ctx.props.subject ?? content.subject });
  return { ...sent, executionId: s.id, state: s.state, link: s.link };
});
