// vim25 SOAP transport: one HTTPS POST per call to https://server:port/sdk, the session cookie kept
// between calls, faults turned into PluginErrors that say what to do. TLS trusts the system CAs, a
// trust store (PEM bundle or PKCS#12), or nothing at all with `insecure`.
import https from 'node:https';
import { PluginError, isPluginError, type PluginErrorCode } from '@baton/plugin-sdk';
import { child, element, parseXml, type XmlElement } from './xml';

export interface MoRef {
  type: string;
  value: string;
}

export const moRefXml = (name: string, ref: MoRef) => element(name, ref.value, { type: ref.type });

export function moRefOf(el: XmlElement | undefined): MoRef | undefined {
  if (!el) return undefined;
  return { type: el.attrs.type ?? '', value: el.text.trim() };
}

export interface TransportOptions {
  server: string;
  port: number;
  /** PEM CA certificates to trust (from a trust store); undefined means the system CAs. */
  ca?: string;
  insecure: boolean;
  signal: AbortSignal;
}

/** vim25 faults, by the name of the fault type, and what a user can do about each. */
const FAULTS: Record<string, { code: PluginErrorCode; advice?: string; retryable?: boolean }> = {
  InvalidLogin: { code: 'AUTHENTICATION', advice: 'check username and password (for vCenter usually user@vsphere.local)' },
  NotAuthenticated: { code: 'AUTHENTICATION', advice: 'the session expired or was ended; the next attempt logs in again', retryable: true },
  NoPermission: { code: 'PERMISSION_DENIED', advice: 'give the user a role with this privilege on the object' },
  ManagedObjectNotFound: { code: 'NOT_FOUND', advice: 'the object was deleted meanwhile' },
  InvalidPowerState: { code: 'CONFLICT' },
  InvalidState: { code: 'CONFLICT' },
  DuplicateName: { code: 'CONFLICT', advice: 'choose another name or delete the existing object first' },
  FileAlreadyExists: { code: 'CONFLICT', advice: 'choose another name or delete the existing VM first' },
  NotSupported: { code: 'CONFLICT' },
  NotImplemented: { code: 'CONFLICT', advice: 'this server (an ESXi host rather than vCenter?) does not offer this operation' },
  ToolsUnavailable: { code: 'CONFLICT', advice: 'VMware Tools are not running in the guest; use Reset for a hard restart' },
  InvalidArgument: { code: 'INVALID_PROPERTIES' },
  InvalidRequest: { code: 'INVALID_PROPERTIES' },
};

export class SoapTransport {
  private cookie: string | undefined;
  private readonly agent: https.Agent;

  constructor(private readonly opts: TransportOptions) {
    this.agent = new https.Agent({ keepAlive: true, ca: opts.ca, rejectUnauthorized: !opts.insecure });
  }

  get endpoint(): string {
    return `https://${this.opts.server}:${this.opts.port}/sdk`;
  }

  close(): void {
    this.agent.destroy();
  }

  /** Calls `method` on `self` and returns the response element (its `returnval` children hold the result). */
  async call(method: string, self: MoRef, args = ''): Promise<XmlElement> {
    const body =
      '<?xml version="1.0" encoding="UTF-8"?>' +
      '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
      `<soapenv:Body><${method} xmlns="urn:vim25">${moRefXml('_this', self)}${args}</${method}></soapenv:Body></soapenv:Envelope>`;
    const { status, text, setCookie } = await this.post(body, method);
    if (setCookie) this.cookie = setCookie;
    let doc: XmlElement;
    try {
      doc = parseXml(text);
    } catch (error) {
      throw new PluginError(
        'REMOTE_ERROR',
        `${this.endpoint} answered ${method} with HTTP ${status} and a body that is not XML (${(error as Error).message}); is this a vSphere server?`,
        {
          retryable: status >= 500,
        },
      );
    }
    const soapBody = child(child(doc, 'Envelope'), 'Body');
    const fault = child(soapBody, 'Fault');
    if (fault) throw this.faultError(method, fault);
    const response = child(soapBody, `${method}Response`);
    if (!response) throw new PluginError('REMOTE_ERROR', `${this.endpoint} answered ${method} (HTTP ${status}) without a ${method}Response`, { retryable: status >= 500 });
    return response;
  }

  private faultError(method: string, fault: XmlElement): PluginError {
    const detail = child(fault, 'detail')?.children[0];
    const faultType = detail?.attrs.type ?? detail?.name.replace(/Fault$/, '') ?? 'unknown';
    const message = child(fault, 'faultstring')?.text.trim() || faultType;
    const known = FAULTS[faultType];
    const advice = known?.advice ? ` (${known.advice})` : '';
    return new PluginError(known?.code ?? 'REMOTE_ERROR', `${method} failed on ${this.opts.server}: ${faultType}: ${message}${advice}`, {
      retryable: known?.retryable ?? false,
      details: { fault: faultType },
    });
  }

  private post(body: string, method: string): Promise<{ status: number; text: string; setCookie?: string }> {
    const { signal } = this.opts;
    if (signal.aborted) return Promise.reject(new PluginError('CANCELLED', `${method} was not sent: the task was cancelled`, { retryable: false }));
    return new Promise((resolve, reject) => {
      const req = https.request(
        this.endpoint,
        {
          method: 'POST',
          agent: this.agent,
          signal,
          headers: {
            'content-type': 'text/xml; charset=utf-8',
            soapaction: 'urn:vim25/8.0.2.0',
            ...(this.cookie ? { cookie: this.cookie } : {}),
          },
          timeout: 120_000,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', reject);
          res.on('end', () => {
            const raw = res.headers['set-cookie']?.find((c) => c.startsWith('vmware_soap_session'));
            resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8'), setCookie: raw?.split(';')[0] });
          });
        },
      );
      req.on('timeout', () => req.destroy(new Error('no answer within 120 s')));
      req.on('error', (error: NodeJS.ErrnoException) => reject(this.networkError(error, method)));
      req.end(body);
    });
  }

  private networkError(error: NodeJS.ErrnoException, method: string): PluginError {
    if (isPluginError(error)) return error;
    if (error.name === 'AbortError' || this.opts.signal.aborted) return new PluginError('CANCELLED', `${method} was interrupted: the task was cancelled`, { retryable: false });
    const where = `${this.opts.server}:${this.opts.port}`;
    const code = error.code ?? '';
    if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS/.test(code) || /certificate/i.test(error.message)) {
      return new PluginError(
        'REMOTE_ERROR',
        `the TLS certificate of ${where} is not trusted (${code || error.message}): give the CA that signed it as trustStore (PEM) or trustStorePath (PEM or PKCS#12), or, for a lab only, insecure: true`,
        { retryable: false },
      );
    }
    if (code === 'ENOTFOUND' || code === 'EAI_AGAIN')
      return new PluginError('UPSTREAM_UNAVAILABLE', `server '${this.opts.server}' does not resolve (${code}); check server (a host name or IP, no scheme)`, {
        retryable: code === 'EAI_AGAIN',
      });
    return new PluginError('UPSTREAM_UNAVAILABLE', `cannot reach ${where} for ${method}: ${code || error.message}`, { retryable: true });
  }
}
