// Where the integration stack's worker sends approval notifications: a webhook receiver and a
// real SMTP server (smtp-server), both on loopback. Tests read what arrived over HTTP
// (GET <url>/received), since the global setup runs in another process than the tests.
import http from 'node:http';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  from: string;
  to: string[];
  /** The message as sent, quoted-printable soft breaks and escapes decoded. */
  text: string;
}

export interface Received {
  webhooks: { path: string; body: unknown }[];
  mails: ReceivedMail[];
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
  const web = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x');
      if (req.method === 'GET' && url.pathname === '/received') {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(received));
        return;
      }
      let parsed: unknown = body;
      try {
        parsed = JSON.parse(body);
      } catch {
        // kept as text
      }
      received.webhooks.push({ path: url.pathname, body: parsed });
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  await new Promise<void>((r) => web.listen(0, '127.0.0.1', r));
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        received.mails.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          text: decodeQuotedPrintable(Buffer.concat(chunks).toString('latin1')),
        });
        callback();
      });
    },
  });
  await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', () => r()));
  const webPort = (web.address() as { port: number }).port;
  const smtpPort = (smtp.server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${webPort}`,
    webhookUrl: `http://127.0.0.1:${webPort}/webhook`,
    smtpUrl: `smtp://127.0.0.1:${smtpPort}`,
    received,
    close: async () => {
      web.closeAllConnections();
      await new Promise<void>((r) => web.close(() => r()));
      await new Promise<void>((r) => smtp.close(() => r()));
    },
  };
}

/** What the sink received so far (for tests, from another process). */
export async function notificationsReceived(sinkUrl: string): Promise<Received> {
  return (await fetch(`${sinkUrl}/received`)).json() as Promise<Received>;
}
