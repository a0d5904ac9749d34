// Where the integration stack's worker sends approval notifications: a webhook receiver and a
// real SMTP server (smtp-server), both on loopback. Tests read what arrived over HTTP
// (GET <url>/received), since the global setup runs in another process than the tests.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';

export interface ReceivedMail {
  from: string;
  to: string[];
  /** The message as sent, quoted-printable soft breaks and escapes decoded. */
  text: string;
  /** The message exactly as received (for MIME parts: mimeParts()). */
  raw: string;
  /** Whether the session was over TLS, and the user it authenticated as (the TLS server only). */
  secure?: boolean;
  user?: string;
}

/** The SMTPS server beside the plain one: TLS from the first byte, AUTH required. */
export const SECURE_SMTP_USER = 'baton-mailer';
export const SECURE_SMTP_PASSWORD = 'smtp-test-password-7f3a';

/** A self-signed certificate for 127.0.0.1/localhost, made with openssl (it is on every test machine). */
export function selfSignedCertificate(): { key: string; cert: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'baton-smtp-'));
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '2',
        '-subj',
        '/CN=localhost',
        '-addext',
        'subjectAltName=IP:127.0.0.1,DNS:localhost',
        '-keyout',
        path.join(dir, 'key.pem'),
        '-out',
        path.join(dir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    return { key: fs.readFileSync(path.join(dir, 'key.pem'), 'utf8'), cert: fs.readFileSync(path.join(dir, 'cert.pem'), 'utf8') };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** An SMTP server recording what it receives; with `tls`, TLS (implicit, or STARTTLS) with that certificate and AUTH required. */
export async function startSmtpServer(
  mails: ReceivedMail[],
  options: { tls?: { key: string; cert: string }; user?: string; password?: string; starttls?: boolean } = {},
): Promise<{ port: number; close: () => Promise<void> }> {
  const common: SMTPServerOptions = {
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        mails.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          text: decodeQuotedPrintable(Buffer.concat(chunks).toString('latin1')),
          raw: Buffer.concat(chunks).toString('latin1'),
          ...(options.tls ? { secure: session.secure, user: session.user as string | undefined } : {}),
        });
        callback();
      });
    },
  };
  const smtp = options.tls
    ? new SMTPServer({
        ...common,
        // Implicit TLS (SMTPS), or a plain greeting that requires STARTTLS before AUTH.
        secure: !options.starttls,
        ...(options.starttls ? { allowInsecureAuth: false } : {}),
        key: options.tls.key,
        cert: options.tls.cert,
        authMethods: ['PLAIN', 'LOGIN'],
        onAuth(auth, _session, callback) {
          if (auth.username === options.user && auth.password === options.password) return callback(null, { user: auth.username });
          return callback(new Error('Invalid username or password'));
        },
      })
    : new SMTPServer({ ...common, authOptional: true, disabledCommands: ['STARTTLS'] });
  // A client that drops the connection (a refused certificate) must not crash the process.
  smtp.on('error', () => {});
  await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', () => r()));
  return { port: (smtp.server.address() as { port: number }).port, close: () => new Promise<void>((r) => smtp.close(() => r())) };
}

export interface Received {
  webhooks: { path: string; body: unknown }[];
  mails: ReceivedMail[];
}

export interface MimePart {
  /** Header names lower-cased, values unfolded. */
  headers: Record<string, string>;
  /** The body decoded from its Content-Transfer-Encoding (base64, quoted-printable, or as is). */
  body: Buffer;
}

/**
 * The leaf parts of a MIME message, nested multiparts walked (RFC 2045/2046, as far as mail from
 * nodemailer needs it), so a test can check what a mail really carries: files and their bytes.
 */
export function mimeParts(raw: string): MimePart[] {
  const split = raw.search(/\r?\n\r?\n/);
  const head = split < 0 ? raw : raw.slice(0, split);
  const body = split < 0 ? '' : raw.slice(split).replace(/^\r?\n\r?\n/, '');
  const headers: Record<string, string> = {};
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const boundary = /boundary="?([^";]+)"?/i.exec(headers['content-type'] ?? '')?.[1];
  if ((headers['content-type'] ?? '').toLowerCase().startsWith('multipart/') && boundary) {
    const sections = body.split(`--${boundary}`).slice(1);
    return sections.filter((p) => !p.startsWith('--')).flatMap((p) => mimeParts(p.replace(/^\r?\n/, '')));
  }
  const encoding = (headers['content-transfer-encoding'] ?? '').toLowerCase();
  const decoded =
    encoding === 'base64'
      ? Buffer.from(body.replace(/\s+/g, ''), 'base64')
      : encoding === 'quoted-printable'
        ? Buffer.from(decodeQuotedPrintable(body.replace(/\r?\n$/, '')), 'utf8')
        : Buffer.from(body.replace(/\r?\n$/, ''), 'latin1');
  return [{ headers, body: decoded }];
}

/** Undoes quoted-printable encoding (soft line breaks and =XX escapes) so links read whole. */
function decodeQuotedPrintable(raw: string): string {
  const joined = raw.replace(/=\r?\n/g, '');
  return Buffer.from(
    joined.replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))),
    'latin1',
  ).toString('utf8');
}

export async function startNotificationSink() {
  const received: Received = { webhooks: [], mails: [] };
  let config: { smtpsPort: number; smtpsCa: string } | undefined;
  const web = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x');
      if (req.method === 'GET' && url.pathname === '/received') {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(received));
        return;
      }
      if (req.method === 'GET' && url.pathname === '/config') {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(config));
        return;
      }
      let parsed: unknown = body;
      try {
        parsed = JSON.parse(body);
      } catch {
        // kept as text
      }
      received.webhooks.push({ path: url.pathname, body: parsed });
      // `/status/<code>/...` answers that status (a receiver that is down or refuses).
      const status = /^\/status\/(\d{3})(\/|$)/.exec(url.pathname);
      res.writeHead(status ? Number(status[1]) : 200, { 'content-type': 'text/plain' }).end(status ? `status ${status[1]}` : 'ok');
    });
  });
  await new Promise<void>((r) => web.listen(0, '127.0.0.1', r));
  const smtp = await startSmtpServer(received.mails);
  // The secure one (SMTPS with AUTH) for notification tasks; its CA goes to tests over GET /config.
  const tls = selfSignedCertificate();
  const smtps = await startSmtpServer(received.mails, { tls, user: SECURE_SMTP_USER, password: SECURE_SMTP_PASSWORD });
  const webPort = (web.address() as { port: number }).port;
  const smtpPort = smtp.port;
  config = { smtpsPort: smtps.port, smtpsCa: tls.cert };
  return {
    url: `http://127.0.0.1:${webPort}`,
    webhookUrl: `http://127.0.0.1:${webPort}/webhook`,
    smtpUrl: `smtp://127.0.0.1:${smtpPort}`,
    smtpsPort: smtps.port,
    smtpsCa: tls.cert,
    received,
    close: async () => {
      web.closeAllConnections();
      await new Promise<void>((r) => web.close(() => r()));
      await smtp.close();
      await smtps.close();
    },
  };
}

/** What the sink received so far (for tests, from another process). */
export async function notificationsReceived(sinkUrl: string): Promise<Received> {
  return (await fetch(`${sinkUrl}/received`)).json() as Promise<Received>;
}

/** The sink's SMTPS server (port and CA certificate), for tests in another process than the setup. */
export async function notificationSinkConfig(sinkUrl: string): Promise<{ smtpsPort: number; smtpsCa: string }> {
  return (await fetch(`${sinkUrl}/config`)).json() as Promise<{ smtpsPort: number; smtpsCa: string }>;
}
