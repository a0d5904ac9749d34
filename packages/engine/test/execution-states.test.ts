// The state machine as data (src/state/execution-states.ts): the table checked exhaustively, then
// random event sequences driven through the in-memory model of the transitions with fast-check.
// test/execution-states.int.test.ts drives the same sequences through the real SQL.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ACTIVE_STATES, STATES, TERMINAL_STATES, type State } from '../src/states';
import { EXECUTION_TRANSITIONS, holdsSlot, nextExecutionState, nextTaskRunState, TASK_RUN_TRANSITIONS } from '../src/state/execution-states';
import { brokenInvariants, ExecutionModel } from '../src/state/model';
import { applyToModel, Driver, stateEvent } from './state-driver';

const terminal = (s: State) => TERMINAL_STATES.has(s);

describe('the transition table', () => {
  it('names only known states, and every event once', () => {
    for (const table of [EXECUTION_TRANSITIONS, TASK_RUN_TRANSITIONS]) {
      expect(new Set(table.map((t) => t.event)).size).toBe(table.length);
      for (const t of table) {
        for (const s of t.from) expect(STATES).toContain(s);
        if (t.to !== 'previous') expect(STATES).toContain(t.to);
      }
    }
  });

  it('frees the slot exactly on the transitions into a terminal state, and no terminal state holds one', () => {
    for (const s of ACTIVE_STATES) expect(terminal(s)).toBe(false);
    for (const t of EXECUTION_TRANSITIONS) {
      const ends = t.to !== 'previous' && terminal(t.to);
      expect({ event: t.event, frees: t.frees.slot }).toEqual({ event: t.event, frees: ends });
      if (ends) expect(holdsSlot(t.to as State)).toBe(false);
    }
    // Only a kill ends the task runs left open (the workflow ends its own before finishing).
    expect(EXECUTION_TRANSITIONS.filter((t) => t.frees.openTaskRuns).map((t) => t.event)).toEqual(['killed']);
  });

  it('appends a history entry on every transition but the undos, which drop the one they undo', () => {
    for (const t of [...EXECUTION_TRANSITIONS, ...TASK_RUN_TRANSITIONS]) {
      expect({ event: t.event, history: t.history }).toEqual({ event: t.event, history: t.to === 'previous' ? 'drop-last' : 'append' });
    }
  });

  it('never leaves a terminal state but by restart (exhaustive over state × event)', () => {
    const left: string[] = [];
    for (const current of STATES) {
      for (const t of EXECUTION_TRANSITIONS) {
        const next = nextExecutionState(current, t.event, ['CREATED', 'RUNNING', current]);
        if (terminal(current) && next !== undefined && next !== current) left.push(`execution ${current} --${t.event}--> ${next}`);
      }
      for (const t of TASK_RUN_TRANSITIONS) {
        const next = nextTaskRunState(current, t.event);
        if (terminal(current) && next !== undefined && next !== current) left.push(`task run ${current} --${t.event}--> ${next}`);
      }
    }
    expect(left.sort()).toEqual([
      'execution CANCELLED --restart--> RESTARTED',
      'execution FAILED --restart--> RESTARTED',
      'execution KILLED --restart--> RESTARTED',
      'task run SUCCESS --warn--> WARNING',
    ]);
  });

  it('reaches every end from a running execution, and a restart is a claim', () => {
    const ends = EXECUTION_TRANSITIONS.map((t) => nextExecutionState('RUNNING', t.event, ['CREATED', 'RUNNING'])).filter((s): s is State => !!s && terminal(s));
    expect(new Set(ends)).toEqual(new Set(['SUCCESS', 'WARNING', 'FAILED', 'CANCELLED', 'KILLED']));
    expect(nextExecutionState('RESTARTED', 'restart', ['FAILED', 'RESTARTED'])).toBeUndefined();
    expect(nextTaskRunState('RUNNING', 'resume')).toBeUndefined();
    // Idempotent otherwise: the same state again is no change.
    expect(nextExecutionState('KILLING', 'kill', ['RUNNING', 'KILLING'])).toBe('KILLING');
  });
});

describe('the model of the transitions', () => {
  it('ends an attempt whose worker was lost when the next one starts, and open attempts with their task run', () => {
    const m = new ExecutionModel();
    m.create();
    m.transition('start');
    m.recordAttempt('t', 1, 'RUNNING');
    m.recordAttempt('t', 2, 'RUNNING');
    expect(m.snapshot()!.taskRuns[0].attempts).toEqual([
      { attempt: 1, state: 'FAILED' },
      { attempt: 2, state: 'RUNNING' },
    ]);
    m.projectTaskRun('t', 'FAILED');
    expect(m.snapshot()!.taskRuns[0].attempts).toEqual([
      { attempt: 1, state: 'FAILED' },
      { attempt: 2, state: 'FAILED' },
    ]);
  });

  it('a kill by the API ends the open task runs and their running attempts, with history entries', () => {
    const m = new ExecutionModel();
    m.create();
    m.transition('start');
    m.recordAttempt('t', 1, 'RUNNING');
    m.transition('kill');
    m.transition('killed');
    const snap = m.snapshot()!;
    expect(snap.histories).toEqual(['CREATED', 'RUNNING', 'KILLING', 'KILLED']);
    expect(snap.taskRuns[0]).toMatchObject({ state: 'KILLED', histories: ['RUNNING', 'KILLED'], attempts: [{ attempt: 1, state: 'KILLED' }] });
  });

  it('an undone kill goes back to the state before it, without its entry', () => {
    const m = new ExecutionModel();
    m.create();
    m.transition('pause');
    m.transition('start');
    m.transition('pause');
    m.transition('kill');
    expect(m.transition('undoKill')).toBe(true);
    expect(m.snapshot()).toMatchObject({ state: 'PAUSED', histories: ['CREATED', 'RUNNING', 'PAUSED'] });
    expect(m.transition('undoKill')).toBe(false);
  });

  it('keeps the invariants over random event sequences', () => {
    fc.assert(
      fc.property(fc.array(stateEvent, { minLength: 1, maxLength: 40 }), (events) => {
        const model = new ExecutionModel();
        model.create();
        const driver = new Driver('e');
        for (const event of events) {
          const before = model.snapshot();
          for (const call of driver.calls(event)) applyToModel(model, call);
          const broken = brokenInvariants(before, model.snapshot());
          if (broken.length) throw new Error(`${JSON.stringify(event)}: ${broken.join('; ')}`);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('the invariant check is not vacuous: it sees a KILLED without its history entry', () => {
    // What ExecutionService.kill's forced path wrote before (state KILLED, history unchanged).
    const before = { state: 'KILLING' as State, histories: ['CREATED', 'RUNNING', 'KILLING'] as State[], taskRuns: [] };
    expect(brokenInvariants(before, { ...before, state: 'KILLED' })).toEqual(['execution is KILLED but its history ends KILLING']);
    const run = { id: 't', state: 'RUNNING' as State, histories: ['RUNNING'] as State[], attempts: [{ attempt: 1, state: 'RUNNING' as const }] };
    expect(brokenInvariants(undefined, { state: 'KILLED', histories: ['KILLED'], taskRuns: [run] })).toEqual(['execution is KILLED but task run t is RUNNING']);
  });
});
