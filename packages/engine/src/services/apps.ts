import type { Db } from '@baton/db';
import { apps as appModel } from '@baton/flow';
import { YamlSource, type FlowError } from '@baton/flow';
import { parse } from 'yaml';
import type { UploadedFile } from './storage/index';
import { AppError } from './app-error';
import type { ExecutionService } from './executions';
import type { FlowService } from './flows';
import { withinNamespaces } from './namespace-scope';

type AppDefinition = appModel.AppDefinition;
type AppBlock = appModel.AppBlock;

/** The label every execution started from an App carries (Kestra's `system.app`). */
export const APP_LABEL = 'system.app';

/** Who is using an App: a signed-in user (with their groups looked up here), or nobody (PUBLIC apps). */
export interface AppUser {
  /** What records say (the e-mail, `anonymous`). */
  id: string;
  /** Empty for an anonymous caller. */
  userId: string;
  /** The instance administrator (or BATON_AUTH=none): may use every app. */
  admin: boolean;
}

export interface AppSummary {
  id: string;
  namespace: string;
  flowId: string;
  displayName: string;
  description?: string;
  tags: string[];
  access: appModel.AppAccess;
  disabled: boolean;
  revision: number;
  created: string;
  createdBy: string | null;
  updated: string;
  updatedBy: string | null;
}

type AppRow = {
  tenant: string;
  id: string;
  namespace: string;
  flowId: string;
  displayName: string;
  source: string;
  revision: number;
  accessType: string;
  groups: string[];
  catalog: boolean;
  disabled: boolean;
  tags: string[];
  createdAt: Date;
  createdBy: string | null;
  updatedAt: Date;
  updatedBy: string | null;
};

function definitionOf(row: AppRow): AppDefinition {
  const { app } = appModel.parseApp(row.source);
  // Stored sources were valid when saved; a later schema change must not make an app unreadable.
  if (!app) throw new AppError('CONFLICT', `app ${row.id} no longer validates; open it in the editor and save it again`);
  return app;
}

function summary(row: AppRow, app: AppDefinition): AppSummary {
  return {
    id: row.id,
    namespace: row.namespace,
    flowId: row.flowId,
    displayName: row.displayName,
    description: app.description,
    tags: row.tags,
    access: app.access,
    disabled: row.disabled,
    revision: row.revision,
    created: row.createdAt.toISOString(),
    createdBy: row.createdBy,
    updated: row.updatedAt.toISOString(),
    updatedBy: row.updatedBy,
  };
}

/** Only what a filter lets through: include wins over exclude (Kestra's IncludeOrExcludeFilter). */
function filtered<T>(entries: [string, T][], filter?: { include?: string[]; exclude?: string[] }): [string, T][] {
  if (filter?.include?.length) return entries.filter(([k]) => filter.include!.includes(k));
  if (filter?.exclude?.length) return entries.filter(([k]) => !filter.exclude!.includes(k));
  return entries;
}

/**
 * Apps (docs/apps.md): Kestra's self-service forms. Management (save, list, delete) is checked by
 * the routes (Editor at the app's namespace); using an app is decided here by its `access`.
 */
export class AppService {
  constructor(
    private readonly db: Db,
    private readonly flows: FlowService,
    private readonly executions: ExecutionService,
  ) {}

  validate(source: string): { app?: AppDefinition; errors: FlowError[] } {
    return appModel.parseApp(source);
  }

  /** The parsed app, or 422 with every error at its line and column; the flow must exist. */
  private async check(tenant: string, source: string): Promise<AppDefinition> {
    const { app, errors } = appModel.parseApp(source);
    if (!app)
      throw new AppError(
        'UNPROCESSABLE',
        `the app has ${errors.length} error${errors.length === 1 ? '' : 's'}; the first: line ${errors[0].line}, column ${errors[0].column}: ${errors[0].message}`,
        errors,
      );
    const flow = await this.db.flow.findUnique({ where: { tenant_namespace_id: { tenant, namespace: app.namespace, id: app.flowId } }, select: { deleted: true } });
    if (!flow || flow.deleted) {
      const at = locate(source, 'flowId');
      const error = { path: 'flowId', ...at, message: `no flow ${app.namespace}.${app.flowId} in tenant ${tenant}; an app starts a flow of its own namespace` };
      throw new AppError('UNPROCESSABLE', `line ${at.line}, column ${at.column}: ${error.message}`, [error]);
    }
    return app;
  }

  /** `create`: refuses an existing id (409); otherwise updates `id` and refuses a YAML that renames it. */
  async save(tenant: string, source: string, by: string, mode: { create: true } | { update: string }): Promise<{ app: AppSummary; created: boolean }> {
    const app = await this.check(tenant, source);
    if ('update' in mode && app.id !== mode.update) throw new AppError('BAD_REQUEST', `the YAML declares app ${app.id}, not ${mode.update}; an app's id cannot change`);
    const fields = {
      namespace: app.namespace,
      flowId: app.flowId,
      displayName: app.displayName,
      source,
      accessType: app.access.type,
      groups: app.access.groups,
      catalog: app.access.catalog,
      disabled: app.disabled,
      tags: app.tags,
    };
    return this.db.$transaction(async (tx) => {
      const existing = await tx.app.findUnique({ where: { tenant_id: { tenant, id: app.id } } });
      if ('create' in mode && existing) throw new AppError('CONFLICT', `app ${app.id} exists in tenant ${tenant}; update it with PUT /api/v1/${tenant}/apps/${app.id}`);
      if ('update' in mode && !existing) throw new AppError('NOT_FOUND', `app ${mode.update} not found in tenant ${tenant}`);
      if (existing && existing.namespace !== app.namespace) {
        throw new AppError('BAD_REQUEST', `app ${app.id} belongs to namespace ${existing.namespace}; delete it and create it again to move it`);
      }
      // Revisions outlive a deleted app, so a re-created one continues their numbering.
      const last = await tx.appRevision.aggregate({ where: { tenant, appId: app.id }, _max: { revision: true } });
      const revision = (last._max.revision ?? 0) + 1;
      const now = new Date();
      const row = existing
        ? await tx.app.update({ where: { tenant_id: { tenant, id: app.id } }, data: { ...fields, revision, updatedAt: now, updatedBy: by } })
        : await tx.app.create({ data: { tenant, id: app.id, ...fields, revision, createdBy: by, updatedBy: by, createdAt: now, updatedAt: now } });
      await tx.appRevision.create({ data: { tenant, appId: app.id, revision, source, createdBy: by } });
      return { app: summary(row, app), created: !existing };
    });
  }

  private async row(tenant: string, id: string): Promise<AppRow> {
    const row = await this.db.app.findUnique({ where: { tenant_id: { tenant, id } } });
    if (!row) throw new AppError('NOT_FOUND', `app ${id} not found in tenant ${tenant}`);
    return row;
  }

  /** The namespace of an app (the access rule of its management routes), undefined when there is none. */
  async namespaceOf(tenant: string, id: string): Promise<string | undefined> {
    return (await this.db.app.findUnique({ where: { tenant_id: { tenant, id } }, select: { namespace: true } }))?.namespace;
  }

  async get(tenant: string, id: string): Promise<AppSummary & { source: string }> {
    const row = await this.row(tenant, id);
    return { ...summary(row, definitionOf(row)), source: row.source };
  }

  async source(tenant: string, id: string): Promise<string> {
    return (await this.row(tenant, id)).source;
  }

  /** Apps in the namespaces `within` (undefined: all), for editors. */
  async list(tenant: string, query: { within?: string[]; namespace?: string; q?: string; tags?: string[] }): Promise<AppSummary[]> {
    const rows = await this.db.app.findMany({
      where: {
        tenant,
        AND: [
          ...(query.within ? [withinNamespaces(query.within)] : []),
          ...(query.namespace ? [withinNamespaces([query.namespace])] : []),
          ...(query.q ? [{ OR: [{ id: { contains: query.q, mode: 'insensitive' as const } }, { displayName: { contains: query.q, mode: 'insensitive' as const } }] }] : []),
          ...(query.tags?.length ? [{ tags: { hasEvery: query.tags } }] : []),
        ],
      },
      orderBy: [{ namespace: 'asc' }, { id: 'asc' }],
      take: 1000,
    });
    return rows.map((r) => summary(r, definitionOf(r)));
  }

  async delete(tenant: string, id: string): Promise<void> {
    const { count } = await this.db.app.deleteMany({ where: { tenant, id } });
    if (!count) throw new AppError('NOT_FOUND', `app ${id} not found in tenant ${tenant}`);
  }

  // ---- using an app ----

  private async groupsOf(tenant: string, userId: string): Promise<Set<string>> {
    if (!userId) return new Set();
    const rows = await this.db.groupMember.findMany({ where: { tenant, userId }, select: { groupId: true } });
    return new Set(rows.map((r) => r.groupId));
  }

  /** Whether `user` may use the app, and why not: 401 for someone who should sign in, 403 otherwise. */
  private refusal(tenant: string, app: AppDefinition, user: AppUser, groups: Set<string>): AppError | undefined {
    if (app.access.type === 'PUBLIC' || user.admin) return undefined;
    if (!user.userId) return new AppError('UNAUTHORIZED', `app ${app.id} is PRIVATE: sign in to use it`);
    if (app.access.groups.length && !app.access.groups.some((g) => groups.has(g))) {
      return new AppError('FORBIDDEN', `app ${app.id} is open to the groups ${app.access.groups.join(', ')} of tenant ${tenant}; ${user.id} is in none of them`);
    }
    return undefined;
  }

  /** The app for someone who uses it (404 for a disabled one, 401/403 per its access). */
  async forUser(tenant: string, id: string, user: AppUser): Promise<{ row: AppRow; app: AppDefinition }> {
    const row = await this.db.app.findUnique({ where: { tenant_id: { tenant, id } } });
    if (!row || row.disabled) throw new AppError('NOT_FOUND', `app ${id} not found in tenant ${tenant}`);
    const app = definitionOf(row);
    const refusal = this.refusal(tenant, app, user, await this.groupsOf(tenant, user.userId));
    if (refusal) throw refusal;
    return { row, app };
  }

  /** The catalog: enabled apps listed in it that `user` may use. */
  async catalog(tenant: string, user: AppUser, query: { q?: string; tags?: string[] } = {}): Promise<AppSummary[]> {
    const rows = await this.db.app.findMany({
      where: {
        tenant,
        disabled: false,
        catalog: true,
        ...(query.tags?.length ? { tags: { hasEvery: query.tags } } : {}),
        ...(query.q ? { OR: [{ id: { contains: query.q, mode: 'insensitive' as const } }, { displayName: { contains: query.q, mode: 'insensitive' as const } }] } : {}),
      },
      orderBy: [{ displayName: 'asc' }],
      take: 1000,
    });
    const groups = await this.groupsOf(tenant, user.userId);
    return rows.flatMap((r) => {
      const app = definitionOf(r);
      return this.refusal(tenant, app, user, groups) ? [] : [summary(r, app)];
    });
  }

  /** What the app page needs before an execution: the layout and the flow's declared inputs (the form). */
  async view(tenant: string, id: string, user: AppUser) {
    const { row, app } = await this.forUser(tenant, id, user);
    const flow = await this.flows.get({ tenant, namespace: app.namespace, id: app.flowId });
    return {
      id: app.id,
      displayName: app.displayName,
      description: app.description,
      namespace: app.namespace,
      flowId: app.flowId,
      tags: app.tags,
      access: { type: app.access.type },
      revision: row.revision,
      layout: app.layout,
      inputs: declaredInputs(flow.source),
    };
  }

  /** Starts the app's flow through ExecutionService.start (limits apply), labelled and with its requester. */
  async start(tenant: string, id: string, user: AppUser, inputs: Record<string, unknown>, files?: Record<string, UploadedFile>) {
    const { app } = await this.forUser(tenant, id, user);
    return this.executions.start({ tenant, namespace: app.namespace, id: app.flowId }, inputs, {
      labels: { [APP_LABEL]: app.id },
      revision: app.flowRevision,
      triggeredBy: user.id,
      files,
    });
  }

  /**
   * An execution as the app shows it: its stage and the data that stage's blocks display, and no
   * more (a PUBLIC app must not become a window on other executions or on what its layout hides).
   * Executions not started from this app are 404.
   */
  async execution(tenant: string, id: string, executionId: string, user: AppUser, options: { canDecide: (namespace: string) => boolean | Promise<boolean> }) {
    const { app } = await this.forUser(tenant, id, user);
    const row = await this.db.execution.findUnique({ where: { id: executionId }, select: { tenant: true, labels: true } });
    const labels = (row?.labels ?? {}) as Record<string, string>;
    if (!row || row.tenant !== tenant || labels[APP_LABEL] !== app.id) throw new AppError('NOT_FOUND', `execution ${executionId} was not started from app ${app.id}`);
    const execution = await this.executions.get(tenant, executionId);
    const stage = appModel.resolveStage({ state: execution.state.current, history: execution.state.histories });
    const { blocks, stage: shown } = appModel.blocksFor(app.layout, stage);
    const data: { inputs?: Record<string, unknown>; outputs?: Record<string, unknown>; taskOutputs?: Record<string, unknown>; logs?: unknown[] } = {};
    for (const block of blocks) await this.fill(block, execution, data);
    const paused = execution.state.current === 'PAUSED';
    return {
      executionId,
      state: execution.state.current,
      stage,
      shownStage: shown,
      blocks,
      ...data,
      triggeredBy: execution.triggeredBy ?? null,
      // Approve (resume) and reject are offered only to those allowed to decide.
      canDecide: paused && (await options.canDecide(execution.namespace)),
      resumeInputs: paused ? await this.pausedTaskInputs(tenant, execution) : [],
    };
  }

  private async fill(block: AppBlock, execution: Awaited<ReturnType<ExecutionService['get']>>, data: Record<string, unknown>) {
    switch (block.type) {
      case 'Inputs':
        data.inputs = Object.fromEntries(filtered(Object.entries(execution.inputs), block.filter));
        break;
      case 'Outputs':
        data.outputs = Object.fromEntries(filtered(Object.entries(execution.outputs), block.filter));
        break;
      case 'TaskOutputs': {
        const byTask = execution.taskRunList.filter((t) => Object.keys(t.outputs).length).map((t) => [t.taskId, t.outputs] as [string, unknown]);
        data.taskOutputs = Object.fromEntries(filtered(byTask, block.filter));
        break;
      }
      case 'Logs': {
        const logs = await this.executions.logs(execution.tenantId, execution.id, { minLevel: block.filter?.logLevel });
        const taskIds = block.filter?.taskIds;
        data.logs = (taskIds?.length ? logs.filter((l) => l.taskId !== undefined && l.taskId !== null && taskIds.includes(l.taskId)) : logs).slice(-500);
        break;
      }
      default:
        break;
    }
  }

  /** The onResume inputs of the Pause task the execution waits on (the ResumeExecutionForm). */
  private async pausedTaskInputs(tenant: string, execution: Awaited<ReturnType<ExecutionService['get']>>): Promise<unknown[]> {
    const paused = execution.taskRunList.find((t) => t.state.current === 'PAUSED');
    if (!paused) return [];
    const revision = await this.db.flowRevision.findUnique({
      where: { tenant_namespace_flowId_revision: { tenant, namespace: execution.namespace, flowId: execution.flowId, revision: execution.flowRevision } },
      select: { source: true },
    });
    return onResumeOf(revision?.source, paused.taskId);
  }
}

/** The `inputs` a flow declares, as written (the form renders them; the server checks the values). */
function declaredInputs(source: string): unknown[] {
  try {
    const doc = parse(source) as { inputs?: unknown } | null;
    return Array.isArray(doc?.inputs) ? doc.inputs : [];
  } catch {
    return [];
  }
}

function onResumeOf(source: string | undefined, taskId: string): unknown[] {
  if (!source) return [];
  let found: unknown[] = [];
  const walk = (v: unknown) => {
    if (found.length || !v || typeof v !== 'object') return;
    if (Array.isArray(v)) return v.forEach(walk);
    const o = v as Record<string, unknown>;
    if (o.id === taskId && Array.isArray(o.onResume)) {
      found = o.onResume;
      return;
    }
    Object.values(o).forEach(walk);
  };
  try {
    walk(parse(source));
  } catch {
    return [];
  }
  return found;
}

function locate(source: string, key: string): { line: number; column: number } {
  return new YamlSource(source).locate([key]);
}
