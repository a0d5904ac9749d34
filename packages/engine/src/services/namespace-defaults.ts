import type { Db } from '@baton/db';
import { namespaceChain, parsePluginDefaultsDocument, type DefaultLayer, type FlowError, type PluginDefault } from '@baton/flow';
import type { PluginRegistry } from '@baton/plugin-sdk';
import { stringify } from 'yaml';
import { AppError } from './app-error';
import { checkNamespace } from './limits';

/** `''` is the tenant-wide layer (written `_` in URLs); anything else is a dotted namespace. */
export const TENANT_WIDE = '';

export interface NamespaceDefaultsView {
  namespace: string;
  /** 0 when nothing was ever stored. */
  revision: number;
  defaults: PluginDefault[];
  /** The YAML as last saved (or generated from the form), for the YAML view and for export. */
  source: string;
  createdBy: string | null;
  created: string | null;
}

interface Row {
  namespace: string;
  revision: number;
  defaults: unknown;
  source: string;
  created_by: string | null;
  created_at: Date;
}

const view = (namespace: string, row?: Row): NamespaceDefaultsView =>
  row
    ? { namespace, revision: row.revision, defaults: row.defaults as PluginDefault[], source: row.source, createdBy: row.created_by, created: row.created_at.toISOString() }
    : { namespace, revision: 0, defaults: [], source: '[]\n', createdBy: null, created: null };

/**
 * Plugin defaults per namespace (and tenant-wide), stored as revisions: each change is a new row,
 * nothing is overwritten, so history and "who changed what" come for free. Flows of a namespace
 * see the defaults of the tenant and of every namespace above theirs (docs/plugin-defaults.md).
 */
export class NamespaceDefaultsService {
  constructor(
    private readonly db: Db,
    private readonly registry: PluginRegistry,
  ) {}

  async get(tenant: string, namespace: string): Promise<NamespaceDefaultsView> {
    checkLayerName(namespace);
    const rows = await this.db.$queryRaw<Row[]>`
      SELECT namespace, revision, defaults, source, created_by, created_at FROM namespace_plugin_defaults
      WHERE tenant = ${tenant} AND namespace = ${namespace} ORDER BY revision DESC LIMIT 1`;
    return view(namespace, rows[0]);
  }

  /**
   * Saves a new revision from YAML (`source`) or from the form's list (`defaults`). Invalid input
   * is a 422 with every error and its line; an unchanged document creates no revision.
   */
  async put(tenant: string, namespace: string, input: { source?: string; defaults?: unknown }, author?: string) {
    checkLayerName(namespace);
    // The form's JSON is turned into YAML as sent, so one parser checks both and locates errors.
    const source = input.source ?? (Array.isArray(input.defaults) ? (input.defaults.length ? stringify(input.defaults) : '[]\n') : undefined);
    if (source === undefined)
      throw new AppError('BAD_REQUEST', 'send the defaults as YAML (Content-Type: application/x-yaml) or as JSON {"defaults": [{"type": ..., "values": {...}, "forced": false}]}');
    if (source.includes('\u0000')) throw new AppError('UNPROCESSABLE', 'plugin defaults cannot contain the NUL character (\\u0000)');
    const parsed = parsePluginDefaultsDocument(source, this.registry);
    if (!parsed.defaults) throw new AppError('UNPROCESSABLE', `the plugin defaults of ${label(namespace)} are not valid`, parsed.errors satisfies FlowError[]);
    const defaults = parsed.defaults;
    return this.db.$transaction(async (tx) => {
      // One writer per namespace at a time, so two saves cannot both become revision N+1.
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`plugin-defaults:${tenant}:${namespace}`}))`;
      const rows = await tx.$queryRaw<Row[]>`
        SELECT namespace, revision, defaults, source, created_by, created_at FROM namespace_plugin_defaults
        WHERE tenant = ${tenant} AND namespace = ${namespace} ORDER BY revision DESC LIMIT 1`;
      const current = rows[0];
      // The defaults are parsed from the source, so the same source is the same defaults.
      if (current && current.source === source) {
        return { ...view(namespace, current), changed: false };
      }
      const revision = (current?.revision ?? 0) + 1;
      const inserted = await tx.$queryRaw<Row[]>`
        INSERT INTO namespace_plugin_defaults (tenant, namespace, revision, defaults, source, created_by)
        VALUES (${tenant}, ${namespace}, ${revision}, ${JSON.stringify(defaults)}::jsonb, ${source}, ${author ?? null})
        RETURNING namespace, revision, defaults, source, created_by, created_at`;
      return { ...view(namespace, inserted[0]), changed: true };
    });
  }

  async revisions(tenant: string, namespace: string): Promise<NamespaceDefaultsView[]> {
    checkLayerName(namespace);
    const rows = await this.db.$queryRaw<Row[]>`
      SELECT namespace, revision, defaults, source, created_by, created_at FROM namespace_plugin_defaults
      WHERE tenant = ${tenant} AND namespace = ${namespace} ORDER BY revision DESC LIMIT 200`;
    return rows.map((r) => view(namespace, r));
  }

  /** The layers a flow of `namespace` sees, top first: tenant-wide, then root → leaf. */
  async layers(tenant: string, namespace: string): Promise<{ layers: DefaultLayer[] }> {
    const chain = [TENANT_WIDE, ...namespaceChain(namespace)];
    const rows = await this.db.$queryRaw<Row[]>`
      SELECT DISTINCT ON (namespace) namespace, revision, defaults, source, created_by, created_at
      FROM namespace_plugin_defaults WHERE tenant = ${tenant} AND namespace = ANY(${chain})
      ORDER BY namespace, revision DESC`;
    const byNamespace = new Map(rows.map((r) => [r.namespace, r]));
    const layers = chain.flatMap((ns) => {
      const row = byNamespace.get(ns);
      return row ? [{ source: ns === TENANT_WIDE ? 'tenant' : `namespace ${ns}`, defaults: row.defaults as PluginDefault[] }] : [];
    });
    return { layers };
  }
}

function checkLayerName(namespace: string) {
  if (namespace !== TENANT_WIDE) checkNamespace(namespace);
}

const label = (namespace: string) => (namespace === TENANT_WIDE ? 'the tenant' : `namespace ${namespace}`);
