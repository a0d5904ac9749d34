// Tells approvers that an approval waits, with a link to it: a webhook with a Slack-compatible
// payload (BATON_APPROVAL_WEBHOOK_URL) and an e-mail through SMTP (BATON_SMTP_URL). Run by the
// worker's notifyApprovers activity; both are optional, each failure is reported to the caller.
import nodemailer from 'nodemailer';
import type { ApprovalNotice } from '../workflow/contracts';
import { describeApprovers, type ApprovalService } from './approvals';

export interface ApprovalNotifierConfig {
  /** Slack incoming-webhook compatible URL (or any receiver of its JSON). */
  webhookUrl?: string;
  /** smtp://user:pass@host:port (smtps:// for TLS). */
  smtpUrl?: string;
  /** The From address of the e-mails. */
  mailFrom: string;
  /** Where people open Baton (the links in notifications). */
  publicUrl: string;
}

export interface NoticeContext {
  startedBy: string | null;
}

const WEBHOOK_TIMEOUT_MS = 10_000;

export class ApprovalNotifier {
  constructor(
    private readonly config: ApprovalNotifierConfig,
    private readonly approvals: ApprovalService,
  ) {}

  link(notice: Pick<ApprovalNotice, 'tenant' | 'executionId'>): string {
    return `${this.config.publicUrl.replace(/\/+$/, '')}/${encodeURIComponent(notice.tenant)}/executions/${encodeURIComponent(notice.executionId)}`;
  }

  /** Sends what is configured; resolves with what was sent, rejects naming every channel that failed. */
  async notify(notice: ApprovalNotice, context: NoticeContext): Promise<{ webhook: boolean; emailedTo: string[] }> {
    const link = this.link(notice);
    const { request } = notice;
    const title = `Approval needed: ${notice.namespace}.${notice.flowId} / ${notice.taskId}`;
    const needs = `${request.required} approval${request.required > 1 ? 's' : ''} needed from ${describeApprovers(request)}`;
    const summary = [title, needs, context.startedBy ? `Requested by ${context.startedBy}` : '', request.expiresAt ? `Expires ${request.expiresAt}` : '']
      .filter(Boolean)
      .join('\n');
    const failures: string[] = [];
    let webhook = false;
    if (this.config.webhookUrl) {
      try {
        await this.postWebhook(title, summary, request.description, link);
        webhook = true;
      } catch (error) {
        failures.push(`webhook: ${(error as Error).message}`);
      }
    }
    let emailedTo: string[] = [];
    if (this.config.smtpUrl) {
      const to = await this.approvals.recipients(notice.tenant, notice.namespace, request, context.startedBy);
      if (to.length) {
        try {
          await this.sendMail(to, title, `${summary}\n\n${request.description ?? ''}\n\nDecide: ${link}\n`);
          emailedTo = to;
        } catch (error) {
          failures.push(`e-mail: ${(error as Error).message}`);
        }
      }
    }
    if (failures.length) throw new Error(failures.join('; '));
    return { webhook, emailedTo };
  }

  /** Slack's incoming-webhook shape: `text` (the fallback) and mrkdwn `blocks` with the link. */
  private async postWebhook(title: string, summary: string, description: string | undefined, link: string) {
    const body = {
      text: `${summary}\n<${link}|Open the approval>`,
      blocks: [
        { type: 'header', text: { type: 'plain_text', text: title.slice(0, 150) } },
        { type: 'section', text: { type: 'mrkdwn', text: summary.slice(0, 2900) } },
        ...(description ? [{ type: 'section', text: { type: 'mrkdwn', text: description.slice(0, 2900) } }] : []),
        { type: 'actions', elements: [{ type: 'button', text: { type: 'plain_text', text: 'Review and decide' }, url: link }] },
      ],
    };
    const res = await fetch(this.config.webhookUrl!, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS),
    });
    if (!res.ok) throw new Error(`${res.status} from the webhook`);
  }

  private async sendMail(to: string[], subject: string, text: string) {
    const transport = nodemailer.createTransport(this.config.smtpUrl!);
    try {
      await transport.sendMail({ from: this.config.mailFrom, to, subject, text });
    } finally {
      transport.close();
    }
  }
}
