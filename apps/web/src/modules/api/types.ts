// Shapes of the REST API as the browser sees them (Kestra's shapes). Kept here, not imported from
// @baton/engine, so client bundles never pull server code.

export type State =
  | 'CREATED' | 'QUEUED' | 'RESTARTED' | 'RUNNING' | 'PAUSED' | 'RETRYING' | 'SUCCESS' | 'WARNING' | 'FAILED'
  | 'KILLING' | 'KILLED' | 'CANCELLED' | 'SKIPPED';

export const TERMINAL_STATES: ReadonlySet<string> = new Set(['SUCCESS', 'WARNING', 'FAILED', 'KILLED', 'CANCELLED', 'SKIPPED']);
export const ALL_STATES: State[] = ['CREATED', 'QUEUED', 'RESTARTED', 'RUNNING', 'PAUSED', 'RETRYING', 'SUCCESS', 'WARNING', 'FAILED', 'KILLING', 'KILLED', 'CANCELLED', 'SKIPPED'];
export const isTerminal = (s: string | undefined) => !!s && TERMINAL_STATES.has(s);

export interface Flow {
  id: string;
  namespace: string;
  tenantId: string;
  revision: number;
  description: string | null;
  labels: Record<string, string> | { key: string; value: string }[] | null;
  disabled: boolean;
  deleted: boolean;
  updated: string;
  source: string;
}

export interface FlowRevision {
  revision: number;
  source: string;
  created: string;
  createdBy: string | null;
}

export interface FlowError {
  path: string;
  line: number;
  column: number;
  message: string;
}

export interface StateHistory { state: State; date: string; by?: string }

export interface Attempt {
  attempt: number;
  state: { current: State; startDate?: string; endDate?: string };
  error?: string;
}

export interface TaskRun {
  id: string;
  executionId?: string;
  taskId: string;
  parentTaskRunId: string | null;
  value: string | null;
  state: { current: State; histories: StateHistory[]; startDate?: string; endDate?: string };
  attempts: Attempt[];
  outputs: Record<string, unknown>;
  renderedProperties?: Record<string, unknown>;
  error: string | null;
}

export interface Execution {
  id: string;
  tenantId: string;
  namespace: string;
  flowId: string;
  flowRevision: number;
  state: { current: State; histories: StateHistory[]; startDate?: string; endDate?: string; duration?: number };
  taskRunList: TaskRun[];
  inputs: Record<string, unknown>;
  outputs: Record<string, unknown>;
  labels: { key: string; value: string }[];
  error?: string | null;
  parentId?: string | null;
  triggeredBy?: string | null;
}

export interface LogLine {
  id?: string;
  executionId: string;
  taskRunId: string | null;
  taskId: string | null;
  attemptNumber: number;
  level: 'TRACE' | 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
  message: string;
  timestamp: string;
}

export interface ExecutionPage {
  results: Execution[];
  next: string | null;
  total?: number;
  totalCapped: boolean;
}

export interface LastExecution {
  id: string;
  namespace: string;
  flowId: string;
  state: State;
  startDate: string;
  endDate?: string;
}

export interface NamespaceSummary {
  namespace: string;
  flows: number;
  executions: number;
}

export type JsonSchema = {
  type?: string | string[];
  description?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  default?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  additionalProperties?: boolean | JsonSchema;
  $ref?: string;
  [key: string]: unknown;
};

export interface PluginExample { title: string; flow: string }

export interface PluginDoc {
  id: string;
  aliases: string[];
  title: string;
  description: string;
  group: string;
  kind: 'runnable' | 'flowable';
  idempotent: boolean;
  activity: { timeout?: string; heartbeatTimeout?: string; retry?: Record<string, unknown> };
  examples: PluginExample[];
  props: JsonSchema;
  outputs: JsonSchema;
}

/** A declared flow input (the subset the form needs). */
export interface FlowInput {
  id: string;
  type: string;
  description?: string;
  displayName?: string;
  required?: boolean;
  defaults?: unknown;
  /** Fills the form; unlike defaults, not used when the input is omitted. */
  prefill?: unknown;
  /** Shown (and required) only when its inputs are on and the condition holds. */
  dependsOn?: { inputs?: string[]; condition?: string };
  validator?: string;
  min?: number | string;
  max?: number | string;
  minLength?: number;
  maxLength?: number;
  values?: string[];
  options?: string[];
  allowCustomValue?: boolean;
  itemType?: string;
}
