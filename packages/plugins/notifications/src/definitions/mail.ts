import { definePlugin, z } from '@baton/plugin-sdk';
import { EXECUTION_NOTE, GROUP, executionShape } from './common';

const addresses = z
  .union([z.string().min(1), z.array(z.string().min(1)).min(1)])
  .describe("One or more addresses: a list, or Kestra's form, one string with addresses separated by `;` (or `,`).");

/** SMTP connection: Kestra's MailSend properties, plus Baton's trust settings for private CAs. */
export const smtpShape = {
  host: z.string().min(1, 'host is required: the SMTP server, e.g. smtp.example.com').describe('SMTP server host name.'),
  port: z.number().int().min(1).max(65535).optional().describe('SMTP port; by default 465 for SMTPS, 587 for SMTP_TLS, 25 for SMTP.'),
  username: z.string().min(1).optional().describe("User to authenticate as (AUTH PLAIN/LOGIN), e.g. `{{ secret('SMTP_USERNAME') }}`."),
  password: z.string().min(1).optional().describe("Password of `username`, e.g. `{{ secret('SMTP_PASSWORD') }}`. Masked in logs and errors."),
  transportStrategy: z
    .enum(['SMTPS', 'SMTP_TLS', 'SMTP'])
    .default('SMTPS')
    .describe(
      '`SMTPS`: TLS from the first byte (port 465, the default); `SMTP_TLS`: plain connection upgraded with STARTTLS, which is required; `SMTP`: no TLS (a relay on localhost only).',
    ),
  sessionTimeout: z.number().int().min(1).default(10000).describe('Milliseconds to wait for the server to connect, greet and answer each step (default 10000).'),
  caCert: z.string().optional().describe('PEM certificate(s) of the CA that signed the SMTP server certificate (private PKI).'),
  insecure: z.boolean().default(false).describe('Skip TLS certificate verification. Only for lab servers with self-signed certificates; prefer `caCert`.'),
};

/** Kestra's MailSend.Attachment: a file of internal storage, the name it has in the e-mail, its MIME type. */
export const attachmentSchema = z
  .object({
    name: z.string().min(1, 'name is required: the file name the recipient sees, e.g. report.csv').describe("The file's name in the e-mail, e.g. `report.csv`."),
    uri: z
      .string()
      .min(1, 'uri is required: a kestra:/// or nsfile:// URI, e.g. {{ outputs.export.uri }}')
      .describe("The file: a `kestra:///…` internal-storage URI (a task's output, a FILE input) or a namespace file `nsfile:///…`, e.g. `{{ outputs.export.uri }}`."),
    contentType: z.string().min(1).default('application/octet-stream').describe('MIME type, e.g. `text/csv` or `image/png` (default `application/octet-stream`).'),
  })
  .strict();

export type MailAttachment = z.output<typeof attachmentSchema>;

const attachmentList = (what: string) =>
  z
    .union([z.array(attachmentSchema), z.string()])
    .optional()
    .describe(
      `${what} A list of \`{name, uri, contentType}\`, or Kestra's string form: a JSON array of them, e.g. \`{{ inputs.attachments | toJson }}\`. At most ${MAX_ATTACHMENT_MB} MB in all.`,
    );

/** The sum of every attached and embedded file a message may carry: most servers refuse more than 25 MB once base64 is counted. */
export const MAX_ATTACHMENT_MB = 18;

/** Kestra's attachments and embeddedImages, on MailSend and MailExecution alike. */
export const filesShape = {
  attachments: attachmentList('Files attached to the e-mail, shown by mail clients as files to open or save.'),
  embeddedImages: attachmentList('Images carried inline, for the HTML body to show: refer to one by its name as content id, `<img src="cid:chart.png">`.'),
};

export const mailShape = {
  from: z.string().min(1, 'from is required: the sender address').describe('Sender address, e.g. `baton@example.com` or `Baton <baton@example.com>`.'),
  to: addresses,
  cc: addresses.optional(),
  subject: z.string().optional().describe('Subject line.'),
};

const requireAuthPair = (props: { username?: string; password?: string }, ctx: z.RefinementCtx) => {
  if (!!props.username !== !!props.password)
    ctx.addIssue({ code: 'custom', path: [props.username ? 'password' : 'username'], message: 'give both username and password, or neither' });
};

export const mailOutputs = z.object({
  messageId: z.string().describe('Message-ID the server accepted the message under.'),
  accepted: z.array(z.string()).describe('Recipients the server accepted.'),
  rejected: z.array(z.string()).describe('Recipients the server refused (the task fails when it refused all of them).'),
});

export const mailSendDefinition = definePlugin({
  id: 'notifications.mail.MailSend',
  aliases: ['io.kestra.plugin.notifications.mail.MailSend'],
  title: 'Send an e-mail over SMTP',
  group: `${GROUP} / Mail`,
  description: [
    'Sends an e-mail with a plain-text and/or HTML body through an SMTP server, over TLS (SMTPS or STARTTLS) with authentication.',
    'Attaches files of internal storage (`attachments`) and embeds images for the HTML body (`embeddedImages`), as Kestra does.',
    '',
    'Needs: an SMTP server and, usually, a user and password kept in secrets. Not idempotent: a retry after a lost answer can send twice.',
  ].join('\n'),
  props: z
    .object({
      ...smtpShape,
      ...mailShape,
      ...filesShape,
      htmlTextContent: z.string().optional().describe('HTML body. Mail clients that show HTML prefer it to the plain text.'),
      plainTextContent: z.string().optional().describe('Plain-text body; by default "Please view this email in a modern email client" when only HTML is given, as in Kestra.'),
    })
    .strict()
    .superRefine(requireAuthPair),
  outputs: mailOutputs,
  idempotent: false,
  activity: { timeout: 'PT2M', heartbeatTimeout: 'PT30S', retry: { maxAttempt: 3, interval: 'PT5S', backoffCoefficient: 2, maxInterval: 'PT1M' } },
  examples: [
    {
      title: 'Mail the on-call team when a flow fails',
      flow: `id: mail-on-failure
namespace: infra.delivery
tasks:
  - id: deploy
    type: io.kestra.plugin.core.log.Log
    message: deploying
errors:
  - id: mail
    type: io.kestra.plugin.notifications.mail.MailSend
    host: smtp.example.com
    port: 465
    username: "{{ secret('SMTP_USERNAME') }}"
    password: "{{ secret('SMTP_PASSWORD') }}"
    from: baton@example.com
    to: oncall@example.com;platform@example.com
    subject: "{{ flow.namespace }}.{{ flow.id }} failed"
    htmlTextContent: "<p>Execution {{ execution.id }} failed.</p>"
`,
    },
    {
      title: 'Mail a downloaded report as an attachment',
      flow: `id: mail-report
namespace: infra.reports
tasks:
  - id: export
    type: io.kestra.plugin.core.http.Download
    uri: https://inventory.example.com/api/report.csv
  - id: mail
    type: io.kestra.plugin.notifications.mail.MailSend
    host: smtp.example.com
    username: "{{ secret('SMTP_USERNAME') }}"
    password: "{{ secret('SMTP_PASSWORD') }}"
    from: baton@example.com
    to: platform@example.com
    subject: Inventory report
    htmlTextContent: '<p>The report is attached.</p><img src="cid:logo.png">'
    attachments:
      - name: report.csv
        uri: "{{ outputs.export.uri }}"
        contentType: text/csv
    embeddedImages:
      - name: logo.png
        uri: nsfile:///images/logo.png
        contentType: image/png
`,
    },
  ],
});

export const mailExecutionDefinition = definePlugin({
  id: 'notifications.mail.MailExecution',
  aliases: ['io.kestra.plugin.notifications.mail.MailExecution'],
  title: 'E-mail a summary of an execution',
  group: `${GROUP} / Mail`,
  description: [
    'Sends an e-mail summarising an execution (state, flow, duration, failed task and error, custom fields) in text and HTML, with the link to the execution page.',
    EXECUTION_NOTE,
    '',
    'Needs: an SMTP server and, usually, a user and password kept in secrets. Not idempotent: a retry after a lost answer can send twice.',
  ].join('\n'),
  props: z
    .object({ ...smtpShape, ...mailShape, ...filesShape, ...executionShape })
    .strict()
    .superRefine(requireAuthPair),
  outputs: mailOutputs.extend({
    executionId: z.string().describe('The execution the e-mail was about.'),
    state: z.string().describe('Its state as reported.'),
    link: z.string().describe('The link to its page in Baton.'),
  }),
  idempotent: false,
  activity: mailSendDefinition.activity,
  examples: [
    {
      title: 'E-mail a summary when the flow fails',
      flow: `id: mail-execution-on-failure
namespace: infra.delivery
tasks:
  - id: patch
    type: io.kestra.plugin.core.log.Log
    message: patching
errors:
  - id: mail
    type: io.kestra.plugin.notifications.mail.MailExecution
    host: smtp.example.com
    transportStrategy: SMTP_TLS
    port: 587
    username: "{{ secret('SMTP_USERNAME') }}"
    password: "{{ secret('SMTP_PASSWORD') }}"
    from: baton@example.com
    to: [oncall@example.com]
    customMessage: Runbook at https://wiki.example.com/patching
`,
    },
  ],
});
