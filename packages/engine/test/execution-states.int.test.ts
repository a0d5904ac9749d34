// The state machine against real PostgreSQL: random event sequences go through the real
// transition SQL (src/state/transitions.ts) and, side by side, through the in-memory model; after
// every event the rows must equal the model and keep the invariants (a history entry for every
// state, nothing out of a terminal state but a restart, no open task run or running attempt under
// a killed execution or an ended task run). Rows live under a tenant of their own and are removed.
import fc from 'fast-check';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { getDb } from '@baton/db';
import type { State } from '../src/states';
import {
  acquireSlot,
  createExecution,
  projectExecutionState,
  projectTaskRunState,
  recordAttempt,
  resumeTaskRun,
  transitionExecution,
  undoKill,
  undoResumeTaskRun,
  undoRestart,
} from '../src/state/transitions';
import { brokenInvariants, ExecutionModel, type ExecutionSnapshot } from '../src/state/model';
import { applyToModel, Driver, stateEvent, type Call } from './state-driver';

const db = getDb(inject('databaseUrl'));
const TENANT = 'state-machine-property';
let counter = 0;

afterAll(async () => {
  await db.$executeRaw`DELETE FROM executions WHERE tenant = ${TENANT}`;
});

async function applyToSql(executionId: string, call: Call): Promise<boolean | void> {
  const at = new Date().toISOString();
  const run = (id: string) => ({ id, executionId, taskId: id.split('-').pop()!, seq: 0 });
  switch (call.op) {
    case 'execution':
      if (call.event === 'undoKill') return undoKill(db, executionId);
      if (call.event === 'undoRestart') return undoRestart(db, executionId, { endedAt: null, error: null });
      return transitionExecution(db, executionId, call.event, { at, by: 'property-test' });
    case 'projectExecution':
      return projectExecutionState(db, executionId, call.state, { at });
    case 'projectTaskRun':
      return projectTaskRunState(db, { ...run(call.run), state: call.state, at });
    case 'recordAttempt':
      return recordAttempt(db, {
        ...run(call.run),
        attempt: call.attempt,
        state: call.state,
        startedAt: at,
        endedAt: call.state === 'RUNNING' ? undefined : at,
        runningSkipped: call.runningSkipped,
      });
    case 'resumeTaskRun':
      return resumeTaskRun(db, call.run, 'property-test', at);
    case 'undoResumeTaskRun':
      return undoResumeTaskRun(db, call.run, at);
  }
}

async function readRows(executionId: string): Promise<ExecutionSnapshot> {
  const execution = await db.execution.findUniqueOrThrow({ where: { id: executionId } });
  const runs = await db.taskRun.findMany({ where: { executionId } });
  const states = (h: unknown) => (h as { state: State }[]).map((e) => e.state);
  return {
    state: execution.state as State,
    histories: states(execution.histories),
    taskRuns: runs
      .map((r) => ({
        id: r.id,
        state: r.state as State,
        histories: states(r.histories),
        attempts: (r.attempts as { attempt: number; state: { current: string } }[]).map((a) => ({ attempt: a.attempt, state: a.state.current as never })),
      }))
      .sort((a, b) => a.id.localeCompare(b.id)),
  };
}

async function newExecution(flowId = 'random'): Promise<string> {
  const id = `sm${process.pid}x${counter++}`;
  await createExecution(db, { id, tenant: TENANT, namespace: 'test.state', flowId, flowRevision: 1, inputs: {}, labels: {}, at: new Date().toISOString() });
  return id;
}

describe('execution state transitions in PostgreSQL', () => {
  it('keep the invariants and match the model over a few hundred random event sequences', async () => {
    let events = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(stateEvent, { minLength: 1, maxLength: 25 }), async (sequence) => {
        const id = await newExecution();
        const model = new ExecutionModel();
        model.create();
        const driver = new Driver(id);
        let before = await readRows(id);
        for (const event of sequence) {
          for (const call of driver.calls(event)) {
            const expected = applyToModel(model, call);
            const actual = await applyToSql(id, call);
            // Claims and execution transitions say whether they moved the row: the SQL and the model agree.
            if (typeof actual === 'boolean') expect({ call, moved: actual }).toEqual({ call, moved: expected });
          }
          events++;
          const after = await readRows(id);
          expect({ event, rows: after }).toEqual({ event, rows: model.snapshot() });
          expect({ event, broken: brokenInvariants(before, after) }).toEqual({ event, broken: [] });
          before = after;
        }
      }),
      { numRuns: 300 },
    );
    // Most sequences did something (not only refused events).
    expect(events).toBeGreaterThan(1000);
  });

  it('a KILLED execution has a history entry and ends its task runs, however it was killed', async () => {
    for (const path of ['workflow', 'api'] as const) {
      const id = await newExecution();
      await transitionExecution(db, id, 'start', { at: new Date().toISOString() });
      await recordAttempt(db, { id: `${id}-a`, executionId: id, taskId: 'a', seq: 0, attempt: 1, state: 'RUNNING', startedAt: new Date().toISOString() });
      await transitionExecution(db, id, 'kill', { at: new Date().toISOString(), by: 'someone' });
      if (path === 'workflow') await projectExecutionState(db, id, 'KILLED', { at: new Date().toISOString(), error: 'killed' });
      else await transitionExecution(db, id, 'killed', { at: new Date().toISOString(), by: 'someone', error: 'terminated' });
      const rows = await readRows(id);
      expect({ path, rows }).toEqual({
        path,
        rows: {
          state: 'KILLED',
          histories: ['CREATED', 'RUNNING', 'KILLING', 'KILLED'],
          taskRuns: [{ id: `${id}-a`, state: 'KILLED', histories: ['RUNNING', 'KILLED'], attempts: [{ attempt: 1, state: 'KILLED' }] }],
        },
      });
      const row = await db.execution.findUniqueOrThrow({ where: { id } });
      expect(row.endedAt).not.toBeNull();
      // A late write of the stopped activity changes nothing.
      await recordAttempt(db, {
        id: `${id}-a`,
        executionId: id,
        taskId: 'a',
        seq: 0,
        attempt: 1,
        state: 'KILLED',
        startedAt: new Date().toISOString(),
        endedAt: new Date().toISOString(),
      });
      expect((await readRows(id)).taskRuns[0].state).toBe('KILLED');
    }
  });

  it('a slot is taken only while one is free, and freed by every end', async () => {
    const flowId = `slots-${process.pid}`;
    const request = (executionId: string) => ({ executionId, tenant: TENANT, namespace: 'test.state', flowId, limit: 1 });
    const [a, b] = [await newExecution(flowId), await newExecution(flowId)];
    expect(await acquireSlot(db, request(a))).toBe(true);
    // Asked again (a retried activity): still its own slot.
    expect(await acquireSlot(db, request(a))).toBe(true);
    expect(await acquireSlot(db, request(b))).toBe(false);
    for (const end of ['pause', 'kill'] as const) {
      await transitionExecution(db, a, end, { at: new Date().toISOString() });
      expect({ end, acquired: await acquireSlot(db, request(b)) }).toEqual({ end, acquired: false });
    }
    await transitionExecution(db, a, 'killed', { at: new Date().toISOString() });
    expect(await acquireSlot(db, request(b))).toBe(true);
    expect((await readRows(b)).histories).toEqual(['CREATED', 'RUNNING']);
  });
});
