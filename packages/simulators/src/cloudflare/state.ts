import type { SimClock } from '../kit/clock.js';
import { cfId, cfTime } from './envelope.js';

export interface CfSettings {
  token: string;
  email: string;
  globalKey: string;
  accountId: string;
  seed: boolean;
}

export interface Zone {
  id: string;
  name: string;
  status: 'initializing' | 'pending' | 'active' | 'moved';
  type: 'full' | 'partial' | 'secondary';
  account: { id: string; name: string };
  createdAt: number;
  modifiedAt: number;
  activatedAt: number | null;
}

export interface DnsRecord {
  id: string;
  zone_id: string;
  zone_name: string;
  name: string;
  type: string;
  content: string;
  proxiable: boolean;
  proxied: boolean;
  ttl: number;
  priority?: number;
  data?: Record<string, unknown>;
  comment?: string;
  tags: string[];
  created_on: string;
  modified_on: string;
}

export interface Purge {
  id: string;
  zone_id: string;
  at: string;
  purge_everything?: boolean;
  files?: unknown[];
  tags?: string[];
  hosts?: string[];
  prefixes?: string[];
}

export interface AccessRule {
  id: string;
  mode: string;
  notes: string;
  configuration: { target: string; value: string };
  scope: { id: string; type: 'zone' | 'account'; name?: string };
  created_on: string;
  modified_on: string;
}

export interface KvNamespace {
  id: string;
  title: string;
  accountId: string;
}

export interface KvEntry {
  value: Buffer;
  metadata?: unknown;
  /** Seconds since the epoch, as the KV API uses. */
  expiration?: number;
}

export interface RateLimitConfig {
  limit: number;
  windowSeconds: number;
}

/** Cloudflare's documented global limit: 1200 requests per 5 minutes per user/token. */
export const DEFAULT_RATE_LIMIT: RateLimitConfig = { limit: 1200, windowSeconds: 300 };

export const SEED_ZONE = { id: 'your_zone_id', name: 'example.com' };

/** All mutable Cloudflare state; reset() restores the seed. */
export class CfStore {
  zones = new Map<string, Zone>();
  records = new Map<string, DnsRecord>();
  purges: Purge[] = [];
  accessRules = new Map<string, AccessRule>();
  kvNamespaces = new Map<string, KvNamespace>();
  kv = new Map<string, Map<string, KvEntry>>();
  rateLimit: RateLimitConfig = { ...DEFAULT_RATE_LIMIT };

  constructor(
    readonly settings: CfSettings,
    readonly clock: SimClock,
  ) {
    this.reset();
  }

  reset(): void {
    this.zones.clear();
    this.records.clear();
    this.purges = [];
    this.accessRules.clear();
    this.kvNamespaces.clear();
    this.kv.clear();
    this.rateLimit = { ...DEFAULT_RATE_LIMIT };
    if (this.settings.seed) this.addZone(SEED_ZONE.name, SEED_ZONE.id, 'active');
  }

  addZone(name: string, id = cfId(), status: Zone['status'] = 'pending'): Zone {
    const now = this.clock.now();
    const zone: Zone = {
      id,
      name,
      status,
      type: 'full',
      account: { id: this.settings.accountId, name: 'Example Account' },
      createdAt: now,
      modifiedAt: now,
      activatedAt: status === 'active' ? now : null,
    };
    this.zones.set(id, zone);
    return zone;
  }

  nowIso(): string {
    return cfTime(this.clock.now());
  }

  nowSeconds(): number {
    return Math.floor(this.clock.now() / 1000);
  }

  /** Live entries of a namespace; expired keys are dropped here, which is when KV stops serving them. */
  kvEntries(namespaceId: string): Map<string, KvEntry> {
    let entries = this.kv.get(namespaceId);
    if (!entries) {
      entries = new Map();
      this.kv.set(namespaceId, entries);
    }
    const now = this.nowSeconds();
    for (const [key, entry] of entries) if (entry.expiration !== undefined && entry.expiration <= now) entries.delete(key);
    return entries;
  }

  snapshot(): unknown {
    const kv: Record<string, Record<string, unknown>> = {};
    for (const ns of this.kvNamespaces.values()) {
      kv[ns.id] = {};
      for (const [key, e] of this.kvEntries(ns.id)) {
        kv[ns.id][key] = { value: e.value.toString('utf8'), metadata: e.metadata ?? null, expiration: e.expiration ?? null };
      }
    }
    return {
      zones: [...this.zones.values()],
      records: [...this.records.values()],
      purges: this.purges,
      accessRules: [...this.accessRules.values()],
      kvNamespaces: [...this.kvNamespaces.values()],
      kv,
      rateLimit: this.rateLimit,
    };
  }
}
