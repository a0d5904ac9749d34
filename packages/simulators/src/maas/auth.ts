import type { SimRequest, SimResponse } from '../kit/router.js';
import { text } from './respond.js';

/**
 * MAAS authenticates API calls with OAuth 1.0a, PLAINTEXT signatures. The API key is
 * `consumer_key:token_key:token_secret`; the consumer secret is empty, so the signature is
 * `&<token_secret>` (both parts percent-encoded, RFC 5849 §3.4.4).
 */
export interface MaasKey {
  consumerKey: string;
  tokenKey: string;
  tokenSecret: string;
}

export function parseApiKey(apiKey: string): MaasKey {
  const [consumerKey, tokenKey, tokenSecret] = apiKey.split(':');
  return { consumerKey, tokenKey, tokenSecret };
}

/** `OAuth a="1", b="2"` → {a: '1', b: '2'} (values percent-decoded). */
export function parseOAuthHeader(header: string | undefined): Record<string, string> | undefined {
  if (!header || !/^OAuth\s/i.test(header)) return undefined;
  const out: Record<string, string> = {};
  for (const m of header.slice(6).matchAll(/([a-z_]+)="([^"]*)"/gi)) {
    try {
      out[m[1]] = decodeURIComponent(m[2]);
    } catch {
      out[m[1]] = m[2];
    }
  }
  return out;
}

/** undefined when the request is signed with `key`, otherwise MAAS's 401 (plain text). */
export function verifyOAuth(req: SimRequest, key: MaasKey): SimResponse | undefined {
  const params = parseOAuthHeader(req.headers.authorization);
  if (!params) return text(401, 'Authorization Error: No OAuth header: this API needs an API key (consumer:token:secret)');
  const missing = ['oauth_consumer_key', 'oauth_token', 'oauth_signature_method', 'oauth_signature', 'oauth_nonce', 'oauth_timestamp'].filter((name) => params[name] === undefined);
  if (missing.length) return text(401, `Authorization Error: Missing parameters: ${missing.join(', ')}`);
  if (params.oauth_signature_method !== 'PLAINTEXT') {
    return text(401, `Authorization Error: Invalid signature method '${params.oauth_signature_method}': MAAS accepts PLAINTEXT`);
  }
  if (params.oauth_consumer_key !== key.consumerKey) return text(401, `Authorization Error: Invalid consumer: ${params.oauth_consumer_key}`);
  if (params.oauth_token !== key.tokenKey) return text(401, `Authorization Error: Invalid access token: ${params.oauth_token}`);
  if (params.oauth_signature !== `&${key.tokenSecret}`) return text(401, 'Authorization Error: Invalid signature');
  if (!/^\d+$/.test(params.oauth_timestamp)) return text(401, 'Authorization Error: Invalid timestamp');
  return undefined;
}
