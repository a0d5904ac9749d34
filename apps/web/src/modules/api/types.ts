// Shapes of the REST API as the browser sees them. The API's own shapes come from the wire contract
// (@baton/contract: zod schemas, no server code); what only the UI needs is declared here.
import { STATES, type State } from '@baton/contract';

export {
  isTerminal,
  TERMINAL_STATES,
  type Attempt,
  type Execution,
  type ExecutionPage,
  type Flow,
  type FlowError,
  type FlowRevision,
  type LastExecution,
  type LogLine,
  type NamespaceSummary,
  type State,
  type StateHistory,
  type TaskRun,
} from '@baton/contract';

export const ALL_STATES: readonly State[] = STATES;

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

export interface PluginExample {
  title: string;
  flow: string;
}

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
