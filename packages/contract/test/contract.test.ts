import { describe, expect, it } from 'vitest';
import { ExecutionSchema, executionFilterParams, FilterError, isTerminal, LogLineSchema, parseExecutionFilters, STATES, TERMINAL_STATE_LIST } from '../src';

const execution = {
  id: 'e1',
  tenantId: 'main',
  namespace: 'team.a',
  flowId: 'hello',
  flowRevision: 2,
  state: {
    current: 'SUCCESS',
    histories: [
      { state: 'CREATED', date: '2026-12-03T10:00:00.000Z' },
      { state: 'SUCCESS', date: '2026-12-03T10:00:01.000Z' },
    ],
    startDate: '2026-12-03T10:00:00.000Z',
  },
  taskRunList: [
    {
      id: 't1',
      taskId: 'log',
      parentTaskRunId: null,
      value: null,
      state: { current: 'SUCCESS', histories: [{ state: 'RUNNING', date: '2026-12-03T10:00:00.100Z' }] },
      attempts: [{ attempt: 1, state: { current: 'SUCCESS' } }],
      outputs: {},
      error: null,
    },
  ],
  inputs: {},
  outputs: {},
  labels: [{ key: 'team', value: 'a' }],
};

describe('views', () => {
  it('accepts an execution in the API shape and keeps fields it does not know', () => {
    const parsed = ExecutionSchema.parse({ ...execution, somethingNew: 1 });
    expect(parsed.taskRunList[0]!.attempts[0]!.attempt).toBe(1);
    expect((parsed as Record<string, unknown>).somethingNew).toBe(1);
  });

  it('refuses an unknown state, naming where it is', () => {
    const bad = { ...execution, taskRunList: [{ ...execution.taskRunList[0], state: { current: 'DONE', histories: [] } }] };
    const result = ExecutionSchema.safeParse(bad);
    expect(result.success).toBe(false);
    expect(result.error!.issues[0]!.path).toEqual(['taskRunList', 0, 'state', 'current']);
  });

  it('refuses a log line with an unknown level or a date that is not one', () => {
    const line = { id: '7', executionId: 'e1', taskRunId: null, taskId: null, attemptNumber: 1, level: 'INFO', message: 'hi', timestamp: '2026-12-03T10:00:00Z' };
    expect(LogLineSchema.safeParse(line).success).toBe(true);
    expect(LogLineSchema.safeParse({ ...line, level: 'NOTICE' }).success).toBe(false);
    expect(LogLineSchema.safeParse({ ...line, timestamp: 'yesterday' }).success).toBe(false);
  });
});

describe('states', () => {
  it('knows which states are terminal', () => {
    expect(TERMINAL_STATE_LIST).toEqual(['SUCCESS', 'WARNING', 'FAILED', 'KILLED', 'CANCELLED', 'SKIPPED']);
    expect(isTerminal('RUNNING')).toBe(false);
    expect(isTerminal(undefined)).toBe(false);
    expect(STATES).toContain('KILLING');
  });
});

describe('execution filters', () => {
  it('reads repeated and comma-separated states, dates and labels', () => {
    const f = parseExecutionFilters(new URLSearchParams('state=RUNNING,PAUSED&state=FAILED&startDate=2026-12-01T00:00:00Z&labels=team:a&labels=env:prod:eu&namespace=team'));
    expect(f.state).toEqual(['RUNNING', 'PAUSED', 'FAILED']);
    expect(f.startDate?.toISOString()).toBe('2026-12-01T00:00:00.000Z');
    expect(f.labels).toEqual({ team: 'a', env: 'prod:eu' });
    expect(f.namespace).toBe('team');
  });

  it('says which parameter is wrong and how to write it', () => {
    const error = (q: string) => {
      try {
        parseExecutionFilters(new URLSearchParams(q));
      } catch (e) {
        return e as FilterError;
      }
      throw new Error('no error');
    };
    expect(error('state=DONE')).toMatchObject({ parameter: 'state', message: expect.stringContaining("unknown state 'DONE'") });
    expect(error('startDate=yesterday')).toMatchObject({ parameter: 'startDate', message: expect.stringContaining('ISO-8601') });
    expect(error('endDate=10000-01-01T00:00:00Z')).toMatchObject({ parameter: 'endDate' });
    expect(error('labels=nocolon')).toMatchObject({ parameter: 'labels', message: expect.stringContaining('key:value') });
  });

  it('writes what it reads (round trip)', () => {
    const filters = { namespace: 'team.a', flowId: 'f', state: ['FAILED' as const], startDate: new Date('2026-12-01T00:00:00Z'), labels: { team: 'a' } };
    const parsed = parseExecutionFilters(new URLSearchParams(executionFilterParams(filters)));
    expect(parsed).toEqual({ ...filters, endDate: undefined });
  });
});
