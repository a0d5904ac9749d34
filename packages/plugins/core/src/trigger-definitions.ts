// Kestra's core triggers and conditions as definitions (zod only): the flow validator checks
// flows against them and the editor's JSON schema and the docs read them. How each kind fires is
// the engine's business (packages/engine/src/services/triggers, docs/triggers.md).
import { STATES } from '@baton/contract';
import { defineCondition, defineTrigger, z, type ConditionDefinition, type TriggerDefinition } from '@baton/plugin-sdk';
import { example } from './example';

const DAYS = ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY'] as const;
const inputsProp = z.record(z.string(), z.unknown()).optional().describe('Inputs of the execution it starts (rendered with the `trigger` variables)');
const dateProp = z.string().optional().describe('The date to test (default `{{ trigger.date }}`)');

export const schedule = defineTrigger({
  id: 'core.trigger.Schedule',
  aliases: ['io.kestra.plugin.core.trigger.Schedule', 'io.kestra.core.models.triggers.types.Schedule'],
  group: 'Core / Trigger',
  kind: 'schedule',
  title: 'Start the flow on a cron schedule',
  description:
    'Starts an execution at each time the cron expression names, in `timezone`. Five fields, six with `withSeconds: true`, or one of @yearly @annually @monthly @weekly @daily @midnight @hourly. ' +
    'After downtime, `recoverMissedSchedules` says what happens to the fire times that passed: ALL starts them all, LAST only the latest, NONE none. ' +
    'Each fire time starts at most one execution, whatever restarts.',
  props: z.object({
    cron: z.string().min(1).describe('Cron expression (5 fields; 6 with withSeconds) or an alias such as @daily'),
    withSeconds: z.boolean().optional().describe('The cron has a seconds field first'),
    timezone: z.string().optional().describe('IANA time zone the cron is read in (default UTC)'),
    inputs: inputsProp,
    recoverMissedSchedules: z.enum(['ALL', 'NONE', 'LAST']).optional().describe('What to do with fire times missed while Baton was down (default ALL)'),
    lateMaximumDelay: z.string().optional().describe('ISO duration: a fire time later than this is skipped'),
    backfill: z.record(z.string(), z.unknown()).optional().describe('Kestra stores backfills here; Baton runs them from the API (POST .../triggers/.../backfill)'),
    scheduleConditions: z.array(z.unknown()).optional().describe('Older name of conditions'),
  }),
  variables: { date: 'the scheduled time of this fire (ISO-8601)', next: 'the next scheduled time', previous: 'the previous scheduled time' },
  examples: [
    example(
      'Every day at 9 in Paris',
      'tasks:\n  - id: hello\n    type: io.kestra.plugin.core.log.Log\n    message: "{{ trigger.date }}"\ntriggers:\n  - id: daily\n    type: io.kestra.plugin.core.trigger.Schedule\n    cron: "0 9 * * *"\n    timezone: Europe/Paris\n',
    ),
  ],
});

export const webhook = defineTrigger({
  id: 'core.trigger.Webhook',
  aliases: ['io.kestra.plugin.core.trigger.Webhook', 'io.kestra.core.models.triggers.types.Webhook'],
  group: 'Core / Trigger',
  kind: 'webhook',
  title: 'Start the flow from an HTTP call',
  description:
    'Starts an execution on GET, POST or PUT to `/api/v1/{tenant}/executions/webhook/{namespace}/{flowId}/{key}`. The key is the credential: the call needs no other. ' +
    'With `wait: true` the call answers when the execution ends, with `returnOutputs: true` its outputs.',
  props: z.object({
    key: z.string().min(1).max(256).describe('The secret part of the URL; treat it as a password'),
    inputs: inputsProp,
    wait: z.boolean().optional().describe('Answer when the execution ends (default false: answer when it starts)'),
    returnOutputs: z.boolean().optional().describe('With wait: answer with the flow outputs'),
  }),
  variables: {
    body: 'the request body (parsed JSON when it is JSON, else text)',
    headers: 'the request headers (lists of values)',
    parameters: 'the query parameters (lists of values)',
  },
  examples: [
    example(
      'A webhook',
      'tasks:\n  - id: hello\n    type: io.kestra.plugin.core.log.Log\n    message: "{{ trigger.body }}"\ntriggers:\n  - id: hook\n    type: io.kestra.plugin.core.trigger.Webhook\n    key: 4wjtkzwVGBM9yKnjm3yv8r\n',
    ),
  ],
});

const flowRef = z.object({
  namespace: z.string().min(1).describe('Upstream namespace'),
  flowId: z.string().optional().describe('Upstream flow (any flow of the namespace when absent)'),
  states: z.array(z.enum(STATES)).optional().describe('Upstream end states that count (default SUCCESS)'),
  labels: z.record(z.string(), z.string()).optional().describe('Labels the upstream execution must have'),
});

export const flowTrigger = defineTrigger({
  id: 'core.trigger.Flow',
  aliases: ['io.kestra.plugin.core.trigger.Flow', 'io.kestra.core.models.triggers.types.Flow'],
  group: 'Core / Trigger',
  kind: 'flow',
  title: 'Start the flow when other executions end',
  description:
    'Starts an execution when an execution of another flow ends in one of `states` and the conditions hold, once per upstream end. ' +
    'With `preconditions`, it starts when every listed upstream flow has ended as wanted within the time window (Kestra 0.19+; replaces MultipleCondition).',
  props: z.object({
    inputs: inputsProp,
    states: z.array(z.enum(STATES)).optional().describe('Upstream states that fire the trigger (default: the terminal states)'),
    preconditions: z
      .object({
        id: z.string().optional(),
        flows: z.array(flowRef).min(1).describe('Upstream flows that must all have ended as wanted'),
        timeWindow: z
          .object({
            type: z.enum(['DURATION_WINDOW', 'SLIDING_WINDOW', 'DAILY_TIME_DEADLINE', 'DAILY_TIME_WINDOW']).optional().describe('Default DURATION_WINDOW'),
            window: z.string().optional().describe('ISO duration (default PT24H)'),
            windowAdvance: z.string().optional().describe('ISO duration the fixed windows are shifted by (DURATION_WINDOW)'),
            deadline: z.string().optional().describe('HH:mm:ss (DAILY_TIME_DEADLINE)'),
            startTime: z.string().optional().describe('HH:mm:ss (DAILY_TIME_WINDOW)'),
            endTime: z.string().optional().describe('HH:mm:ss (DAILY_TIME_WINDOW)'),
          })
          .strict()
          .optional(),
        resetOnSuccess: z.boolean().optional().describe('Start over after firing (default true)'),
      })
      .strict()
      .optional()
      .describe('Upstream flows that must all end within a time window'),
  }),
  variables: {
    executionId: 'the upstream execution',
    namespace: 'its namespace',
    flowId: 'its flow',
    flowRevision: 'its revision',
    state: 'its end state',
    outputs: 'its flow outputs',
  },
  examples: [
    example(
      'After another flow',
      'tasks:\n  - id: hello\n    type: io.kestra.plugin.core.log.Log\n    message: "after {{ trigger.executionId }}"\ntriggers:\n  - id: after_extract\n    type: io.kestra.plugin.core.trigger.Flow\n    states: [SUCCESS]\n    conditions:\n      - type: io.kestra.plugin.core.condition.ExecutionFlow\n        namespace: company.team\n        flowId: extract\n',
    ),
  ],
});

/** Kestra's core condition names, old and new. */
const names = (name: string) => ({ id: `core.condition.${name}`, aliases: [`io.kestra.plugin.core.condition.${name}`, `io.kestra.core.models.conditions.types.${name}Condition`] });
const time = z.string().describe('HH:mm[:ss]');

export const conditionDefinitions: ConditionDefinition[] = [
  defineCondition({
    ...names('DateTimeBetween'),
    title: 'Date between two date-times',
    description: 'The date is after `after` and before `before` (ISO-8601 date-times).',
    appliesTo: ['schedule', 'webhook', 'flow', 'polling'],
    props: z.object({ date: dateProp, after: z.string().optional(), before: z.string().optional() }).strict(),
  }),
  defineCondition({
    ...names('DayWeek'),
    title: 'Day of the week',
    description: 'The date falls on `dayOfWeek`.',
    appliesTo: ['schedule', 'webhook', 'flow', 'polling'],
    props: z.object({ date: dateProp, dayOfWeek: z.enum(DAYS) }).strict(),
  }),
  defineCondition({
    ...names('DayWeekInMonth'),
    title: 'Day of the week in the month',
    description: 'The date is the FIRST, SECOND, THIRD, FOURTH or LAST `dayOfWeek` of its month.',
    appliesTo: ['schedule', 'webhook', 'flow', 'polling'],
    props: z.object({ date: dateProp, dayOfWeek: z.enum(DAYS), dayInMonth: z.enum(['FIRST', 'SECOND', 'THIRD', 'FOURTH', 'LAST']) }).strict(),
  }),
  defineCondition({
    ...names('Weekend'),
    title: 'Weekend',
    description: 'The date is a Saturday or a Sunday.',
    appliesTo: ['schedule', 'webhook', 'flow', 'polling'],
    props: z.object({ date: dateProp }).strict(),
  }),
  defineCondition({
    ...names('TimeBetween'),
    title: 'Time of day between',
    description: 'The time of day of the date is after `after` and before `before`.',
    appliesTo: ['schedule', 'webhook', 'flow', 'polling'],
    props: z.object({ date: dateProp, after: time.optional(), before: time.optional() }).strict(),
  }),
  defineCondition({
    ...names('Not'),
    title: 'None of',
    description: 'None of the conditions holds.',
    appliesTo: ['schedule', 'webhook', 'flow', 'polling'],
    nested: true,
    props: z.object({ conditions: z.array(z.unknown()).min(1) }).strict(),
  }),
  defineCondition({
    ...names('Or'),
    title: 'Any of',
    description: 'At least one of the conditions holds.',
    appliesTo: ['schedule', 'webhook', 'flow', 'polling'],
    nested: true,
    props: z.object({ conditions: z.array(z.unknown()).min(1) }).strict(),
  }),
  defineCondition({
    ...names('And'),
    title: 'All of',
    description: 'Every condition holds.',
    appliesTo: ['schedule', 'webhook', 'flow', 'polling'],
    nested: true,
    props: z.object({ conditions: z.array(z.unknown()).min(1) }).strict(),
  }),
  defineCondition({
    ...names('ExecutionFlow'),
    title: 'Upstream flow',
    description: 'The upstream execution belongs to this flow.',
    appliesTo: ['flow'],
    props: z.object({ namespace: z.string().min(1), flowId: z.string().min(1) }).strict(),
  }),
  defineCondition({
    ...names('ExecutionNamespace'),
    title: 'Upstream namespace',
    description: 'The upstream execution is in this namespace (EQUALS, PREFIX or SUFFIX).',
    appliesTo: ['flow'],
    props: z.object({ namespace: z.string().min(1), comparison: z.enum(['EQUALS', 'PREFIX', 'SUFFIX']).optional(), prefix: z.boolean().optional() }).strict(),
  }),
  defineCondition({
    ...names('ExecutionStatus'),
    title: 'Upstream state',
    description: 'The upstream execution ended in one of `in` and in none of `notIn`.',
    appliesTo: ['flow'],
    props: z.object({ in: z.array(z.enum(STATES)).optional(), notIn: z.array(z.enum(STATES)).optional() }).strict(),
  }),
  defineCondition({
    ...names('ExecutionLabels'),
    title: 'Upstream labels',
    description: 'The upstream execution has all these labels.',
    appliesTo: ['flow'],
    props: z.object({ labels: z.union([z.record(z.string(), z.string()), z.array(z.object({ key: z.string(), value: z.string() }))]) }).strict(),
  }),
  defineCondition({
    ...names('Expression'),
    title: 'Expression',
    description: 'The expression renders to true (it reads `trigger`, `flow` and `execution` of the upstream).',
    appliesTo: ['schedule', 'webhook', 'flow', 'polling'],
    props: z.object({ expression: z.string().min(1) }).strict(),
  }),
];

export const triggerDefinitions: TriggerDefinition[] = [schedule, webhook, flowTrigger] as TriggerDefinition[];
