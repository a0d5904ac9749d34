// A namespace's notification rule (docs/notifications.md, "For a whole namespace"): the
// `notifications:` of every flow of the namespace and its children that lists none itself.
import type { Db } from '@baton/db';
import { namespaceChain, validateNamespaceNotifications, type NotificationSpec } from '@baton/flow';
import type { PluginRegistry } from '@baton/plugin-sdk';
import { AppError } from './app-error';
import type { FlowService } from './flows';
import { checkNamespace } from './limits';

export interface NamespaceNotificationsView {
  namespace: string;
  /** 0 when the namespace has no rule of its own. */
  revision: number;
  source: string;
  createdBy: string | null;
  created: string | null;
}

/** The rule a flow falls back to: the closest namespace with one, and its entries as that flow sees them. */
export interface EffectiveNotificationRule {
  namespace: string;
  revision: number;
  notifications: NotificationSpec[];
}

interface Row {
  namespace: string;
  revision: number;
  source: string;
  created_by: string | null;
  created_at: Date;
}

const EMPTY_SOURCE = 'notifications: []\n';

const view = (namespace: string, row?: Row): NamespaceNotificationsView =>
  row
    ? { namespace, revision: row.revision, source: row.source, createdBy: row.created_by, created: row.created_at.toISOString() }
    : { namespace, revision: 0, source: EMPTY_SOURCE, createdBy: null, created: null };

/**
 * Stored as revisions of the YAML source (like plugin defaults): the entries are validated on save
 * with the namespace's plugin defaults, and again for each flow they apply to with the defaults that
 * flow sees (a child namespace may set the webhook URL its parent's rule leaves out).
 *
 * Which rule applies: the flow's own `notifications:` if it writes the key (even `[]`, the opt-out);
 * otherwise the rule of the closest namespace that has one, the flow's own namespace first; a
 * child's rule replaces its parent's (`notifications: []` there opts the subtree out).
 */
export class NamespaceNotificationsService {
  constructor(
    private readonly db: Db,
    private readonly flows: FlowService,
    private readonly registry: PluginRegistry,
  ) {}

  async get(tenant: string, namespace: string): Promise<NamespaceNotificationsView> {
    checkNamespace(namespace);
    const rows = await this.db.$queryRaw<Row[]>`
      SELECT namespace, revision, source, created_by, created_at FROM namespace_notification_rules
      WHERE tenant = ${tenant} AND namespace = ${namespace} ORDER BY revision DESC LIMIT 1`;
    return view(namespace, rows[0]);
  }

  async revisions(tenant: string, namespace: string): Promise<NamespaceNotificationsView[]> {
    checkNamespace(namespace);
    const rows = await this.db.$queryRaw<Row[]>`
      SELECT namespace, revision, source, created_by, created_at FROM namespace_notification_rules
      WHERE tenant = ${tenant} AND namespace = ${namespace} ORDER BY revision DESC LIMIT 200`;
    return rows.map((r) => view(namespace, r));
  }

  /** Saves a new revision; invalid YAML is a 422 with each error's line and column; an unchanged source creates nothing. */
  async put(tenant: string, namespace: string, source: string, author?: string): Promise<NamespaceNotificationsView & { changed: boolean }> {
    checkNamespace(namespace);
    if (!source.trim())
      throw new AppError('BAD_REQUEST', 'send the rule as YAML (Content-Type: application/x-yaml): `notifications:` with a list of notification tasks, or [] for none');
    await this.validate(tenant, namespace, source);
    return this.db.$transaction(async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`notification-rule:${tenant}:${namespace}`}))`;
      const rows = await tx.$queryRaw<Row[]>`
        SELECT namespace, revision, source, created_by, created_at FROM namespace_notification_rules
        WHERE tenant = ${tenant} AND namespace = ${namespace} ORDER BY revision DESC LIMIT 1`;
      const current = rows[0];
      if (current && current.source === source) return { ...view(namespace, current), changed: false };
      const inserted = await tx.$queryRaw<Row[]>`
        INSERT INTO namespace_notification_rules (tenant, namespace, revision, source, created_by)
        VALUES (${tenant}, ${namespace}, ${(current?.revision ?? 0) + 1}, ${source}, ${author ?? null})
        RETURNING namespace, revision, source, created_by, created_at`;
      return { ...view(namespace, inserted[0]), changed: true };
    });
  }

  /** The entries of `source` as a flow of `namespace` sees them; a 422 with line and column when invalid. */
  async validate(tenant: string, namespace: string, source: string): Promise<NotificationSpec[]> {
    const result = validateNamespaceNotifications(source, { registry: this.registry, defaultLayers: await this.flows.defaultLayersFor(tenant, namespace) });
    if (!result.notifications) throw new AppError('UNPROCESSABLE', `the notification rule of namespace ${namespace} is not valid`, result.errors);
    return result.notifications;
  }

  /**
   * The rule in force for a flow of `namespace` (the closest namespace with a rule), or undefined.
   * With `pinned`, that revision of that namespace's rule (a send retried after a newer save).
   */
  async effective(tenant: string, namespace: string, pinned?: { namespace: string; revision: number }): Promise<EffectiveNotificationRule | undefined> {
    let row: Row | undefined;
    if (pinned) {
      const rows = await this.db.$queryRaw<Row[]>`
        SELECT namespace, revision, source, created_by, created_at FROM namespace_notification_rules
        WHERE tenant = ${tenant} AND namespace = ${pinned.namespace} AND revision = ${pinned.revision}`;
      row = rows[0];
    } else {
      const chain = namespaceChain(namespace);
      const rows = await this.db.$queryRaw<Row[]>`
        SELECT DISTINCT ON (namespace) namespace, revision, source, created_by, created_at
        FROM namespace_notification_rules WHERE tenant = ${tenant} AND namespace = ANY(${chain})
        ORDER BY namespace, revision DESC`;
      // The closest: the longest namespace of the chain that has a rule.
      row = rows.sort((a, b) => b.namespace.length - a.namespace.length)[0];
    }
    if (!row) return undefined;
    return { namespace: row.namespace, revision: row.revision, notifications: await this.validate(tenant, namespace, row.source) };
  }
}
