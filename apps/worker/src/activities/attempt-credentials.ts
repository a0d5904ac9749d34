import type { CredentialTokens, ResolvedCredential } from '@baton/engine';
import type { Credential, SecretMasker } from '@baton/plugin-sdk';

/** Values of a credential that are secret (masked); usernames, header names and certificates are not. */
const SECRET_VALUES = ['token', 'password', 'apiKey', 'privateKey', 'passphrase'];

/**
 * The credentials one task attempt uses: resolved through the worker's token cache, their tokens
 * masked, and remembered so that a 401 answered to a request carrying one of them re-mints that
 * credential (the task context's HTTP client then retries once with the fresh token).
 */
export class AttemptCredentials {
  /** token → credential name, for every token this attempt handed out. */
  private readonly names = new Map<string, string>();

  constructor(
    private readonly tokens: CredentialTokens,
    private readonly tenant: string,
    private readonly namespace: string,
    private readonly masker: SecretMasker,
  ) {}

  async resolve(name: string, stale?: string): Promise<ResolvedCredential> {
    const resolved = await this.tokens.resolve(this.tenant, this.namespace, name, stale);
    this.names.set(resolved.token, name);
    for (const key of SECRET_VALUES) this.masker.add(resolved.values[key]);
    this.masker.add(resolved.token);
    return resolved;
  }

  /** What ctx.credential(name) gives a plugin. */
  async forTask(name: string): Promise<Credential> {
    const { type, token, values } = await this.resolve(name);
    return { name, type, token, values };
  }

  /** The HTTP client's 401 hook: re-mints each credential whose token the refused request carried. */
  readonly onUnauthorized = async (headers: Record<string, string>): Promise<[string, string][]> => {
    const sent = Object.values(headers).join('\n');
    const pairs: [string, string][] = [];
    for (const [token, name] of [...this.names]) {
      if (!sent.includes(token)) continue;
      const fresh = await this.resolve(name, token);
      if (fresh.token !== token) pairs.push([token, fresh.token]);
    }
    return pairs;
  };
}
