import { parseDuration } from '@baton/plugin-sdk/duration';
import { z } from 'zod';
import { LABEL_LIMITS } from './label-limits';
import { LOG_LEVELS, STATES } from '@baton/contract';

/**
 * The structure of a flow document apart from plugin properties, which each plugin's own
 * schema validates. Field names and shapes follow Kestra so that its flows load unchanged.
 */
export const isoDuration = z
  .string()
  .refine((v) => parseDuration(v) !== undefined, { message: 'must be an ISO-8601 duration such as PT30S, PT10M or P1D' })
  .describe('ISO-8601 duration, e.g. PT30S, PT10M, P1D');

export const ID_PATTERN = /^[a-zA-Z0-9][a-zA-Z0-9_-]*$/;
/** Input ids may be dotted (`request.name`), as in Kestra; each part is non-empty. */
export const INPUT_ID_PATTERN = /^[a-zA-Z0-9][a-zA-Z0-9_-]*(\.[a-zA-Z0-9_-]+)*$/;
/** Kestra's flow id pattern and size (AbstractFlow: `^[a-zA-Z0-9][a-zA-Z0-9._-]*`, 1 to 100). */
export const FLOW_ID_PATTERN = /^[a-zA-Z0-9][a-zA-Z0-9._-]*$/;
export const FLOW_ID_MAX = 100;
export const NAMESPACE_PATTERN = /^[a-z0-9][a-z0-9_-]*(\.[a-z0-9][a-z0-9_-]*)*$/;
/** Kestra's namespace size limit; ids and namespaces also travel as Temporal search attributes. */
export const NAMESPACE_MAX = 150;
export { LABEL_LIMITS };
/** Ids of tasks, inputs, outputs and triggers: long enough for anything readable. */
export const TASK_ID_MAX = 100;

export const retrySchema = z
  .object({
    type: z.enum(['constant', 'exponential', 'random']).describe('How the wait between attempts grows'),
    interval: isoDuration.optional().describe('Wait between attempts (first wait for exponential)'),
    maxInterval: isoDuration.optional().describe('Upper bound of the wait'),
    minInterval: isoDuration.optional().describe('Lower bound of the wait (random)'),
    delayFactor: z.number().positive().optional().describe('Growth factor for exponential retries (default 2)'),
    maxAttempt: z.number().int().min(1).optional().describe('Total attempts including the first'),
    maxDuration: isoDuration.optional().describe('Stop retrying after this long'),
    warningOnRetry: z.boolean().optional().describe('End the execution in WARNING when a retry was needed'),
  })
  .strict()
  .describe('Retry policy');

export const workerGroupSchema = z.object({ key: z.string().min(1).describe('Worker group key (Temporal task queue suffix)') }).strict();

/**
 * Resource locks (docs/locks.md): keys such as `vm:{{ inputs.vm }}`, rendered when taken. Two
 * executions holding the same key never run the locked part at once.
 */
export const locksSchema = z
  .array(z.string({ error: 'a lock is a string key such as "vm:{{ inputs.vm }}"' }).min(1, 'a lock key is not empty'), {
    error: 'locks is a list of string keys such as ["vm:{{ inputs.vm }}"]',
  })
  .describe('Resource lock keys (expressions allowed): executions holding the same key wait for each other (docs/locks.md)');

/** Keys every task accepts; everything else belongs to the plugin. */
export const commonTaskShape = {
  id: z.string().regex(ID_PATTERN, 'task ids use letters, digits, _ and -, and start with a letter or digit').max(TASK_ID_MAX).describe('Unique id of the task in the flow'),
  type: z.string().min(1).describe('Plugin type, e.g. io.kestra.plugin.core.log.Log'),
  description: z.string().optional().describe('What the task is for'),
  retry: retrySchema.optional(),
  timeout: isoDuration.optional().describe('Maximum duration of one attempt'),
  disabled: z.boolean().optional().describe('Skip the task'),
  allowFailure: z.boolean().optional().describe('A failure ends the execution in WARNING instead of FAILED'),
  allowWarning: z.boolean().optional().describe('A WARNING end of this task counts as SUCCESS'),
  runIf: z.union([z.string(), z.boolean()]).optional().describe('Expression: run the task only when it is true'),
  workerGroup: workerGroupSchema.optional(),
  logLevel: z.enum(LOG_LEVELS).optional().describe('Minimum level of logs kept'),
  // Checked task by task in validate.ts (a task or a list of tasks; docs/compensation.md).
  compensate: z.unknown().optional().describe("A task (or list of tasks) that undoes this one if the execution fails later; it reads this task's outputs (docs/compensation.md)"),
  locks: locksSchema.optional(),
  lockTimeout: isoDuration.optional().describe('How long to wait for the locks before failing (default PT1H)'),
};
export const COMMON_TASK_KEYS = new Set(Object.keys(commonTaskShape));

export const INPUT_TYPES = [
  'STRING',
  'INT',
  'FLOAT',
  'BOOLEAN',
  'BOOL',
  'SELECT',
  'MULTISELECT',
  'DATETIME',
  'DATE',
  'TIME',
  'DURATION',
  'JSON',
  'URI',
  'EMAIL',
  'SECRET',
  'ARRAY',
  'FILE',
] as const;
export type InputType = (typeof INPUT_TYPES)[number];

export const inputSchema = z
  .object({
    id: z
      .string()
      .regex(INPUT_ID_PATTERN, 'input ids use letters, digits, _ and -, with dots between parts (request.name)')
      .max(TASK_ID_MAX)
      .describe('Input id, used as inputs.<id>; a dotted id nests (request.name is inputs.request.name)'),
    type: z.enum(INPUT_TYPES).describe('Input type'),
    description: z.string().optional(),
    displayName: z.string().optional().describe('Label shown in forms'),
    required: z.boolean().optional().describe('Default true unless a default is given'),
    defaults: z.unknown().optional().describe('Default value, used when the input is omitted; an expression renders with the inputs before it'),
    prefill: z.unknown().optional().describe('Value the form starts with; unlike defaults, not used when the input is omitted'),
    validator: z.string().optional().describe('Regular expression the value must match (STRING)'),
    min: z.union([z.number(), z.string()]).optional(),
    max: z.union([z.number(), z.string()]).optional(),
    minLength: z.number().int().min(0).optional(),
    maxLength: z.number().int().min(0).optional(),
    values: z.array(z.string()).optional().describe('Allowed values (SELECT, MULTISELECT)'),
    options: z.array(z.string()).optional().describe('Alias of values (older Kestra flows)'),
    allowCustomValue: z.boolean().optional(),
    itemType: z.enum(INPUT_TYPES).optional().describe('Item type (ARRAY)'),
    dependsOn: z
      .object({
        inputs: z.array(z.string()).optional().describe('Inputs this one comes after (it is off when one of them is)'),
        condition: z.string().optional().describe('Expression over inputs; when false the input is not shown, not required and not set'),
      })
      .strict()
      .optional()
      .describe('When the input applies'),
  })
  .strict();
export type FlowInput = z.infer<typeof inputSchema>;

export const pluginDefaultSchema = z
  .object({
    type: z.string().min(1).describe('Exact type or dotted prefix, e.g. io.kestra.plugin.cloudflare'),
    values: z.record(z.string(), z.unknown()).describe('Property values applied to matching tasks'),
    forced: z.boolean().optional().describe('Override values set on the task itself'),
  })
  .strict();
export type PluginDefault = z.infer<typeof pluginDefaultSchema>;

/** Keys every trigger has (Kestra's AbstractTrigger); the rest belong to the trigger type. */
export const commonTriggerShape = {
  id: z.string().regex(ID_PATTERN),
  type: z.string().min(1),
  disabled: z.boolean().optional(),
  description: z.string().optional(),
  conditions: z.array(z.unknown()).optional(),
  stopAfter: z.array(z.enum(STATES)).optional(),
  workerGroup: z.object({ key: z.string() }).passthrough().optional(),
  logLevel: z.string().optional(),
  minLogLevel: z.string().optional(),
  logToFile: z.boolean().optional(),
};
export const COMMON_TRIGGER_KEYS = new Set(Object.keys(commonTriggerShape));

export const triggerSchema = z.object(commonTriggerShape).passthrough();

export const concurrencySchema = z
  .object({
    limit: z.number().int().min(1).describe('Maximum executions of this flow running at once'),
    behavior: z.enum(['QUEUE', 'CANCEL', 'FAIL']).optional().describe('What happens to an execution over the limit (default QUEUE)'),
  })
  .strict();

export const COMPENSATION_MODES = ['ON_FAILURE', 'NEVER', 'ASK'] as const;
export const compensationSchema = z
  .object({
    mode: z
      .enum(COMPENSATION_MODES)
      .optional()
      .describe('ON_FAILURE (default): undo at once when the execution fails; NEVER; ASK: a Pause lists what would be undone and waits for a person'),
  })
  .strict()
  .describe("When the tasks' `compensate` run (docs/compensation.md)");

/** Top-level flow keys; tasks are checked one by one against their plugin (see validate.ts). */
export const flowShape = {
  id: z
    .string()
    .regex(FLOW_ID_PATTERN, 'flow ids use letters, digits, ., _ and -, and start with a letter or digit')
    .max(FLOW_ID_MAX, `a flow id has at most ${FLOW_ID_MAX} characters`)
    .describe(`Flow id, unique in its namespace (at most ${FLOW_ID_MAX} characters)`),
  namespace: z
    .string()
    .regex(NAMESPACE_PATTERN, 'namespaces are lower-case dotted names such as infra.delivery')
    .max(NAMESPACE_MAX, `a namespace has at most ${NAMESPACE_MAX} characters`)
    .describe(`Dotted, hierarchical namespace (at most ${NAMESPACE_MAX} characters)`),
  description: z.string().optional(),
  labels: z
    .union([
      z
        .record(z.string().min(1).max(LABEL_LIMITS.keyMax), z.union([z.string().max(LABEL_LIMITS.valueMax), z.number(), z.boolean()]))
        .refine((r) => Object.keys(r).length <= LABEL_LIMITS.count, `at most ${LABEL_LIMITS.count} labels`),
      z.array(z.object({ key: z.string().min(1).max(LABEL_LIMITS.keyMax), value: z.string().max(LABEL_LIMITS.valueMax) })).max(LABEL_LIMITS.count),
    ])
    .optional()
    .describe(`Labels (at most ${LABEL_LIMITS.count}; keys up to ${LABEL_LIMITS.keyMax} and values up to ${LABEL_LIMITS.valueMax} characters)`),
  inputs: z.array(z.unknown()).optional(),
  variables: z.record(z.string(), z.unknown()).optional(),
  tasks: z.array(z.unknown()).min(1, 'a flow needs at least one task'),
  errors: z.array(z.unknown()).optional(),
  finally: z.array(z.unknown()).optional(),
  outputs: z.array(z.object({ id: z.string().regex(ID_PATTERN), type: z.string().optional(), value: z.unknown(), description: z.string().optional() }).strict()).optional(),
  pluginDefaults: z.array(z.unknown()).optional(),
  triggers: z.array(z.unknown()).optional(),
  // Checked entry by entry in validate.ts (one clear message instead of zod's).
  notifications: z
    .unknown()
    .optional()
    .describe('Notification tasks sent once the execution ends in one of their `states` (default FAILED), e.g. a SlackExecution (docs/notifications.md)'),
  concurrency: concurrencySchema.optional(),
  compensation: compensationSchema.optional(),
  locks: locksSchema.optional(),
  lockTimeout: isoDuration.optional().describe("How long to wait for the flow's locks before failing (default PT1H)"),
  retry: retrySchema.optional(),
  disabled: z.boolean().optional(),
  revision: z.number().optional(),
  tenantId: z.string().optional(),
  extend: z
    .object({
      title: z.string().optional().describe('Blueprint title'),
      description: z.string().optional().describe('Blueprint description (markdown)'),
      tags: z.array(z.string()).optional().describe('Blueprint tags'),
    })
    .passthrough()
    .optional()
    .describe("Kestra's blueprint metadata (title, description, tags); kept with the flow"),
};
export const FLOW_KEYS = new Set(Object.keys(flowShape));
