import type * as apps from '@baton/flow/apps';
import type { FlowInput, LogLine } from '@/modules/api/types';

export type AppBlock = apps.AppBlock;
export type AppStage = apps.AppStage;
export type AppLayoutStage = apps.AppLayoutStage;

/** GET /apps/catalog and /apps/search entries. */
export interface AppSummary {
  id: string;
  namespace: string;
  flowId: string;
  displayName: string;
  description?: string;
  tags: string[];
  access: { type: 'PUBLIC' | 'PRIVATE'; groups: string[]; catalog: boolean };
  disabled: boolean;
  revision: number;
  updated: string;
  updatedBy: string | null;
}

/** GET /apps/:id/view: what the page shows before an execution. */
export interface AppView {
  id: string;
  displayName: string;
  description?: string;
  namespace: string;
  flowId: string;
  tags: string[];
  access: { type: 'PUBLIC' | 'PRIVATE' };
  layout: AppLayoutStage[];
  inputs: FlowInput[];
}

/** GET /apps/:id/executions/:executionId: the stage and what its blocks show. */
export interface AppExecution {
  executionId: string;
  state: string;
  stage: AppStage;
  shownStage: AppStage;
  blocks: AppBlock[];
  inputs?: Record<string, unknown>;
  outputs?: Record<string, unknown>;
  taskOutputs?: Record<string, unknown>;
  logs?: LogLine[];
  triggeredBy: string | null;
  canDecide: boolean;
  resumeInputs: FlowInput[];
}
