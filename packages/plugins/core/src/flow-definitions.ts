import { definePlugin, z } from '@baton/plugin-sdk';
import { example } from './example';

// Flowable tasks: they orchestrate other tasks and run inside the execution's workflow
// (deterministic code in packages/engine), not as activities. Their definitions exist so that
// validation, the editor schema and the docs treat them like every other plugin.

const duration = z.string().describe('ISO-8601 duration, e.g. PT5M');
const noOutputs = z.object({});

export const sequential = definePlugin({
  id: 'core.Sequential',
  aliases: ['io.kestra.plugin.core.flow.Sequential'],
  kind: 'flowable',
  group: 'Core / Flow',
  title: 'Run tasks one after another',
  description: 'Groups tasks that run in order. Useful inside Parallel branches or to give a group its own `errors` handling.',
  idempotent: true,
  taskLists: [{ key: 'tasks', shape: 'list' }],
  props: z.object({}),
  outputs: noOutputs,
  examples: [
    example(
      'A group of two tasks',
      `
tasks:
  - id: group
    type: io.kestra.plugin.core.flow.Sequential
    tasks:
      - id: first
        type: io.kestra.plugin.core.log.Log
        message: first
      - id: second
        type: io.kestra.plugin.core.log.Log
        message: second
`,
    ),
  ],
});

export const parallel = definePlugin({
  id: 'core.Parallel',
  aliases: ['io.kestra.plugin.core.flow.Parallel'],
  kind: 'flowable',
  group: 'Core / Flow',
  title: 'Run tasks at the same time',
  description: 'Starts every child task at once (or at most `concurrent` at a time) and waits for all of them. The group fails when a child fails, after the running ones finish.',
  idempotent: true,
  taskLists: [{ key: 'tasks', shape: 'list' }],
  props: z.object({ concurrent: z.number().int().min(0).optional().describe('How many children run at once; 0 or absent means all') }),
  outputs: noOutputs,
  examples: [
    example(
      'Two branches at once',
      `
tasks:
  - id: both
    type: io.kestra.plugin.core.flow.Parallel
    tasks:
      - id: left
        type: io.kestra.plugin.core.log.Log
        message: left
      - id: right
        type: io.kestra.plugin.core.log.Log
        message: right
`,
    ),
  ],
});

export const dag = definePlugin({
  id: 'core.Dag',
  aliases: ['io.kestra.plugin.core.flow.Dag'],
  kind: 'flowable',
  group: 'Core / Flow',
  title: 'Run tasks in the order their dependencies give',
  description:
    'Each entry of `tasks` is `{task, dependsOn}`: a task starts once every task it depends on (by id, inside this Dag) has ended; tasks with no pending dependency run side by side (at most `concurrent` at a time). Like Parallel, when a task fails no new task starts, the running ones finish and the Dag fails. Unknown dependencies and cycles are refused when the flow is saved.',
  idempotent: true,
  taskLists: [{ key: 'tasks', shape: 'dag' }],
  props: z.object({ concurrent: z.number().int().min(0).optional().describe('How many tasks run at once; 0 or absent means no limit') }),
  outputs: noOutputs,
  examples: [
    example(
      'A diamond',
      `
tasks:
  - id: dag
    type: io.kestra.plugin.core.flow.Dag
    tasks:
      - task:
          id: fetch
          type: io.kestra.plugin.core.log.Log
          message: fetch
      - task:
          id: left
          type: io.kestra.plugin.core.log.Log
          message: left
        dependsOn: [fetch]
      - task:
          id: right
          type: io.kestra.plugin.core.log.Log
          message: right
        dependsOn: [fetch]
      - task:
          id: join
          type: io.kestra.plugin.core.log.Log
          message: join
        dependsOn: [left, right]
`,
    ),
  ],
});

export const ifTask = definePlugin({
  id: 'core.If',
  aliases: ['io.kestra.plugin.core.flow.If'],
  kind: 'flowable',
  group: 'Core / Flow',
  title: 'Branch on a condition',
  description: 'Evaluates `condition` (an expression) and runs `then` when it is true, `else` otherwise. Truthy: true, non-zero numbers, non-empty strings other than "false".',
  idempotent: true,
  taskLists: [
    { key: 'then', shape: 'list' },
    { key: 'else', shape: 'list' },
  ],
  props: z.object({ condition: z.union([z.string(), z.boolean()]).describe('Expression deciding the branch, e.g. "{{ inputs.dryRun }}"') }),
  outputs: noOutputs,
  examples: [
    example(
      'Only in production',
      `
inputs:
  - id: env
    type: SELECT
    values: [dev, prod]
    defaults: dev
tasks:
  - id: check
    type: io.kestra.plugin.core.flow.If
    condition: "{{ inputs.env == 'prod' }}"
    then:
      - id: careful
        type: io.kestra.plugin.core.log.Log
        message: production change
    else:
      - id: relaxed
        type: io.kestra.plugin.core.log.Log
        message: dev change
`,
    ),
  ],
});

export const switchTask = definePlugin({
  id: 'core.Switch',
  aliases: ['io.kestra.plugin.core.flow.Switch'],
  kind: 'flowable',
  group: 'Core / Flow',
  title: 'Choose a branch by value',
  description: 'Renders `value` and runs the tasks of the matching entry in `cases`, or `defaults` when none matches.',
  idempotent: true,
  taskLists: [
    { key: 'cases', shape: 'map' },
    { key: 'defaults', shape: 'list' },
  ],
  props: z.object({ value: z.union([z.string(), z.number(), z.boolean()]).describe('Expression whose string value picks the case') }),
  outputs: noOutputs,
  examples: [
    example(
      'Per environment',
      `
inputs:
  - id: env
    type: STRING
    defaults: dev
tasks:
  - id: by_env
    type: io.kestra.plugin.core.flow.Switch
    value: "{{ inputs.env }}"
    cases:
      dev:
        - id: dev_log
          type: io.kestra.plugin.core.log.Log
          message: dev
    defaults:
      - id: other_log
        type: io.kestra.plugin.core.log.Log
        message: other
`,
    ),
  ],
});

export const forEach = definePlugin({
  id: 'core.ForEach',
  aliases: ['io.kestra.plugin.core.flow.ForEach'],
  kind: 'flowable',
  group: 'Core / Flow',
  title: 'Repeat tasks for each value',
  description:
    'Runs the child tasks once per value (a list, or an expression giving a list or a JSON array string). `{{ taskrun.value }}` is the current value; outputs of children are keyed by value: `outputs.child[value]`.',
  idempotent: true,
  taskLists: [{ key: 'tasks', shape: 'list' }],
  props: z.object({
    values: z.union([z.array(z.unknown()), z.string()]).describe('The values to iterate over'),
    concurrencyLimit: z.number().int().min(0).optional().describe('Iterations running at once (default 1; 0 = all)'),
  }),
  outputs: noOutputs,
  examples: [
    example(
      'One log per host',
      `
tasks:
  - id: hosts
    type: io.kestra.plugin.core.flow.ForEach
    values: ["web-1", "web-2"]
    concurrencyLimit: 2
    tasks:
      - id: hello
        type: io.kestra.plugin.core.log.Log
        message: "patching {{ taskrun.value }}"
`,
    ),
  ],
});

export const subflow = definePlugin({
  id: 'core.Subflow',
  aliases: ['io.kestra.plugin.core.flow.Subflow'],
  kind: 'flowable',
  group: 'Core / Flow',
  title: 'Run another flow',
  description:
    "Starts an execution of another flow (a Temporal child workflow) with inputs and, when `wait` is true, waits for it. With `transmitFailed`, a failed subflow fails this task. Outputs: `executionId`, `state` and the subflow's `outputs`.",
  idempotent: false,
  props: z.object({
    namespace: z.string().describe('Namespace of the flow to run'),
    flowId: z.string().describe('Id of the flow to run'),
    inputs: z.record(z.string(), z.unknown()).optional().describe('Inputs of the subflow'),
    labels: z.record(z.string(), z.string()).optional().describe('Labels added to the subflow execution'),
    wait: z.boolean().optional().describe('Wait for the subflow to end (default true)'),
    transmitFailed: z.boolean().optional().describe('Fail this task when the subflow fails (default true)'),
    revision: z.number().int().optional().describe('Pin a revision (default: latest)'),
  }),
  outputs: z.object({
    executionId: z.string().describe('Id of the subflow execution'),
    state: z.string().optional().describe('Final state of the subflow, when waited for'),
    outputs: z.record(z.string(), z.unknown()).optional().describe('Outputs of the subflow'),
  }),
  examples: [
    example(
      'Run a child flow',
      `
tasks:
  - id: child
    type: io.kestra.plugin.core.flow.Subflow
    namespace: company.team
    flowId: hello
    inputs:
      name: world
`,
    ),
  ],
});

export const forEachItem = definePlugin({
  id: 'core.ForEachItem',
  aliases: ['io.kestra.plugin.core.flow.ForEachItem', 'io.kestra.core.tasks.flows.ForEachItem'],
  kind: 'flowable',
  group: 'Core / Flow',
  title: 'Run a subflow for each batch of items in a file',
  description:
    'Splits a file from internal storage (`items`: a kestra:// URI, one item a line) into batches and starts one execution of the subflow per batch, all at once. ' +
    'In `inputs`, `{{ taskrun.items }}` is the URI of the batch file and `{{ taskrun.iteration }}` its index (from 0). ' +
    'As in Kestra it runs as three task runs: `<id>_split` (output `splits`, a file listing the batch URIs), `<id>_items` (`numberOfBatches`, `iterations`: subflows per state, kept up to date; Baton adds `executionIds`) and `<id>_merge` (`subflowOutputs`: one line per subflow with its flow outputs). ' +
    'At most 1000 batches.',
  idempotent: false,
  internalTaskSuffixes: ['_split', '_items', '_merge'],
  props: z.object({
    items: z.string().describe('kestra:// URI of the file to split, e.g. "{{ outputs.download.uri }}" or "{{ inputs.file }}"'),
    batch: z
      .object({
        rows: z
          .union([z.number().int().min(1), z.string()])
          .optional()
          .describe('Lines per batch (default 1)'),
        bytes: z
          .union([z.number().int().min(1), z.string()])
          .optional()
          .describe('Bytes per batch, e.g. 10KB or 1MB (a batch ends at the first line that reaches it)'),
        partitions: z
          .union([z.number().int().min(1), z.string()])
          .optional()
          .describe('Number of batches; lines are dealt out in turn'),
        separator: z.string().optional().describe('Written after each line (default a newline)'),
      })
      .strict()
      .optional()
      .describe('How to split: bytes, else partitions, else rows (default 1 row per batch)'),
    namespace: z.string().describe('Namespace of the subflow'),
    flowId: z.string().describe('Id of the subflow'),
    revision: z.number().int().optional().describe('Pin a revision (default: latest)'),
    inputs: z.record(z.string(), z.unknown()).optional().describe('Inputs of each subflow; `{{ taskrun.items }}` is the batch file URI'),
    labels: z
      .union([z.record(z.string(), z.unknown()), z.array(z.object({ key: z.string(), value: z.unknown() }))])
      .optional()
      .describe('Labels of each subflow execution'),
    wait: z.boolean().optional().describe('Wait for the subflows to end (default true)'),
    transmitFailed: z.boolean().optional().describe('Fail when a subflow does not succeed (default true; only with wait)'),
    inheritLabels: z.boolean().optional().describe("Give each subflow the execution's labels (default false)"),
  }),
  outputs: noOutputs,
  examples: [
    example(
      'One subflow per 100 lines of an uploaded file',
      `
inputs:
  - id: file
    type: FILE

tasks:
  - id: each
    type: io.kestra.plugin.core.flow.ForEachItem
    items: "{{ inputs.file }}"
    batch:
      rows: 100
    namespace: company.team
    flowId: process_batch
    inputs:
      data: "{{ taskrun.items }}"
`,
    ),
  ],
});

export const pause = definePlugin({
  id: 'core.Pause',
  aliases: ['io.kestra.plugin.core.flow.Pause'],
  kind: 'flowable',
  group: 'Core / Flow',
  title: 'Wait for a person (or a delay)',
  description:
    'Pauses the execution until someone resumes it (API, UI), optionally with `onResume` inputs that later tasks read as `outputs.<id>.onResume.<input>`. With `pauseDuration` the pause ends by itself and `behavior` says what then happens: RESUME (default), WARN, FAIL or CANCEL.',
  idempotent: true,
  props: z.object({
    pauseDuration: duration.optional().describe('How long to wait before `behavior` applies'),
    delay: duration.optional().describe('Older name of pauseDuration'),
    behavior: z.enum(['RESUME', 'WARN', 'FAIL', 'CANCEL']).optional().describe('What happens when pauseDuration expires'),
    onResume: z.array(z.record(z.string(), z.unknown())).optional().describe('Inputs asked for when resuming (same shape as flow inputs)'),
  }),
  outputs: z.object({
    onResume: z.record(z.string(), z.unknown()).describe('Values given when resuming'),
    resumedBy: z.string().optional().describe('Who resumed'),
    timedOut: z.boolean().describe('True when the pause ended by its duration'),
  }),
  examples: [
    example(
      'Approval with a comment',
      `
tasks:
  - id: approve
    type: io.kestra.plugin.core.flow.Pause
    onResume:
      - id: comment
        type: STRING
        defaults: ok
  - id: after
    type: io.kestra.plugin.core.log.Log
    message: "approved: {{ outputs.approve.onResume.comment }}"
`,
    ),
  ],
});

export const sleep = definePlugin({
  id: 'core.Sleep',
  aliases: ['io.kestra.plugin.core.flow.Sleep'],
  kind: 'flowable',
  group: 'Core / Flow',
  title: 'Wait for a duration',
  description: 'A durable timer: the wait survives worker restarts and is cancelled by a kill.',
  idempotent: true,
  props: z.object({ duration: duration.describe('How long to wait') }),
  outputs: noOutputs,
  examples: [
    example(
      'Wait a little',
      `
tasks:
  - id: wait
    type: io.kestra.plugin.core.flow.Sleep
    duration: PT1S
`,
    ),
  ],
});

export const fail = definePlugin({
  id: 'core.Fail',
  aliases: ['io.kestra.plugin.core.execution.Fail'],
  kind: 'flowable',
  group: 'Core / Execution',
  title: 'Fail the execution',
  description: 'Fails with `errorMessage`, or only when `condition` is true.',
  idempotent: true,
  props: z.object({
    condition: z.union([z.string(), z.boolean()]).optional().describe('Fail only when this is true'),
    errorMessage: z.string().optional().describe('Message of the failure'),
  }),
  outputs: noOutputs,
  examples: [
    example(
      'Refuse a bad input',
      `
inputs:
  - id: count
    type: INT
    defaults: 1
tasks:
  - id: refuse
    type: io.kestra.plugin.core.execution.Fail
    condition: "{{ inputs.count > 10 }}"
    errorMessage: "count too large"
`,
    ),
  ],
});

export const assert = definePlugin({
  id: 'core.Assert',
  aliases: ['io.kestra.plugin.core.execution.Assert'],
  kind: 'flowable',
  group: 'Core / Execution',
  title: 'Check conditions',
  description: 'Evaluates every condition; when any is false the task fails and names each failed condition with its rendered value. The health gate of a rollout.',
  idempotent: true,
  props: z.object({
    conditions: z
      .array(z.union([z.string(), z.boolean()]))
      .min(1)
      .describe('Expressions that must all be true'),
    errorMessage: z.string().optional().describe('Message used when a condition is false'),
  }),
  outputs: z.object({ failed: z.number().describe('Number of false conditions') }),
  examples: [
    example(
      'Gate on an input',
      `
inputs:
  - id: ready
    type: BOOLEAN
    defaults: true
tasks:
  - id: gate
    type: io.kestra.plugin.core.execution.Assert
    conditions:
      - "{{ inputs.ready == true }}"
    errorMessage: not ready
`,
    ),
  ],
});

export const loopUntil = definePlugin({
  id: 'core.LoopUntil',
  // Kestra 1.x resolves the older WaitFor name to LoopUntil, with LoopUntil's meaning.
  aliases: ['io.kestra.plugin.core.flow.LoopUntil', 'io.kestra.plugin.core.flow.WaitFor'],
  kind: 'flowable',
  group: 'Core / Flow',
  title: 'Repeat tasks until a condition is true',
  description:
    "Runs `tasks` in order, then evaluates `condition`; while it is false, waits `checkFrequency.interval` and runs them again. `outputs.<id>.iterationCount` (from 1) is readable inside the loop and after it. When `maxIterations` or `maxDuration` is reached the loop stops with a warning in the logs, or fails with `failOnMaxReached: true`. A child failure fails the loop. Baton runs at most 1,000 iterations per loop (each is part of the execution's durable history).",
  idempotent: true,
  taskLists: [{ key: 'tasks', shape: 'list' }],
  props: z.object({
    condition: z.union([z.string(), z.boolean()]).describe('Expression checked after each iteration; the loop ends when it is true'),
    failOnMaxReached: z.boolean().optional().describe('Fail when maxIterations or maxDuration is reached (default false)'),
    checkFrequency: z
      .object({
        maxIterations: z.number().int().positive().optional().describe("At most this many iterations (unlimited by default, within Baton's 1,000)"),
        maxDuration: duration.optional().describe('Stop after this long'),
        interval: duration.optional().describe('Wait between iterations (default PT1M)'),
      })
      .strict()
      .optional(),
  }),
  outputs: z.object({ iterationCount: z.number().describe('Iterations run, from 1') }),
  examples: [
    example(
      'Poll until a value',
      `
tasks:
  - id: loop
    type: io.kestra.plugin.core.flow.LoopUntil
    condition: "{{ outputs.count.value == '3' }}"
    checkFrequency:
      interval: PT0.1S
      maxIterations: 10
    tasks:
      - id: count
        type: io.kestra.plugin.core.debug.Return
        format: "{{ outputs.loop.iterationCount }}"
`,
    ),
  ],
});

export const allowFailure = definePlugin({
  id: 'core.AllowFailure',
  aliases: ['io.kestra.plugin.core.flow.AllowFailure'],
  kind: 'flowable',
  group: 'Core / Flow',
  title: 'Run tasks whose failure does not fail the execution',
  description:
    'Runs `tasks` in order; when one fails, the rest of the block is skipped, this task ends WARNING and the execution goes on (and ends WARNING). The task-level `allowFailure: true` does the same for one task.',
  idempotent: true,
  taskLists: [{ key: 'tasks', shape: 'list' }],
  props: z.object({}),
  outputs: noOutputs,
  examples: [
    example(
      'Best effort',
      `
tasks:
  - id: best_effort
    type: io.kestra.plugin.core.flow.AllowFailure
    tasks:
      - id: may_fail
        type: io.kestra.plugin.core.execution.Fail
  - id: still_runs
    type: io.kestra.plugin.core.log.Log
    message: the flow went on
`,
    ),
  ],
});

export const setVariables = definePlugin({
  id: 'core.SetVariables',
  aliases: ['io.kestra.plugin.core.execution.SetVariables'],
  kind: 'flowable',
  group: 'Core / Execution',
  title: 'Set variables for the tasks that follow',
  description:
    'Renders `variables` and makes them readable as `vars.<name>` by every later task of the execution. With `overwrite: false`, setting a variable that exists fails the task.',
  idempotent: true,
  props: z.object({
    variables: z.record(z.string(), z.unknown()).describe('Names and values (values may be expressions)'),
    overwrite: z.boolean().optional().describe('Replace existing variables (default true)'),
  }),
  outputs: noOutputs,
  examples: [
    example(
      'Compute once, use later',
      `
tasks:
  - id: set
    type: io.kestra.plugin.core.execution.SetVariables
    variables:
      greeting: "hello {{ flow.id }}"
  - id: use
    type: io.kestra.plugin.core.log.Log
    message: "{{ vars.greeting }}"
`,
    ),
  ],
});

export const unsetVariables = definePlugin({
  id: 'core.UnsetVariables',
  aliases: ['io.kestra.plugin.core.execution.UnsetVariables'],
  kind: 'flowable',
  group: 'Core / Execution',
  title: 'Remove variables',
  description: 'Removes the named variables for the tasks that follow. With `ignoreMissing: false` (default), naming a variable that does not exist fails the task.',
  idempotent: true,
  props: z.object({
    variables: z.array(z.string()).min(1).describe('Names of the variables to remove'),
    ignoreMissing: z.boolean().optional().describe('Do not fail on a name that is not set (default false)'),
  }),
  outputs: noOutputs,
  examples: [
    example(
      'Forget a value',
      `
variables:
  temporary: x
tasks:
  - id: unset
    type: io.kestra.plugin.core.execution.UnsetVariables
    variables: [temporary]
`,
    ),
  ],
});

export const labels = definePlugin({
  id: 'core.Labels',
  aliases: ['io.kestra.plugin.core.execution.Labels', 'io.kestra.core.tasks.executions.Labels'],
  kind: 'flowable',
  group: 'Core / Execution',
  title: 'Label the execution at run time',
  description:
    "Adds or overwrites labels of the running execution: a map, a list of `{key, value}`, or a JSON string of a map. Labels starting with `system.` are Baton's own and refused. The executions list filters by them at once.",
  idempotent: true,
  props: z.object({
    labels: z
      .union([z.string(), z.array(z.object({ key: z.string(), value: z.unknown() }).strict()), z.record(z.string(), z.unknown())])
      .describe('Labels to add: a map, a list of {key, value}, or a JSON string of a map'),
  }),
  outputs: noOutputs,
  examples: [
    example(
      'Label by input',
      `
inputs:
  - id: customer
    type: STRING
    defaults: acme
tasks:
  - id: label
    type: io.kestra.plugin.core.execution.Labels
    labels:
      customer: "{{ inputs.customer }}"
`,
    ),
  ],
});

export const flowDefinitions = [
  labels,
  sequential,
  parallel,
  dag,
  ifTask,
  switchTask,
  forEach,
  subflow,
  forEachItem,
  pause,
  sleep,
  fail,
  assert,
  loopUntil,
  allowFailure,
  setVariables,
  unsetVariables,
];
