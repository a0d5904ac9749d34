// The REST API's answers, as zod schemas (Kestra's shapes). The engine builds them, the web app's
// API client and the CLI read them, and the integration tests' client checks every execution it
// reads against them, so a change of shape fails a test instead of a page.
//
// Objects are loose (unknown keys pass through): a newer server may add fields without breaking an
// older client. What is declared is checked.
import { z } from 'zod';
import { LogLevelSchema, StateSchema } from './states';

const isoDate = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'an ISO-8601 date-time');

export const StateHistorySchema = z.looseObject({ state: StateSchema, date: isoDate, by: z.string().optional() });
export type StateHistory = z.infer<typeof StateHistorySchema>;

export const AttemptSchema = z.looseObject({
  attempt: z.number().int().min(1),
  state: z.looseObject({ current: StateSchema, startDate: isoDate.optional(), endDate: isoDate.optional() }),
  error: z.string().optional(),
});
export type Attempt = z.infer<typeof AttemptSchema>;

export const TaskRunSchema = z.looseObject({
  id: z.string(),
  executionId: z.string().optional(),
  taskId: z.string(),
  parentTaskRunId: z.string().nullable(),
  value: z.string().nullable(),
  state: z.looseObject({ current: StateSchema, histories: z.array(StateHistorySchema), startDate: isoDate.optional(), endDate: isoDate.optional() }),
  attempts: z.array(AttemptSchema),
  outputs: z.record(z.string(), z.unknown()),
  renderedProperties: z.record(z.string(), z.unknown()).optional(),
  error: z.string().nullable(),
});
export type TaskRun = z.infer<typeof TaskRunSchema>;

export const LabelSchema = z.object({ key: z.string(), value: z.string() });
export type Label = z.infer<typeof LabelSchema>;

export const ExecutionSchema = z.looseObject({
  id: z.string(),
  tenantId: z.string(),
  namespace: z.string(),
  flowId: z.string(),
  flowRevision: z.number().int(),
  state: z.looseObject({
    current: StateSchema,
    histories: z.array(StateHistorySchema),
    startDate: isoDate.optional(),
    endDate: isoDate.optional(),
    duration: z.number().optional(),
  }),
  taskRunList: z.array(TaskRunSchema),
  inputs: z.record(z.string(), z.unknown()),
  outputs: z.record(z.string(), z.unknown()),
  labels: z.array(LabelSchema),
  error: z.string().nullable().optional(),
  parentId: z.string().nullable().optional(),
  triggeredBy: z.string().nullable().optional(),
  /** The kill switch that killed or cancelled it (docs/kill-switch.md). */
  killSwitchId: z.string().nullable().optional(),
  /** Resource locks it waits for now, and the execution holding each (docs/locks.md); absent when none. */
  lockWaits: z.array(z.object({ key: z.string(), heldBy: z.string(), taskId: z.string().optional(), since: z.string() })).optional(),
  /** Kestra's execution.trigger: the trigger that started it and its variables. */
  trigger: z
    .object({ id: z.string(), type: z.string(), variables: z.record(z.string(), z.unknown()) })
    .nullable()
    .optional(),
});
export type Execution = z.infer<typeof ExecutionSchema>;

/** `GET /executions/list`: keyset pages for the UI. */
export const ExecutionPageSchema = z.looseObject({
  results: z.array(ExecutionSchema),
  next: z.string().nullable(),
  total: z.number().int().optional(),
  totalCapped: z.boolean(),
});
export type ExecutionPage = z.infer<typeof ExecutionPageSchema>;

/** `GET /executions/search`: Kestra's numbered pages. */
export const ExecutionSearchSchema = z.looseObject({
  results: z.array(ExecutionSchema),
  total: z.number().int(),
  page: z.number().int(),
  size: z.number().int(),
});
export type ExecutionSearch = z.infer<typeof ExecutionSearchSchema>;

export const LogLineSchema = z.looseObject({
  /** The row id: the follow stream's cursor. */
  id: z.string(),
  executionId: z.string(),
  taskRunId: z.string().nullable(),
  taskId: z.string().nullable(),
  attemptNumber: z.number().int(),
  level: LogLevelSchema,
  message: z.string(),
  timestamp: isoDate,
});
export type LogLine = z.infer<typeof LogLineSchema>;

export const FlowSchema = z.looseObject({
  id: z.string(),
  namespace: z.string(),
  tenantId: z.string(),
  revision: z.number().int().min(1),
  description: z.string().nullable(),
  labels: z.union([z.record(z.string(), z.string()), z.array(LabelSchema)]).nullable(),
  disabled: z.boolean(),
  deleted: z.boolean(),
  updated: isoDate,
  source: z.string(),
});
export type Flow = z.infer<typeof FlowSchema>;

export const FlowRevisionSchema = z.looseObject({
  revision: z.number().int().min(1),
  source: z.string(),
  created: isoDate,
  createdBy: z.string().nullable(),
});
export type FlowRevision = z.infer<typeof FlowRevisionSchema>;

/** One validation problem of a flow, with where it is in the YAML. */
export const FlowErrorSchema = z.looseObject({ path: z.string(), line: z.number().int(), column: z.number().int(), message: z.string() });
export type FlowError = z.infer<typeof FlowErrorSchema>;

export const LastExecutionSchema = z.looseObject({
  id: z.string(),
  namespace: z.string(),
  flowId: z.string(),
  state: StateSchema,
  startDate: isoDate,
  endDate: isoDate.optional(),
});
export type LastExecution = z.infer<typeof LastExecutionSchema>;

export const NamespaceSummarySchema = z.looseObject({ namespace: z.string(), flows: z.number().int(), executions: z.number().int() });
export type NamespaceSummary = z.infer<typeof NamespaceSummarySchema>;
