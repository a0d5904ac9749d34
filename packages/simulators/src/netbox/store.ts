/**
 * NetBox objects kept by the simulator: the dcim and ipam models Baton's plugin uses. Related
 * objects are stored by id and rendered nested, as NetBox does.
 */
export type Kind = 'sites' | 'manufacturers' | 'device-types' | 'device-roles' | 'devices' | 'interfaces' | 'ip-addresses' | 'prefixes' | 'platforms' | 'tenants';

export interface Tag {
  name: string;
  slug: string;
}

export interface NbRecord {
  id: number;
  created: string;
  last_updated: string;
  tags: Tag[];
  custom_fields: Record<string, unknown>;
  description: string;
  [field: string]: unknown;
}

export class NetBoxStore {
  readonly tables = new Map<Kind, Map<number, NbRecord>>();
  private nextId = new Map<Kind, number>();

  constructor(private readonly seedData: boolean) {
    this.reset();
  }

  reset(): void {
    for (const kind of ['sites', 'manufacturers', 'device-types', 'device-roles', 'devices', 'interfaces', 'ip-addresses', 'prefixes', 'platforms', 'tenants'] as Kind[]) {
      this.tables.set(kind, new Map());
      this.nextId.set(kind, 1);
    }
    if (!this.seedData) return;
    const site = this.insert('sites', { name: 'DC1', slug: 'dc1', status: 'active' });
    this.insert('sites', { name: 'DC2', slug: 'dc2', status: 'active' });
    const mfr = this.insert('manufacturers', { name: 'Generic', slug: 'generic' });
    this.insert('device-types', { manufacturer: mfr.id, model: 'Server 1U', slug: 'server-1u', u_height: 1 });
    this.insert('device-roles', { name: 'Server', slug: 'server', color: '2196f3', vm_role: false });
    this.insert('platforms', { name: 'Ubuntu 22.04', slug: 'ubuntu-jammy' });
    this.insert('tenants', { name: 'Platform', slug: 'platform' });
    this.insert('prefixes', { prefix: '10.100.1.0/24', status: 'active', site: site.id });
  }

  table(kind: Kind): Map<number, NbRecord> {
    return this.tables.get(kind)!;
  }

  all(kind: Kind): NbRecord[] {
    return [...this.table(kind).values()];
  }

  get(kind: Kind, id: number): NbRecord | undefined {
    return this.table(kind).get(id);
  }

  insert(kind: Kind, fields: Record<string, unknown>): NbRecord {
    const id = this.nextId.get(kind)!;
    this.nextId.set(kind, id + 1);
    const now = new Date().toISOString();
    const record: NbRecord = { tags: [], custom_fields: {}, description: '', ...fields, id, created: now, last_updated: now };
    this.table(kind).set(id, record);
    return record;
  }

  snapshot(): unknown {
    return Object.fromEntries([...this.tables].map(([kind, table]) => [kind, [...table.values()]]));
  }
}
