/** The parts of Argo CD's API objects the plugin reads (swagger: v1alpha1Application). */
export type ArgoResourceStatus = {
  group?: string;
  kind?: string;
  namespace?: string;
  name?: string;
  status?: string;
  health?: { status?: string; message?: string };
};

export type ArgoResourceResult = {
  group?: string;
  kind?: string;
  namespace?: string;
  name?: string;
  status?: string;
  message?: string;
  hookPhase?: string;
  syncPhase?: string;
};

export type ArgoOperationState = {
  phase?: string;
  message?: string;
  startedAt?: string;
  finishedAt?: string;
  syncResult?: { revision?: string; resources?: ArgoResourceResult[] };
};

export type ArgoHistoryEntry = {
  id?: number | string;
  revision?: string;
  deployedAt?: string;
};

export type ArgoApplication = {
  metadata: { name: string; namespace?: string; [key: string]: unknown };
  spec?: { project?: string; [key: string]: unknown };
  operation?: Record<string, unknown> | null;
  status?: {
    sync?: { status?: string; revision?: string };
    health?: { status?: string; message?: string };
    operationState?: ArgoOperationState;
    conditions?: Array<{ type?: string; message?: string }>;
    resources?: ArgoResourceStatus[];
    history?: ArgoHistoryEntry[];
    [key: string]: unknown;
  };
  [key: string]: unknown;
};

export type ArgoApplicationList = {
  items?: ArgoApplication[] | null;
};
