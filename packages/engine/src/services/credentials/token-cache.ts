import { credentialError, type CredentialStore, type LoadedCredential } from './store';
import { mintCredential, type MintedCredential } from './mint';

/** A token is refreshed this long before it expires (or at half its life, when shorter). */
export const REFRESH_MARGIN_MS = 60_000;

interface Entry {
  revision: number;
  mintedAt: number;
  minted: Promise<MintedCredential>;
}

export interface ResolvedCredential extends MintedCredential {
  name: string;
  type: string;
  definedIn: string;
}

/**
 * The worker's minting cache: one entry per credential (tenant, defining namespace, name), valid
 * for one revision (a rotation bumps it, so the next use mints with the new material) and until
 * shortly before the token expires. Tokens live in this process's memory only: never in
 * PostgreSQL, never in Temporal history. Concurrent uses share one token request.
 */
export class CredentialTokens {
  private readonly entries = new Map<string, Entry>();
  /** Token requests made, for the worker's own figures and tests. */
  mints = 0;

  constructor(
    private readonly store: CredentialStore,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * The credential's current material as `namespace` sees it. `stale`: a token the caller saw
   * refused (a 401); if the cache still holds it, it is dropped and a new one minted (once, however
   * many tasks report the same token).
   */
  async resolve(tenant: string, namespace: string, name: string, stale?: string): Promise<ResolvedCredential> {
    const loaded = await this.store.load(tenant, namespace, name);
    const key = `${tenant}\u0000${loaded.definedIn}\u0000${name}`;
    let entry = this.entries.get(key);
    if (entry && entry.revision === loaded.revision) {
      const current = await entry.minted.catch(() => undefined);
      const latest = this.entries.get(key);
      if (latest !== entry) {
        // Another use replaced it while this one waited (a refresh after the same 401): take theirs.
        entry = latest?.revision === loaded.revision ? latest : undefined;
      } else if (!current || this.expiring(current, entry.mintedAt) || (stale !== undefined && current.token === stale)) {
        this.entries.delete(key);
        entry = undefined;
      }
    } else entry = undefined;
    entry ??= this.mint(key, loaded);
    const minted = await entry.minted;
    await this.store.markUsed(tenant, loaded.definedIn, name);
    return { ...minted, name, type: loaded.type, definedIn: loaded.definedIn };
  }

  private mint(key: string, loaded: LoadedCredential): Entry {
    this.mints++;
    const minted = mintCredential(loaded.type, loaded.settings, loaded.secrets, this.now()).catch((error: unknown) => {
      // A failure is not cached: the next use asks the provider again.
      if (this.entries.get(key) === entry) this.entries.delete(key);
      throw credentialError(loaded.name, loaded.definedIn, loaded.type, error);
    });
    const entry: Entry = { revision: loaded.revision, mintedAt: this.now(), minted };
    this.entries.set(key, entry);
    return entry;
  }

  /** Within the refresh margin: a minute, or half the token's life for short-lived tokens. */
  private expiring(minted: MintedCredential, mintedAt: number): boolean {
    if (minted.expiresAt === undefined) return false;
    const margin = Math.min(REFRESH_MARGIN_MS, (minted.expiresAt - mintedAt) / 2);
    return this.now() >= minted.expiresAt - margin;
  }
}
