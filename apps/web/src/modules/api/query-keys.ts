// Query-key factories: every cache entry of the app is named here, so invalidation after a
// mutation names exactly what it changed.
export const keys = {
  flows: {
    all: (tenant: string) => ['flows', tenant] as const,
    search: (tenant: string, params: { namespace?: string; q?: string; page?: number; size?: number }) => ['flows', tenant, 'search', params] as const,
    detail: (tenant: string, namespace: string, id: string) => ['flows', tenant, 'detail', namespace, id] as const,
    revisions: (tenant: string, namespace: string, id: string) => ['flows', tenant, 'revisions', namespace, id] as const,
    revision: (tenant: string, namespace: string, id: string, revision: number) => ['flows', tenant, 'revision', namespace, id, revision] as const,
    lastExecutions: (tenant: string, flows: string[]) => ['flows', tenant, 'last-executions', flows] as const,
  },
  executions: {
    all: (tenant: string) => ['executions', tenant] as const,
    list: (tenant: string, params: Record<string, unknown>) => ['executions', tenant, 'list', params] as const,
    detail: (tenant: string, id: string) => ['executions', tenant, 'detail', id] as const,
  },
  namespaces: (tenant: string) => ['namespaces', tenant] as const,
  kv: (tenant: string, namespace: string) => ['kv', tenant, namespace] as const,
  namespaceFiles: (tenant: string, namespace: string, dir: string) => ['namespaceFiles', tenant, namespace, dir] as const,
  credentials: (tenant: string, namespace: string) => ['credentials', tenant, namespace] as const,
  secrets: (tenant: string, namespace: string) => ['secrets', tenant, namespace] as const,
  pluginDefaults: {
    detail: (tenant: string, namespace: string) => ['plugin-defaults', tenant, namespace] as const,
    revisions: (tenant: string, namespace: string) => ['plugin-defaults', tenant, namespace, 'revisions'] as const,
  },
  killSwitches: {
    all: (tenant: string) => ['kill-switches', tenant] as const,
    list: (tenant: string) => ['kill-switches', tenant, 'list'] as const,
    covering: (tenant: string, namespace: string, flowId?: string) => ['kill-switches', tenant, 'covering', namespace, flowId ?? ''] as const,
    preview: (tenant: string, scope: Record<string, string | undefined>) => ['kill-switches', tenant, 'preview', scope] as const,
  },
  tenants: () => ['tenants'] as const,
  plugins: {
    all: () => ['plugins'] as const,
    detail: (type: string) => ['plugins', type] as const,
    flowSchema: () => ['plugins', 'schema', 'flow'] as const,
  },
};
