import { definePlugin, z } from '@baton/plugin-sdk';
import { example } from './example';
import { LOG_LEVELS, type State } from '@baton/contract';

// Kestra's retention tasks. Their runtimes live in the worker (apps/worker/src/engine-runtimes.ts):
// they delete Baton's own rows, which no plugin may touch.

const date = z.string().describe('ISO-8601 date-time, e.g. "{{ now() | dateAdd(-30, \'DAYS\') }}"');

export const purgeExecutions = definePlugin({
  id: 'core.execution.PurgeExecutions',
  aliases: ['io.kestra.plugin.core.execution.PurgeExecutions'],
  kind: 'runnable',
  group: 'Core / Execution',
  title: 'Purge old executions',
  description:
    'Deletes the executions of this tenant that **ended** (SUCCESS, WARNING, FAILED, KILLED, CANCELLED; never one still running or paused) and started between `startDate` and `endDate`, with their task runs (`purgeExecution`), logs (`purgeLog`) and internal-storage files (`purgeStorage`), optionally only of a `namespace` (with its children), a `flowId` or some `states`. Outputs count what was deleted.',
  idempotent: true,
  activity: { timeout: 'PT30M', retry: { maxAttempt: 3 } },
  props: z.object({
    namespace: z.string().optional().describe('Only this namespace and its children'),
    flowId: z.string().optional().describe('Only this flow (with namespace)'),
    startDate: date.optional().describe('Only executions started at or after this'),
    endDate: date.describe('Only executions started before this'),
    states: z
      .array(z.enum(['SUCCESS', 'WARNING', 'FAILED', 'KILLED', 'CANCELLED'] satisfies State[]))
      .optional()
      .describe('Only these end states'),
    purgeExecution: z.boolean().optional().describe('Delete the executions and their task runs (default true)'),
    purgeLog: z.boolean().optional().describe('Delete their logs (default true)'),
    purgeStorage: z.boolean().optional().describe('Delete their files in internal storage (FILE inputs, task files), with the executions (default true)'),
  }),
  outputs: z.object({
    executionsCount: z.number().describe('Executions deleted'),
    logsCount: z.number().describe('Log lines deleted'),
    storagesCount: z.number().optional().describe('Files deleted from internal storage'),
  }),
  examples: [
    example(
      'Keep a month',
      `
tasks:
  - id: purge
    type: io.kestra.plugin.core.execution.PurgeExecutions
    endDate: "{{ now() | dateAdd(-30, 'DAYS') }}"
    states: [SUCCESS]
`,
    ),
  ],
});

export const purgeLogs = definePlugin({
  id: 'core.log.PurgeLogs',
  aliases: ['io.kestra.plugin.core.log.PurgeLogs'],
  kind: 'runnable',
  group: 'Core / Log',
  title: 'Purge old logs',
  description:
    'Deletes log lines of this tenant written between `startDate` and `endDate`, optionally only of a `namespace` (with its children), a `flowId`, an `executionId` or some `logLevels`. Lines of executions still running are kept. `outputs.<id>.count` is the number deleted.',
  idempotent: true,
  activity: { timeout: 'PT30M', retry: { maxAttempt: 3 } },
  props: z.object({
    namespace: z.string().optional().describe('Only this namespace and its children'),
    flowId: z.string().optional().describe('Only this flow (with namespace)'),
    executionId: z.string().optional().describe('Only this execution'),
    logLevels: z.array(z.enum(LOG_LEVELS)).optional().describe('Only these levels'),
    startDate: date.optional().describe('Only lines written at or after this'),
    endDate: date.describe('Only lines written before this'),
  }),
  outputs: z.object({ count: z.number().describe('Log lines deleted') }),
  examples: [
    example(
      'Drop debug lines after a week',
      `
tasks:
  - id: purge
    type: io.kestra.plugin.core.log.PurgeLogs
    endDate: "{{ now() | dateAdd(-7, 'DAYS') }}"
    logLevels: [TRACE, DEBUG]
`,
    ),
  ],
});

export const purgeDefinitions = [purgeExecutions, purgeLogs];
