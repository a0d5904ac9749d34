// The interpreter without Temporal: fake effects record every projection, activity, timer and
// child execution; a fake clock makes sleeps and pauses instant. What Temporal itself does (activity
// retries by policy, cancellation of what is pending on kill) is imitated by the fake.
import { describe, expect, it } from 'vitest';
import { render } from '@baton/flow/expressions';
import type { FlowPlan } from '@baton/flow/model';
import { validateFlow } from '@baton/flow/validate';
import { defaultRegistry } from '@baton/plugin-catalog';
import type {
  ApprovalNotice,
  ExecutionInput,
  ExecutionResult,
  LockAnswer,
  LockRelease,
  LockRequest,
  MergeOutputsRequest,
  ProjectionEvent,
  RunTaskInput,
  RunTaskResult,
  SlotRequest,
  SplitItemsRequest,
  SubflowRequest,
} from '../src/workflow/contracts';
import { splitItems } from '../src/services/storage/split-items';
import type { ChildExecution, Effects, RunTaskOptions } from '../src/workflow/interpreter/effects';
import { Interpreter } from '../src/workflow/interpreter/interpreter';
import { FLOWABLES } from '../src/workflow/interpreter/flowables';
import { javaDuration, truthy } from '../src/workflow/interpreter/outcomes';

class FakeCancelled extends Error {
  constructor() {
    super('cancelled');
  }
}

type TaskRun = Extract<ProjectionEvent, { kind: 'taskRun' }>;
type Handler = (input: RunTaskInput, attempt: number) => Record<string, unknown> | void | Promise<Record<string, unknown> | void>;

interface Timer {
  at: number;
  order: number;
  fire: () => void;
}

const START = Date.parse('2026-01-01T00:00:00.000Z');

/**
 * The outside world of one or more executions (a subflow shares its parent's). Activities run the
 * handler registered for their task id; without one they render `format` like core.Return does.
 */
class FakeWorld implements Effects {
  clock = START;
  readonly batches: ProjectionEvent[][] = [];
  /** Every effect call, in order, in a short readable form. */
  readonly calls: string[] = [];
  readonly activities: RunTaskInput[] = [];
  readonly handlers: Record<string, Handler> = {};
  readonly flows: Record<string, FlowPlan> = {};
  /** Like the real runTask: an activity asked to end the execution on success says it did. */
  endsExecutions = false;
  slots = 0;
  private timers: Timer[] = [];
  private waiters: { fn: () => boolean; done: (v: boolean) => void }[] = [];
  private cancellables = new Set<(e: Error) => void>();
  private killedAt: number | undefined;
  private shielded = 0;
  private ids = 0;
  private order = 0;

  get events(): ProjectionEvent[] {
    return this.batches.flat();
  }

  // ---- Effects ------------------------------------------------------------------------------

  project = async (events: ProjectionEvent[]) => {
    this.check();
    this.batches.push(structuredClone(events));
  };

  runTask = (input: RunTaskInput, options: RunTaskOptions): Promise<RunTaskResult> => {
    this.calls.push(`runTask ${input.task.id}${input.context.taskrun.value === undefined ? '' : `[${String(input.context.taskrun.value)}]`}`);
    input = structuredClone(input); // Temporal serialises the input when the activity is scheduled
    this.activities.push(input);
    return this.cancellable(async () => {
      const max = options.retry.maximumAttempts || Infinity;
      for (let attempt = 1; ; attempt++) {
        try {
          const handler = this.handlers[input.task.id] ?? ((i: RunTaskInput) => this.returnTask(i));
          // A handler's `__warning` stands for ctx.setWarning() in the activity (a script's stderr).
          const { __warning, ...outputs } = ((await handler(input, attempt)) ?? {}) as Record<string, unknown>;
          if (__warning) return { outputs, attempt, warning: String(__warning) };
          return { outputs, attempt, ...(this.endsExecutions && input.endExecutionOnSuccess ? { executionEnded: true } : {}) };
        } catch (error) {
          if (attempt >= max || (error as Error).name === 'NonRetryable') throw error;
          await this.delay(Number(options.retry.initialInterval ?? 1000));
        }
      }
    });
  };

  acquireSlot = async (request: SlotRequest) => {
    this.check();
    this.calls.push(`acquireSlot ${request.limit}`);
    if (this.slots <= 0) return false;
    this.slots--;
    return true;
  };

  /** The lock table: key → holder, like resource_locks (an ended execution's locks are free). */
  readonly lockTable = new Map<string, { executionId: string; holder: string }>();
  readonly endedExecutions = new Set<string>();

  acquireLocks = async (request: LockRequest): Promise<LockAnswer> => {
    this.check();
    this.calls.push(`acquireLocks ${request.keys.join(',')}${request.holder ? '' : ' (execution)'}`);
    for (const key of request.keys) {
      const held = this.lockTable.get(key);
      if (!held || this.endedExecutions.has(held.executionId)) continue;
      if (held.executionId === request.executionId && (held.holder === '' || held.holder === request.holder)) continue;
      return { acquired: false, key, heldBy: held.executionId };
    }
    for (const key of request.keys) {
      const held = this.lockTable.get(key);
      if (held?.executionId === request.executionId && held.holder === '') continue;
      this.lockTable.set(key, { executionId: request.executionId, holder: request.holder });
    }
    return { acquired: true };
  };

  releaseLocks = async (request: LockRelease) => {
    this.check();
    this.calls.push(`releaseLocks${request.holder === undefined ? ' (all)' : ''}`);
    for (const [key, held] of this.lockTable)
      if (held.executionId === request.executionId && (request.holder === undefined || held.holder === request.holder)) this.lockTable.delete(key);
  };

  prepareSubflow = async (request: SubflowRequest): Promise<ExecutionInput> => {
    this.check();
    this.calls.push(`prepareSubflow ${request.namespace}.${request.flowId}`);
    const plan = this.flows[`${request.namespace}.${request.flowId}`];
    if (!plan) throw new Error(`flow ${request.namespace}.${request.flowId} not found`);
    return { executionId: `child-${++this.ids}`, tenant: request.tenant, plan, inputs: request.inputs, labels: request.labels, parent: request.parent };
  };

  /** Internal storage of the fake: URI → content. */
  readonly files = new Map<string, string>();
  readonly childInputs: ExecutionInput[] = [];
  private readonly childResults = new Map<string, ExecutionResult>();

  splitItems = async (request: SplitItemsRequest) => {
    this.check();
    this.calls.push(`splitItems ${request.taskId}`);
    const content = this.files.get(request.items);
    if (content === undefined) throw nonRetryable(`no file ${request.items}`);
    const base = `kestra:///${request.executionId}/tasks/${request.taskId}/${request.taskRunId}/`;
    const uris = splitItems(content, request.batch).map((batch, i) => {
      this.files.set(`${base}${i}.txt`, batch);
      return `${base}${i}.txt`;
    });
    this.files.set(`${base}splits.txt`, uris.join('\n'));
    return { splits: `${base}splits.txt`, uris };
  };

  mergeSubflowOutputs = async (request: MergeOutputsRequest) => {
    this.check();
    this.calls.push(`mergeSubflowOutputs ${request.taskId}`);
    const outputs = request.executionIds.map((id) => this.childResults.get(id)?.outputs ?? {});
    if (!outputs.some((o) => Object.keys(o).length)) return {};
    const uri = `kestra:///${request.executionId}/tasks/${request.taskId}/${request.taskRunId}/outputs.ion`;
    this.files.set(uri, outputs.map((o) => JSON.stringify(o)).join('\n') + '\n');
    return { subflowOutputs: uri };
  };

  notifyApprovers = async (notice: ApprovalNotice) => {
    this.check();
    this.calls.push(`notifyApprovers ${notice.taskId} ${notice.request.required}`);
  };

  startChild = async (input: ExecutionInput, options: { wait: boolean }): Promise<ChildExecution> => {
    this.check();
    this.calls.push(`startChild ${input.executionId} wait=${options.wait}`);
    this.childInputs.push(input);
    const ended = new Interpreter(input, this).run();
    ended.then(
      (r) => this.childResults.set(input.executionId, r),
      () => {},
    );
    return { result: () => this.cancellable(() => ended) };
  };

  sleep = (ms: number) => {
    this.calls.push(`sleep ${ms}`);
    return this.cancellable(() => this.delay(ms));
  };

  condition(fn: () => boolean): Promise<void>;
  condition(fn: () => boolean, timeoutMs: number): Promise<boolean>;
  condition(fn: () => boolean, timeoutMs?: number): Promise<boolean | void> {
    this.calls.push(`condition${timeoutMs === undefined ? '' : ` ${timeoutMs}`}`);
    return this.cancellable(
      () =>
        new Promise<boolean>((resolve) => {
          let settled = false;
          const done = (value: boolean) => {
            if (settled) return;
            settled = true;
            this.waiters = this.waiters.filter((w) => w !== waiter);
            resolve(value);
          };
          const waiter = { fn, done };
          this.waiters.push(waiter);
          if (timeoutMs !== undefined) this.at(this.clock + timeoutMs, () => done(false));
        }),
    );
  }

  uuid = () => `run-${++this.ids}`;
  now = () => this.clock;
  isCancellation = (error: unknown) => error instanceof FakeCancelled;
  nonCancellable = async <T>(fn: () => Promise<T>): Promise<T> => {
    this.shielded++;
    try {
      return await fn();
    } finally {
      this.shielded--;
    }
  };

  // ---- test controls ------------------------------------------------------------------------

  /** Time passing in the world: a task that takes a while, an action at a given time. */
  delay(ms: number): Promise<void> {
    return new Promise((resolve) => this.at(this.clock + ms, resolve));
  }

  at(time: number, fire: () => void) {
    this.timers.push({ at: time, order: this.order++, fire });
  }

  /** Kills the executions: everything pending that is not shielded rejects, as Temporal does. */
  kill() {
    this.killedAt = this.clock;
    for (const reject of [...this.cancellables]) reject(new FakeCancelled());
  }

  /** Runs until `promise` settles, firing timers in time order once nothing else can move. */
  async drive<T>(promise: Promise<T>): Promise<T> {
    let settled = false;
    promise.then(
      () => (settled = true),
      () => (settled = true),
    );
    for (let rounds = 0; rounds < 10_000; rounds++) {
      await new Promise((r) => setImmediate(r));
      if (settled) return promise;
      const ready = this.waiters.find((w) => w.fn());
      if (ready) {
        ready.done(true);
        continue;
      }
      this.timers.sort((a, b) => a.at - b.at || a.order - b.order);
      const timer = this.timers.shift();
      if (!timer) throw new Error(`stuck: nothing left to wait for; calls so far: ${this.calls.join(', ')}`);
      this.clock = Math.max(this.clock, timer.at);
      timer.fire();
    }
    throw new Error('the execution did not end');
  }

  // ---- reading what happened ----------------------------------------------------------------

  runs(taskId: string): TaskRun[] {
    const byId = new Map<string, TaskRun>();
    for (const e of this.events) if (e.kind === 'taskRun' && e.taskId === taskId) byId.set(e.id, e);
    return [...byId.values()];
  }

  /** Every state a task's runs went through, in order (runnable SUCCESS is the activity's own). */
  states(taskId: string): string[] {
    return this.events.filter((e): e is TaskRun => e.kind === 'taskRun' && e.taskId === taskId).map((e) => e.state);
  }

  execution(id = 'exec-1'): string[] {
    return this.events.filter((e): e is Extract<ProjectionEvent, { kind: 'execution' }> => e.kind === 'execution' && e.id === id).map((e) => e.state);
  }

  logs(taskId?: string): [string, string][] {
    return this.events
      .filter((e) => e.kind === 'log' && (taskId === undefined || e.taskId === taskId))
      .map((e) => [(e as { level: string }).level, (e as { message: string }).message]);
  }

  ran(taskId: string): string[] {
    return this.activities.filter((a) => a.task.id === taskId).map((a) => (a.context.taskrun.value === undefined ? taskId : `${taskId}[${String(a.context.taskrun.value)}]`));
  }

  private returnTask(input: RunTaskInput) {
    if (input.task.props.format === undefined) return {};
    const context = { ...input.context, taskrun: { ...input.context.taskrun, attemptsCount: 1 } };
    return { value: String(render(input.task.props.format, context as unknown as Record<string, unknown>)) };
  }

  private check() {
    if (this.killedAt !== undefined && !this.shielded) throw new FakeCancelled();
  }

  private cancellable<T>(start: () => Promise<T>): Promise<T> {
    if (this.killedAt !== undefined && !this.shielded) return Promise.reject(new FakeCancelled());
    return new Promise<T>((resolve, reject) => {
      const cancel = (e: Error) => {
        this.cancellables.delete(cancel);
        reject(e);
      };
      this.cancellables.add(cancel);
      start().then(
        (v) => {
          this.cancellables.delete(cancel);
          resolve(v);
        },
        (e) => {
          this.cancellables.delete(cancel);
          reject(e);
        },
      );
    });
  }
}

function plan(yaml: string): FlowPlan {
  const { plan, errors } = validateFlow(yaml, { registry: defaultRegistry() });
  if (!plan) throw new Error(errors.map((e) => `${e.line}:${e.column} ${e.message}`).join('\n'));
  return plan;
}

const flow = (tasks: string, extra = '') => `id: f\nnamespace: test.unit\n${extra}tasks:\n${tasks}`;

interface Run {
  result: ExecutionResult;
  world: FakeWorld;
  interpreter: Interpreter;
}

async function execute(
  yaml: string,
  options: { world?: FakeWorld; input?: Partial<ExecutionInput>; setup?: (world: FakeWorld, interpreter: Interpreter) => void } = {},
): Promise<Run> {
  const world = options.world ?? new FakeWorld();
  const input: ExecutionInput = { executionId: 'exec-1', tenant: 'main', plan: plan(yaml), inputs: {}, labels: {}, ...options.input };
  const interpreter = new Interpreter(input, world);
  options.setup?.(world, interpreter);
  const result = await world.drive(interpreter.run());
  return { result, world, interpreter };
}

function nonRetryable(message: string): Error {
  return Object.assign(new Error(message), { name: 'NonRetryable' });
}

/** Fails every time, at once (no activity retry). */
const fails =
  (message: string): Handler =>
  () => {
    throw nonRetryable(message);
  };

/** Fails the first `times` task runs (at once), then succeeds. */
function failsFirst(times: number, message = 'once'): Handler {
  let calls = 0;
  return () => {
    if (++calls <= times) throw nonRetryable(`${message} ${calls}`);
  };
}

const json = (value: unknown) => (typeof value === 'string' ? JSON.parse(value) : value);

// ---------------------------------------------------------------------------------------------

describe('task lists', () => {
  it('runs tasks in order; a runnable success is projected by its activity, the execution ends SUCCESS', async () => {
    const { result, world } = await execute(
      flow(`  - id: a
    type: io.kestra.plugin.core.debug.Return
    format: one
  - id: b
    type: io.kestra.plugin.core.debug.Return
    format: "{{ outputs.a.value }}-two"
`),
    );
    expect(result).toEqual({ state: 'SUCCESS', outputs: {}, error: undefined });
    expect(world.calls).toEqual(['runTask a', 'runTask b']);
    expect(world.activities[1].context.outputs).toEqual({ a: { value: 'one' } });
    // The first activity records RUNNING itself; nothing is projected for successful runnables.
    expect(world.activities.map((a) => a.markExecutionRunning)).toEqual([true, false]);
    expect(world.batches).toEqual([[{ kind: 'execution', id: 'exec-1', state: 'SUCCESS', at: expect.any(String), outputs: {}, error: undefined }]]);
    expect(world.activities.map((a) => a.seq)).toEqual([0, 1]);
  });

  it("the last task's activity ends the execution SUCCESS itself: no final projection from the workflow", async () => {
    const world = new FakeWorld();
    world.endsExecutions = true;
    const { result } = await execute(
      flow(`  - id: a
    type: io.kestra.plugin.core.debug.Return
    format: one
  - id: b
    type: io.kestra.plugin.core.debug.Return
    format: two
`),
      { world },
    );
    expect(result).toEqual({ state: 'SUCCESS', outputs: {}, error: undefined });
    // Only the last task is asked; a two-task flow's successful run projects nothing at all.
    expect(world.activities.map((a) => a.endExecutionOnSuccess)).toEqual([undefined, true]);
    expect(world.batches).toEqual([]);
  });

  it('the last task does not end the execution when anything follows it or went wrong before it', async () => {
    const cases: { yaml: string; setup?: (w: FakeWorld) => void; state: string }[] = [
      // finally tasks run after it
      {
        yaml: `  - id: a
    type: io.kestra.plugin.core.debug.Return
    format: x
finally:
  - id: f
    type: io.kestra.plugin.core.debug.Return
    format: y
`,
        state: 'SUCCESS',
      },
      // flow outputs are rendered after it
      {
        yaml: `  - id: a
    type: io.kestra.plugin.core.debug.Return
    format: x
outputs:
  - id: o
    type: STRING
    value: "{{ outputs.a.value }}"
`,
        state: 'SUCCESS',
      },
      // an allowed failure before it makes the execution WARNING
      {
        yaml: `  - id: bad
    type: io.kestra.plugin.core.debug.Return
    format: x
    allowFailure: true
  - id: a
    type: io.kestra.plugin.core.debug.Return
    format: x
`,
        setup: (w) => (w.handlers.bad = fails('boom')),
        state: 'WARNING',
      },
      // warningOnRetry: its success after a retry is a WARNING
      {
        yaml: `  - id: a
    type: io.kestra.plugin.core.debug.Return
    format: x
    retry:
      type: constant
      interval: PT1S
      maxAttempt: 2
      warningOnRetry: true
`,
        state: 'SUCCESS',
      },
    ];
    for (const c of cases) {
      const world = new FakeWorld();
      world.endsExecutions = true;
      const { result } = await execute(flow(c.yaml), { world, setup: (w) => c.setup?.(w) });
      expect(result.state, c.yaml).toBe(c.state);
      expect(
        world.activities.every((a) => !a.endExecutionOnSuccess),
        c.yaml,
      ).toBe(true);
      expect(world.execution(), c.yaml).toEqual([c.state]);
    }
  });

  it('a last task that fails ends nothing itself: the workflow records FAILED', async () => {
    const world = new FakeWorld();
    world.endsExecutions = true;
    world.handlers.a = fails('boom');
    const { result } = await execute(
      flow(`  - id: a
    type: io.kestra.plugin.core.debug.Return
    format: x
`),
      { world },
    );
    expect(result.state).toBe('FAILED');
    expect(world.activities[0].endExecutionOnSuccess).toBe(true);
    expect(world.execution()).toEqual(['FAILED']);
  });

  it('stops at the first failure; the execution error names the task', async () => {
    const { result, world } = await execute(
      flow(`  - id: a
    type: io.kestra.plugin.core.log.Log
    message: x
  - id: b
    type: io.kestra.plugin.core.log.Log
    message: y
`),
      { setup: (w) => (w.handlers.a = fails('boom')) },
    );
    expect(result.state).toBe('FAILED');
    expect(result.error).toBe('a: boom');
    expect(world.ran('b')).toEqual([]);
    // The first activity recorded RUNNING: the workflow does not project it again.
    expect(world.execution()).toEqual(['FAILED']);
    expect(world.states('a')).toEqual(['FAILED']);
    // A runnable logs its own failure from the activity: no log line from the workflow.
    expect(world.logs()).toEqual([]);
  });

  it('allowFailure turns the failure into WARNING and the next task runs', async () => {
    const { result, world } = await execute(
      flow(`  - id: a
    type: io.kestra.plugin.core.log.Log
    message: x
    allowFailure: true
  - id: b
    type: io.kestra.plugin.core.log.Log
    message: y
`),
      { setup: (w) => (w.handlers.a = fails('boom')) },
    );
    expect(result.state).toBe('WARNING');
    expect(result.error).toBeUndefined();
    expect(world.states('a')).toEqual(['WARNING']);
    expect(world.ran('b')).toEqual(['b']);
  });

  it('allowWarning: a WARNING end counts as SUCCESS; with allowFailure a failure does too (Kestra)', async () => {
    const { result, world } = await execute(
      flow(`  - id: a
    type: io.kestra.plugin.core.log.Log
    message: x
    allowFailure: true
    allowWarning: true
  - id: b
    type: io.kestra.plugin.core.log.Log
    message: y
`),
      { setup: (w) => (w.handlers.a = fails('boom')) },
    );
    expect(result.state).toBe('SUCCESS');
    expect(world.states('a')).toEqual(['SUCCESS']);
    expect(world.ran('b')).toEqual(['b']);
  });

  it('runIf false: SKIPPED, no activity; disabled: nothing at all', async () => {
    const { result, world } = await execute(
      flow(
        `  - id: a
    type: io.kestra.plugin.core.log.Log
    message: x
    runIf: "{{ inputs.go }}"
  - id: b
    type: io.kestra.plugin.core.log.Log
    message: y
    disabled: true
  - id: c
    type: io.kestra.plugin.core.debug.Return
    format: "{{ tasks.a.state }}"
`,
        'inputs:\n  - id: go\n    type: BOOLEAN\n',
      ),
      { input: { inputs: { go: false } } },
    );
    expect(result.state).toBe('SUCCESS');
    expect(world.states('a')).toEqual(['SKIPPED']);
    expect(world.calls).toEqual(['runTask c']);
    expect(world.runs('b')).toEqual([]);
    expect(world.activities[0].context.tasks).toEqual({ a: { state: 'SKIPPED' } });
  });

  it('a runnable retried by its policy ends SUCCESS, or WARNING with warningOnRetry', async () => {
    const yaml = (warn: boolean) =>
      flow(`  - id: a
    type: io.kestra.plugin.core.log.Log
    message: x
    retry: { type: constant, interval: PT1S, maxAttempt: 3, warningOnRetry: ${warn} }
`);
    const flaky: Handler = (_input, attempt) => {
      if (attempt < 3) throw new Error('flaky');
    };
    const plain = await execute(yaml(false), { setup: (w) => (w.handlers.a = flaky) });
    expect(plain.result.state).toBe('SUCCESS');
    expect(plain.world.clock - START).toBe(2000);
    const warned = await execute(yaml(true), { setup: (w) => (w.handlers.a = flaky) });
    expect(warned.result.state).toBe('WARNING');
    expect(warned.world.runs('a')[0]).toMatchObject({ state: 'WARNING', error: 'a: succeeded on attempt 3 (warningOnRetry)' });
  });

  it('a runnable that asks for WARNING (warningOnStdErr) ends WARNING with its outputs and reason; allowWarning makes it SUCCESS', async () => {
    const yaml = (allow: boolean) =>
      flow(`  - id: a
    type: io.kestra.plugin.core.log.Log
    message: x
    allowWarning: ${allow}
  - id: b
    type: io.kestra.plugin.core.log.Log
    message: after
`);
    const warns: Handler = () => ({ exitCode: 0, __warning: 'the script wrote 1 line(s) to stderr' });
    const warned = await execute(yaml(false), { setup: (w) => (w.handlers.a = warns) });
    expect(warned.result.state).toBe('WARNING');
    expect(warned.world.runs('a')[0]).toMatchObject({ state: 'WARNING', error: 'a: the script wrote 1 line(s) to stderr' });
    // WARNING does not stop the flow: the next task runs.
    expect(warned.world.activities.map((a) => a.task.id)).toEqual(['a', 'b']);
    const allowed = await execute(yaml(true), { setup: (w) => (w.handlers.a = warns) });
    expect(allowed.result.state).toBe('SUCCESS');
  });
});

describe('errors and finally', () => {
  const yaml = (failing: boolean) =>
    flow(
      `  - id: main
    type: io.kestra.plugin.core.execution.Fail
    condition: "${failing}"
    errorMessage: main broke
`,
    ) +
    `errors:
  - id: onError
    type: io.kestra.plugin.core.debug.Return
    format: "{{ tasks.main.state }}"
finally:
  - id: cleanup
    type: io.kestra.plugin.core.log.Log
    message: bye
`;

  it('after a failure the errors branch runs, then finally; the execution stays FAILED', async () => {
    const { result, world } = await execute(yaml(true));
    expect(result).toMatchObject({ state: 'FAILED', error: 'main: Fail on a condition', outputs: {} });
    expect(world.calls).toEqual(['runTask onError', 'runTask cleanup']);
    expect(world.activities[0].context.tasks).toEqual({ main: { state: 'FAILED' } });
  });

  it('without a failure only finally runs; a failing finally fails the execution', async () => {
    const ok = await execute(yaml(false));
    expect(ok.result.state).toBe('SUCCESS');
    expect(ok.world.calls).toEqual(['runTask cleanup']);
    const broken = await execute(yaml(false), { setup: (w) => (w.handlers.cleanup = fails('disk full')) });
    expect(broken.result).toMatchObject({ state: 'FAILED', error: 'cleanup: disk full' });
  });

  it('flow outputs render at the end; one that cannot render fails the execution with the reason', async () => {
    const good = await execute(
      flow(`  - id: a\n    type: io.kestra.plugin.core.debug.Return\n    format: hi\n`) + 'outputs:\n  - id: said\n    type: STRING\n    value: "{{ outputs.a.value }}"\n',
    );
    expect(good.result).toEqual({ state: 'SUCCESS', outputs: { said: 'hi' }, error: undefined });
    const bad = await execute(
      flow(`  - id: a\n    type: io.kestra.plugin.core.debug.Return\n    format: hi\n`) + 'outputs:\n  - id: said\n    type: STRING\n    value: "{{ outputs.a.nope }}"\n',
    );
    expect(bad.result.state).toBe('FAILED');
    expect(bad.result.error).toMatch(/^flow output 'said' could not be rendered: /);
  });
});

describe('Sequential', () => {
  const seq = (retry = '') =>
    flow(`  - id: group
    type: io.kestra.plugin.core.flow.Sequential
${retry}    tasks:
      - id: a
        type: io.kestra.plugin.core.log.Log
        message: x
      - id: b
        type: io.kestra.plugin.core.log.Log
        message: y
  - id: after
    type: io.kestra.plugin.core.log.Log
    message: z
`);

  it('succeeds: RUNNING then SUCCESS, children under its task run', async () => {
    const { result, world } = await execute(seq());
    expect(result.state).toBe('SUCCESS');
    expect(world.states('group')).toEqual(['RUNNING', 'SUCCESS']);
    const group = world.runs('group')[0];
    expect(world.activities.map((a) => a.parentTaskRunId)).toEqual([group.id, group.id, undefined]);
    // RUNNING of the execution rides on the first projection the workflow makes.
    expect(world.batches[0].map((e) => `${e.kind}:${'state' in e ? e.state : ''}`)).toEqual(['execution:RUNNING', 'taskRun:RUNNING']);
    expect(world.activities[0].markExecutionRunning).toBe(false);
  });

  it("fails with its child's error (logged once, by the child) and stops the list", async () => {
    const { result, world } = await execute(seq(), { setup: (w) => (w.handlers.a = fails('nope')) });
    expect(result).toMatchObject({ state: 'FAILED', error: 'a: nope' });
    expect(world.runs('group')[0]).toMatchObject({ state: 'FAILED', error: 'a: nope' });
    expect(world.ran('b')).toEqual([]);
    expect(world.ran('after')).toEqual([]);
    expect(world.logs('group')).toEqual([]);
  });

  it('allowFailure on the block: WARNING, and the flow goes on', async () => {
    const { result, world } = await execute(seq('    allowFailure: true\n'), { setup: (w) => (w.handlers.b = fails('nope')) });
    expect(result.state).toBe('WARNING');
    expect(world.states('group')).toEqual(['RUNNING', 'WARNING']);
    expect(world.ran('after')).toEqual(['after']);
  });

  it('retry reruns the whole block as new task runs, with RETRYING and a WARN line between', async () => {
    const { result, world } = await execute(seq('    retry: { type: constant, interval: PT2S, maxAttempt: 3 }\n'), {
      setup: (w) => (w.handlers.b = failsFirst(2, 'attempt')),
    });
    expect(result.state).toBe('SUCCESS');
    expect(world.ran('a')).toEqual(['a', 'a', 'a']);
    expect(new Set(world.activities.filter((a) => a.task.id === 'a').map((a) => a.taskRunId)).size).toBe(3);
    expect(world.states('group')).toEqual(['RUNNING', 'RETRYING', 'RUNNING', 'RETRYING', 'RUNNING', 'SUCCESS']);
    expect(world.logs('group')).toEqual([
      ['WARN', 'group: attempt 1 failed (b: attempt 1); retrying the whole Sequential in 2000 ms'],
      ['WARN', 'group: attempt 2 failed (b: attempt 2); retrying the whole Sequential in 2000 ms'],
    ]);
    expect(world.clock - START).toBe(4000);
    // The success clears the earlier attempts' error.
    expect(world.runs('group')[0].error).toBeUndefined();
  });

  it('retry gives up after maxAttempt and fails with the last error', async () => {
    const { result, world } = await execute(seq('    retry: { type: exponential, interval: PT1S, maxAttempt: 3 }\n'), { setup: (w) => (w.handlers.a = fails('always')) });
    expect(result).toMatchObject({ state: 'FAILED', error: 'a: always' });
    expect(world.ran('a')).toHaveLength(3);
    expect(world.calls.filter((c) => c.startsWith('sleep'))).toEqual(['sleep 1000', 'sleep 2000']);
    expect(world.states('group').at(-1)).toBe('FAILED');
  });

  it('is killed: the running child and the block end KILLED with the execution', async () => {
    const { result, world } = await execute(seq(), {
      setup: (w) => {
        w.handlers.a = () => w.delay(5000);
        w.at(START + 1000, () => w.kill());
      },
    });
    expect(result).toEqual({ state: 'KILLED', outputs: {}, error: 'killed' });
    const last = world.batches.at(-1)!;
    expect(last.map((e) => `${e.kind}:${'taskId' in e ? e.taskId : ''}:${'state' in e ? e.state : ''}`)).toEqual(['taskRun:a:KILLED', 'taskRun:group:KILLED', 'execution::KILLED']);
    expect(world.ran('b')).toEqual([]);
  });
});

describe('Parallel', () => {
  const par = (extra = '') =>
    flow(`  - id: both
    type: io.kestra.plugin.core.flow.Parallel
${extra}    tasks:
      - id: slow
        type: io.kestra.plugin.core.log.Log
        message: x
      - id: broken
        type: io.kestra.plugin.core.log.Log
        message: y
      - id: third
        type: io.kestra.plugin.core.log.Log
        message: z
  - id: after
    type: io.kestra.plugin.core.log.Log
    message: w
`);

  it('starts every child at once and succeeds when all do', async () => {
    const { result, world } = await execute(par(), {
      setup: (w) => {
        w.handlers.slow = () => w.delay(300);
        w.handlers.broken = () => w.delay(100);
      },
    });
    expect(result.state).toBe('SUCCESS');
    expect(world.calls).toEqual(['runTask slow', 'runTask broken', 'runTask third', 'runTask after']);
    expect(world.clock - START).toBe(300);
  });

  it('a failure fails it after the running siblings end; the next task does not run', async () => {
    let slowEndedAt = 0;
    const { result, world } = await execute(par(), {
      setup: (w) => {
        w.handlers.slow = async () => {
          await w.delay(800);
          slowEndedAt = w.clock;
        };
        w.handlers.broken = fails('the broken branch');
      },
    });
    expect(result).toMatchObject({ state: 'FAILED', error: 'broken: the broken branch' });
    expect(slowEndedAt - START).toBe(800);
    const both = world.runs('both')[0];
    expect(both).toMatchObject({ state: 'FAILED', error: 'broken: the broken branch' });
    // The Parallel ends after its slow child did.
    expect(Date.parse(both.at) - START).toBe(800);
    expect(world.ran('after')).toEqual([]);
  });

  it('with concurrent: 1, no new child starts after a failure', async () => {
    const { result, world } = await execute(par('    concurrent: 1\n'), { setup: (w) => (w.handlers.slow = fails('first')) });
    expect(result.state).toBe('FAILED');
    expect(world.calls).toEqual(['runTask slow']);
  });

  it('with concurrent: 2, the third child waits for a lane and does not start after a failure', async () => {
    const { world } = await execute(par('    concurrent: 2\n'), {
      setup: (w) => {
        w.handlers.slow = () => w.delay(500);
        w.handlers.broken = async () => {
          await w.delay(100);
          throw nonRetryable('late');
        };
      },
    });
    expect(world.calls).toEqual(['runTask slow', 'runTask broken']);
  });

  it('allowFailure on a child keeps it going and ends WARNING', async () => {
    const yaml = par().replace(
      '      - id: broken\n        type: io.kestra.plugin.core.log.Log\n',
      '      - id: broken\n        type: io.kestra.plugin.core.log.Log\n        allowFailure: true\n',
    );
    const { result, world } = await execute(yaml, { setup: (w) => (w.handlers.broken = fails('tolerated')) });
    expect(result.state).toBe('WARNING');
    expect(world.states('both')).toEqual(['RUNNING', 'WARNING']);
    expect(world.ran('after')).toEqual(['after']);
  });

  it('allowFailure on the Parallel: WARNING', async () => {
    const { result, world } = await execute(par('    allowFailure: true\n'), { setup: (w) => (w.handlers.broken = fails('x')) });
    expect(result.state).toBe('WARNING');
    expect(world.states('both')).toEqual(['RUNNING', 'WARNING']);
  });

  it('retry reruns every child', async () => {
    const { result, world } = await execute(par('    retry: { type: constant, interval: PT1S, maxAttempt: 2 }\n'), {
      setup: (w) => (w.handlers.broken = failsFirst(1)),
    });
    expect(result.state).toBe('SUCCESS');
    expect(world.ran('slow')).toHaveLength(2);
    expect(world.ran('third')).toHaveLength(2);
    expect(world.logs('both')).toEqual([['WARN', 'both: attempt 1 failed (broken: once 1); retrying the whole Parallel in 1000 ms']]);
  });

  it('is killed: every running child ends KILLED', async () => {
    const { result, world } = await execute(par(), {
      setup: (w) => {
        for (const id of ['slow', 'broken', 'third']) w.handlers[id] = () => w.delay(5000);
        w.at(START + 100, () => w.kill());
      },
    });
    expect(result.state).toBe('KILLED');
    expect(
      world.batches
        .at(-1)!
        .filter((e) => e.kind === 'taskRun')
        .map((e) => (e as TaskRun).taskId)
        .sort(),
    ).toEqual(['both', 'broken', 'slow', 'third']);
  });
});

describe('Dag', () => {
  // A diamond with a tail: fetch → (left, right) → join; `other` depends on nothing.
  const dagFlow = (extra = '') =>
    flow(`  - id: dag
    type: io.kestra.plugin.core.flow.Dag
${extra}    tasks:
      - task:
          id: join
          type: io.kestra.plugin.core.log.Log
          message: j
        dependsOn: [left, right]
      - task:
          id: left
          type: io.kestra.plugin.core.log.Log
          message: l
        dependsOn: [fetch]
      - task:
          id: fetch
          type: io.kestra.plugin.core.log.Log
          message: f
      - task:
          id: right
          type: io.kestra.plugin.core.log.Log
          message: r
        dependsOn: [fetch]
      - task:
          id: other
          type: io.kestra.plugin.core.log.Log
          message: o
  - id: after
    type: io.kestra.plugin.core.log.Log
    message: w
`);

  it('starts a task once its dependencies ended; independent ones run side by side', async () => {
    const { result, world } = await execute(dagFlow(), {
      setup: (w) => {
        w.handlers.fetch = () => w.delay(100);
        w.handlers.left = () => w.delay(300);
        w.handlers.right = () => w.delay(100);
        w.handlers.other = () => w.delay(1000);
      },
    });
    expect(result.state).toBe('SUCCESS');
    // Declaration order among ready tasks; join waits for its slower dependency (left).
    expect(world.calls).toEqual(['runTask fetch', 'runTask other', 'runTask left', 'runTask right', 'runTask join', 'runTask after']);
    expect(world.clock - START).toBe(1000);
    const dag = world.runs('dag')[0];
    expect(world.activities.find((a) => a.task.id === 'join')?.parentTaskRunId).toBe(dag.id);
    expect(world.states('dag')).toEqual(['RUNNING', 'SUCCESS']);
  });

  it('a failure: no new task starts, running ones finish, the Dag and the execution fail', async () => {
    let otherEndedAt = 0;
    const { result, world } = await execute(dagFlow(), {
      setup: (w) => {
        w.handlers.other = async () => {
          await w.delay(800);
          otherEndedAt = w.clock;
        };
        w.handlers.fetch = async () => {
          await w.delay(100);
          throw nonRetryable('no data');
        };
      },
    });
    expect(result).toMatchObject({ state: 'FAILED', error: 'fetch: no data' });
    expect(otherEndedAt - START).toBe(800);
    expect(world.ran('left')).toEqual([]);
    expect(world.ran('join')).toEqual([]);
    expect(world.ran('after')).toEqual([]);
    const dag = world.runs('dag')[0];
    expect(dag).toMatchObject({ state: 'FAILED', error: 'fetch: no data' });
    expect(Date.parse(dag.at) - START).toBe(800);
  });

  it('with concurrent: 1 the tasks run one at a time, in dependency order', async () => {
    const { result, world } = await execute(dagFlow('    concurrent: 1\n'), {
      setup: (w) => {
        for (const id of ['fetch', 'left', 'right', 'other', 'join']) w.handlers[id] = () => w.delay(100);
      },
    });
    expect(result.state).toBe('SUCCESS');
    // After fetch, ready in declaration order: left, right, other; join is declared before other.
    expect(world.calls).toEqual(['runTask fetch', 'runTask left', 'runTask right', 'runTask join', 'runTask other', 'runTask after']);
    expect(world.clock - START).toBe(500);
  });

  it('allowFailure on a task lets its dependents run; the Dag ends WARNING', async () => {
    const yaml = dagFlow().replace(
      '          id: left\n          type: io.kestra.plugin.core.log.Log\n',
      '          id: left\n          type: io.kestra.plugin.core.log.Log\n          allowFailure: true\n',
    );
    const { result, world } = await execute(yaml, { setup: (w) => (w.handlers.left = fails('tolerated')) });
    expect(result.state).toBe('WARNING');
    expect(world.ran('join')).toEqual(['join']);
    expect(world.states('dag')).toEqual(['RUNNING', 'WARNING']);
  });

  it('a task skipped by runIf counts as ended for its dependents', async () => {
    const yaml = dagFlow().replace(
      '          id: fetch\n          type: io.kestra.plugin.core.log.Log\n',
      '          id: fetch\n          type: io.kestra.plugin.core.log.Log\n          runIf: "{{ false }}"\n',
    );
    const { result, world } = await execute(yaml);
    expect(result.state).toBe('SUCCESS');
    expect(world.states('fetch')).toEqual(['SKIPPED']);
    expect(world.ran('join')).toEqual(['join']);
  });

  it('retry reruns the whole Dag', async () => {
    const { result, world } = await execute(dagFlow('    retry: { type: constant, interval: PT1S, maxAttempt: 2 }\n'), {
      setup: (w) => (w.handlers.right = failsFirst(1)),
    });
    expect(result.state).toBe('SUCCESS');
    expect(world.ran('fetch')).toHaveLength(2);
    expect(world.ran('join')).toEqual(['join']);
    expect(world.logs('dag')).toEqual([['WARN', 'dag: attempt 1 failed (right: once 1); retrying the whole Dag in 1000 ms']]);
  });

  it('is killed: running tasks end KILLED and later ones never start', async () => {
    const { result, world } = await execute(dagFlow(), {
      setup: (w) => {
        w.handlers.fetch = () => w.delay(5000);
        w.at(START + 100, () => w.kill());
      },
    });
    expect(result.state).toBe('KILLED');
    expect(world.ran('left')).toEqual([]);
    expect(world.states('fetch').at(-1)).toBe('KILLED');
  });
});

describe('If and Switch', () => {
  const ifFlow = (condition: string, extra = '') =>
    flow(`  - id: check
    type: io.kestra.plugin.core.flow.If
    condition: "${condition}"
${extra}    then:
      - id: yes
        type: io.kestra.plugin.core.log.Log
        message: y
    else:
      - id: no
        type: io.kestra.plugin.core.log.Log
        message: n
`);

  it('runs then or else and outputs evaluationResult', async () => {
    const yes = await execute(ifFlow('{{ 1 == 1 }}'));
    expect(yes.world.calls).toEqual(['runTask yes']);
    expect(yes.world.runs('check')[0]).toMatchObject({ state: 'SUCCESS', outputs: { evaluationResult: true } });
    const no = await execute(ifFlow('false'));
    expect(no.world.calls).toEqual(['runTask no']);
    expect(no.world.runs('check')[0].outputs).toEqual({ evaluationResult: false });
  });

  it('fails with its branch, allowFailure makes it WARNING, retry reruns the branch', async () => {
    const failed = await execute(ifFlow('true'), { setup: (w) => (w.handlers.yes = fails('bad')) });
    expect(failed.result).toMatchObject({ state: 'FAILED', error: 'yes: bad' });
    expect(failed.world.states('check')).toEqual(['RUNNING', 'FAILED']);
    const allowed = await execute(ifFlow('true', '    allowFailure: true\n'), { setup: (w) => (w.handlers.yes = fails('bad')) });
    expect(allowed.result.state).toBe('WARNING');
    const retried = await execute(ifFlow('true', '    retry: { type: constant, interval: PT1S, maxAttempt: 2 }\n'), { setup: (w) => (w.handlers.yes = failsFirst(1)) });
    expect(retried.result.state).toBe('SUCCESS');
    expect(retried.world.ran('yes')).toHaveLength(2);
  });

  it('a condition that cannot render fails the If with an ERROR line naming the property', async () => {
    const { result, world } = await execute(ifFlow('{{ outputs.check.nope }}'));
    expect(result.state).toBe('FAILED');
    expect(world.logs('check')).toHaveLength(1);
    expect(world.logs('check')[0][0]).toBe('ERROR');
    expect(result.error).toMatch(/^check: /);
  });

  it('is killed in its branch', async () => {
    const { result, world } = await execute(ifFlow('true'), {
      setup: (w) => {
        w.handlers.yes = () => w.delay(1000);
        w.at(START + 10, () => w.kill());
      },
    });
    expect(result.state).toBe('KILLED');
    expect(world.states('check').at(-1)).toBe('KILLED');
  });

  const switchFlow = (value: string, extra = '') =>
    flow(`  - id: route
    type: io.kestra.plugin.core.flow.Switch
    value: "${value}"
${extra}    cases:
      blue:
        - id: isBlue
          type: io.kestra.plugin.core.log.Log
          message: b
    defaults:
      - id: other
        type: io.kestra.plugin.core.log.Log
        message: o
`);

  it('Switch runs the matching case or defaults and outputs value and defaults', async () => {
    const blue = await execute(switchFlow('blue'));
    expect(blue.world.calls).toEqual(['runTask isBlue']);
    expect(blue.world.runs('route')[0].outputs).toEqual({ value: 'blue', defaults: false });
    const red = await execute(switchFlow('red'));
    expect(red.world.calls).toEqual(['runTask other']);
    expect(red.world.runs('route')[0].outputs).toEqual({ value: 'red', defaults: true });
  });

  it('Switch fails with its case, allowFailure makes it WARNING, retry reruns the case', async () => {
    expect((await execute(switchFlow('blue'), { setup: (w) => (w.handlers.isBlue = fails('x')) })).result).toMatchObject({ state: 'FAILED', error: 'isBlue: x' });
    expect((await execute(switchFlow('blue', '    allowFailure: true\n'), { setup: (w) => (w.handlers.isBlue = fails('x')) })).result.state).toBe('WARNING');
    const retried = await execute(switchFlow('blue', '    retry: { type: constant, interval: PT1S, maxAttempt: 2 }\n'), { setup: (w) => (w.handlers.isBlue = failsFirst(1)) });
    expect(retried.result.state).toBe('SUCCESS');
    expect(retried.world.ran('isBlue')).toHaveLength(2);
  });

  it('Switch is killed in its case', async () => {
    const { result } = await execute(switchFlow('red'), {
      setup: (w) => {
        w.handlers.other = () => w.delay(1000);
        w.at(START + 10, () => w.kill());
      },
    });
    expect(result.state).toBe('KILLED');
  });
});

describe('ForEach', () => {
  const each = (values: string, extra = '', body = '') =>
    flow(`  - id: each
    type: io.kestra.plugin.core.flow.ForEach
    values: ${values}
${extra}    tasks:
${
  body ||
  `      - id: item
        type: io.kestra.plugin.core.debug.Return
        format: "{{ taskrun.value }}"
`
}`);

  it('iterates over distinct values, in order with concurrencyLimit 1 (the default); outputs are keyed by value', async () => {
    const { result, world } = await execute(each('["a", "b", "a", 3, 3]') + 'outputs:\n  - id: all\n    type: JSON\n    value: "{{ outputs.item }}"\n');
    expect(result.state).toBe('SUCCESS');
    expect(world.calls).toEqual(['runTask item[a]', 'runTask item[b]', 'runTask item[3]']);
    expect(world.activities.map((a) => a.context.parent)).toEqual([{ task: { id: 'each' } }, { task: { id: 'each' } }, { task: { id: 'each' } }]);
    expect(json(result.outputs.all)).toEqual({ a: { value: 'a' }, b: { value: 'b' }, 3: { value: '3' } });
  });

  it('a JSON string of values is accepted; nulls and non-lists are refused with a message', async () => {
    const json = await execute(each(`'["x","y"]'`));
    expect(json.world.ran('item')).toEqual(['item[x]', 'item[y]']);
    const nulls = await execute(each('["a", null]'));
    expect(nulls.result.state).toBe('FAILED');
    expect(nulls.world.runs('each')[0].error).toBe('each: found 1 null value(s) in values ["a",null]');
    expect(nulls.world.logs('each')).toEqual([['ERROR', 'each: found 1 null value(s) in values ["a",null]']]);
    const notList = await execute(each('"{{ 42 }}"'));
    expect(notList.world.runs('each')[0].error).toBe('each: values must be a list, got number');
  });

  it('with concurrencyLimit 1, stops at the first failing iteration; logs and errors are Kestra’s', async () => {
    const { result, world } = await execute(
      each(
        '["a", "b", "c", "a"]',
        '',
        `      - id: check
        type: io.kestra.plugin.core.execution.Fail
        condition: "{{ taskrun.value == 'b' }}"
        errorMessage: "iteration {{ taskrun.value }} is bad"
`,
      ),
    );
    expect(result).toMatchObject({ state: 'FAILED', error: 'check: Fail on a condition' });
    expect(world.runs('check').map((r) => [r.value, r.state])).toEqual([
      ['a', 'SUCCESS'],
      ['b', 'FAILED'],
    ]);
    // The parent's error names the child that failed (the child keeps Kestra's bare message).
    expect(world.runs('each')[0].error).toBe('check: Fail on a condition');
    expect(world.logs('check')).toEqual([
      ['ERROR', 'iteration b is bad'],
      ['ERROR', 'Fail on a condition'],
    ]);
  });

  it('with concurrencyLimit 0, iterations run together; each group shows its own error', async () => {
    const { result, world } = await execute(
      each(
        '["x", "y"]',
        '    concurrencyLimit: 0\n',
        `      - id: group
        type: io.kestra.plugin.core.flow.Sequential
        tasks:
          - id: boom
            type: io.kestra.plugin.core.execution.Fail
            errorMessage: "bad {{ taskrun.value }}"
`,
      ),
    );
    expect(result.state).toBe('FAILED');
    expect(world.runs('group').map((r) => [r.value, r.state, r.error])).toEqual([
      ['x', 'FAILED', 'boom: bad x'],
      ['y', 'FAILED', 'boom: bad y'],
    ]);
    expect(world.runs('each')[0].error).toBe('boom: bad x');
  });

  it('with concurrencyLimit 2, a third value waits for a lane and does not start after a failure', async () => {
    const { world } = await execute(each('["a", "b", "c"]', '    concurrencyLimit: 2\n'), {
      setup: (w) =>
        (w.handlers.item = async (input) => {
          await w.delay(input.context.taskrun.value === 'a' ? 100 : 500);
          if (input.context.taskrun.value === 'a') throw nonRetryable('a broke');
        }),
    });
    expect(world.ran('item')).toEqual(['item[a]', 'item[b]']);
    expect(world.runs('each')[0]).toMatchObject({ state: 'FAILED', error: 'item: a broke' });
  });

  it('allowFailure: WARNING; retry reruns every iteration', async () => {
    const allowed = await execute(each('["a"]', '    allowFailure: true\n'), { setup: (w) => (w.handlers.item = fails('x')) });
    expect(allowed.result.state).toBe('WARNING');
    let n = 0;
    const retried = await execute(each('["a", "b"]', '    retry: { type: constant, interval: PT1S, maxAttempt: 2 }\n'), {
      setup: (w) =>
        (w.handlers.item = (input) => {
          if (input.context.taskrun.value === 'b' && ++n === 1) throw nonRetryable('once');
        }),
    });
    expect(retried.result.state).toBe('SUCCESS');
    expect(retried.world.ran('item')).toEqual(['item[a]', 'item[b]', 'item[a]', 'item[b]']);
  });

  it('is killed mid-iteration: later values never start', async () => {
    const { result, world } = await execute(each('["a", "b"]'), {
      setup: (w) => {
        w.handlers.item = () => w.delay(1000);
        w.at(START + 500, () => w.kill());
      },
    });
    expect(result.state).toBe('KILLED');
    expect(world.ran('item')).toEqual(['item[a]']);
    expect(world.states('item')).toEqual(['KILLED']);
  });
});

describe('Sleep, Fail, Assert', () => {
  it('Sleep logs Kestra’s Waiting line and waits on the clock', async () => {
    const { result, world } = await execute(flow(`  - id: nap\n    type: io.kestra.plugin.core.flow.Sleep\n    duration: PT1M30S\n`));
    expect(result.state).toBe('SUCCESS');
    expect(world.calls).toEqual(['sleep 90000']);
    expect(world.logs('nap')).toEqual([['INFO', 'Waiting for PT1M30S']]);
    expect(world.states('nap')).toEqual(['RUNNING', 'SUCCESS']);
    expect(world.clock - START).toBe(90_000);
  });

  it('Sleep is killed: KILLED', async () => {
    const { result, world } = await execute(flow(`  - id: nap\n    type: io.kestra.plugin.core.flow.Sleep\n    duration: PT1H\n`), {
      setup: (w) => w.at(START + 1000, () => w.kill()),
    });
    expect(result.state).toBe('KILLED');
    expect(world.states('nap')).toEqual(['RUNNING', 'KILLED']);
  });

  it('Fail without a condition: "Task failure", logged at ERROR; allowFailure makes it WARNING', async () => {
    const { result, world } = await execute(flow(`  - id: stop\n    type: io.kestra.plugin.core.execution.Fail\n`));
    expect(result).toMatchObject({ state: 'FAILED', error: 'stop: Task failure' });
    expect(world.logs('stop')).toEqual([['ERROR', 'Task failure']]);
    expect(world.states('stop')).toEqual(['RUNNING', 'FAILED']);
    const allowed = await execute(flow(`  - id: stop\n    type: io.kestra.plugin.core.execution.Fail\n    allowFailure: true\n`));
    expect(allowed.result.state).toBe('WARNING');
    expect(allowed.world.states('stop')).toEqual(['RUNNING', 'WARNING']);
  });

  it('Fail with a false condition succeeds', async () => {
    const { result, world } = await execute(flow(`  - id: stop\n    type: io.kestra.plugin.core.execution.Fail\n    condition: "{{ 1 > 2 }}"\n`));
    expect(result.state).toBe('SUCCESS');
    expect(world.logs()).toEqual([]);
  });

  it('Assert logs each false condition and fails with the count and the custom message', async () => {
    const { result, world } = await execute(
      flow(`  - id: gate
    type: io.kestra.plugin.core.execution.Assert
    conditions:
      - "{{ 1 == 1 }}"
      - "{{ 1 == 2 }}"
      - "{{ nope.x }}"
    errorMessage: "not ready"
`),
    );
    expect(result.state).toBe('FAILED');
    expect(world.runs('gate')[0].error).toBe('2 assertions failed!\nnot ready');
    const logs = world.logs('gate');
    expect(logs[0]).toEqual(['ERROR', 'Assertion `{{ 1 == 2 }}` failed!']);
    expect(logs[1][1]).toMatch(/^Assertion `\{\{ nope\.x \}\}` failed, failed to render `/);
    expect(logs[2]).toEqual(['ERROR', '2 assertions failed!\nnot ready']);
  });

  it('Assert whose conditions hold succeeds', async () => {
    const { result } = await execute(flow(`  - id: gate\n    type: io.kestra.plugin.core.execution.Assert\n    conditions: ["{{ true }}"]\n`));
    expect(result.state).toBe('SUCCESS');
  });

  it('flowables without children are not retried as a block', async () => {
    const { world } = await execute(flow(`  - id: stop\n    type: io.kestra.plugin.core.execution.Fail\n    retry: { type: constant, interval: PT1S, maxAttempt: 3 }\n`));
    expect(world.states('stop')).toEqual(['RUNNING', 'FAILED']);
  });
});

describe('Pause', () => {
  const pause = (props = '') =>
    flow(`  - id: approve
    type: io.kestra.plugin.core.flow.Pause
${props}  - id: after
    type: io.kestra.plugin.core.debug.Return
    format: "{{ outputs.approve.onResume.comment ?? 'none' }}"
`);
  const onResume = `    onResume:
      - id: comment
        type: STRING
        defaults: fine
`;

  it('pauses the execution until resumed, then validates the resume inputs', async () => {
    const { result, world, interpreter } = await execute(pause(onResume), {
      setup: (w, i) =>
        w.at(START + 60_000, () => {
          expect(i.status()).toEqual({ state: 'PAUSED', running: ['approve'] });
          i.resume({ by: 'alice', inputs: { comment: 'ship it' } });
        }),
    });
    expect(result.state).toBe('SUCCESS');
    expect(world.execution()).toEqual(['RUNNING', 'PAUSED', 'RUNNING', 'SUCCESS']);
    expect(world.states('approve')).toEqual(['RUNNING', 'PAUSED', 'RUNNING', 'SUCCESS']);
    expect(world.runs('approve')[0].outputs).toEqual({ onResume: { comment: 'ship it' }, resumedBy: 'alice', timedOut: false });
    expect(world.calls).toEqual(['condition', 'runTask after']);
    expect(world.activities[0].context.outputs).toEqual({ approve: { onResume: { comment: 'ship it' }, resumedBy: 'alice', timedOut: false } });
    expect(interpreter.status().state).toBe('SUCCESS');
  });

  it('a resume for another task run does not resume it; invalid resume inputs fail it', async () => {
    const { result, world } = await execute(pause(`    onResume:\n      - id: count\n        type: INT\n`), {
      setup: (w, i) => {
        w.at(START + 10, () => i.resume({ taskRunId: 'someone-else', by: 'x', inputs: {} }));
        w.at(START + 20, () => i.resume({ by: 'bob', inputs: { count: 'many' } }));
      },
    });
    expect(result.state).toBe('FAILED');
    expect(world.runs('approve')[0].error).toMatch(/^approve: invalid resume inputs: /);
  });

  it('expiry with RESUME (the default) continues with onResume defaults', async () => {
    const { result, world } = await execute(pause(`    pauseDuration: PT5M\n${onResume}`));
    expect(result.state).toBe('SUCCESS');
    expect(world.calls[0]).toBe('condition 300000');
    expect(world.clock - START).toBe(300_000);
    expect(world.runs('approve')[0].outputs).toEqual({ onResume: { comment: 'fine' }, timedOut: true });
  });

  it('expiry with WARN ends WARNING; FAIL fails; CANCEL cancels the execution', async () => {
    const warn = await execute(pause('    pauseDuration: PT1S\n    behavior: WARN\n'));
    expect(warn.result.state).toBe('WARNING');
    expect(warn.world.ran('after')).toEqual(['after']);
    const fail = await execute(pause('    pauseDuration: PT1S\n    behavior: FAIL\n'));
    expect(fail.result).toMatchObject({ state: 'FAILED', error: 'approve: pause expired after PT1S (behavior FAIL)' });
    const cancel = await execute(pause('    pauseDuration: PT1S\n    behavior: CANCEL\n'));
    expect(cancel.result).toMatchObject({ state: 'CANCELLED', error: 'approve: pause expired after PT1S (behavior CANCEL)' });
    expect(cancel.world.states('approve')).toEqual(['RUNNING', 'PAUSED', 'RUNNING', 'CANCELLED']);
    expect(cancel.world.ran('after')).toEqual([]);
  });

  it('a resume before expiry wins over the behavior', async () => {
    const { result } = await execute(pause('    pauseDuration: PT1H\n    behavior: FAIL\n'), {
      setup: (w, i) => w.at(START + 1000, () => i.resume({ by: 'alice', inputs: {} })),
    });
    expect(result.state).toBe('SUCCESS');
  });

  it('a signal sent before the Pause is reached resumes it at once', async () => {
    const { result, world } = await execute(pause(), { setup: (_w, i) => i.resume({ by: 'early', inputs: {} }) });
    expect(result.state).toBe('SUCCESS');
    expect(world.runs('approve')[0].outputs).toMatchObject({ resumedBy: 'early' });
  });

  const approval = `    approval:
      users: [ann@x]
      required: 2
      description: "plan {{ execution.id }}"
`;

  it('an approval records its rendered request on the paused run, notifies, and the decisions land in outputs', async () => {
    const decisions = [
      { by: 'ann@x', decision: 'APPROVE' as const, comment: 'one', at: 't1' },
      { by: 'bob@x', decision: 'APPROVE' as const, comment: 'two', at: 't2' },
    ];
    const { result, world } = await execute(pause(approval), {
      setup: (w, i) => w.at(START + 1000, () => i.resume({ by: 'bob@x', inputs: {}, approval: { decision: 'APPROVED', decisions } })),
    });
    expect(result.state).toBe('SUCCESS');
    const paused = world.events.find((e) => e.kind === 'taskRun' && e.taskId === 'approve' && e.state === 'PAUSED') as { outputs?: any };
    expect(paused.outputs.approval).toMatchObject({ users: ['ann@x'], required: 2, description: expect.stringMatching(/^plan /) });
    expect(world.calls[0]).toBe('notifyApprovers approve 2');
    expect(world.runs('approve')[0].outputs).toMatchObject({ decision: 'APPROVED', approvers: ['ann@x', 'bob@x'], comment: 'two', decisions, timedOut: false });
  });

  it('a rejection cancels the execution and keeps the decision in the task outputs; an expired approval never approves', async () => {
    const rejected = await execute(pause(approval), {
      setup: (w, i) =>
        w.at(START + 1000, () =>
          i.resume({ by: 'ann@x', inputs: {}, approval: { decision: 'REJECTED', decisions: [{ by: 'ann@x', decision: 'REJECT', comment: 'no', at: 't' }] } }),
        ),
    });
    expect(rejected.result).toMatchObject({ state: 'CANCELLED', error: 'approve: rejected by ann@x: no' });
    expect(rejected.world.runs('approve').at(-1)?.outputs).toMatchObject({ decision: 'REJECTED', rejectedBy: 'ann@x', comment: 'no' });
    expect(rejected.world.ran('after')).toEqual([]);
    const expired = await execute(pause(`    pauseDuration: PT1S\n${approval}`));
    expect(expired.result.state).toBe('SUCCESS');
    expect(expired.world.runs('approve')[0].outputs).toMatchObject({ decision: 'EXPIRED', approvers: [], timedOut: true });
  });

  it('is killed while paused', async () => {
    const { result, world } = await execute(pause(), { setup: (w) => w.at(START + 1000, () => w.kill()) });
    expect(result.state).toBe('KILLED');
    expect(world.states('approve').at(-1)).toBe('KILLED');
    expect(world.execution().at(-1)).toBe('KILLED');
  });
});

describe('ForEachItem', () => {
  const child = plan(`id: child
namespace: test.unit
inputs:
  - id: items
    type: STRING
  - id: n
    type: INT
tasks:
  - id: work
    type: io.kestra.plugin.core.debug.Return
    format: "{{ inputs.n }}"
outputs:
  - id: n
    type: STRING
    value: "{{ outputs.work.value }}"
`);
  const ITEMS = 'kestra:///test/unit/f/executions/exec-1/inputs/file/items.txt';
  const each = (extra = '') =>
    flow(`  - id: each
    type: io.kestra.plugin.core.flow.ForEachItem
    items: "${ITEMS}"
    namespace: test.unit
    flowId: child
    inputs:
      items: "{{ taskrun.items }}"
      n: "{{ taskrun.iteration }}"
${extra}  - id: after
    type: io.kestra.plugin.core.debug.Return
    format: "{{ outputs.each_items.numberOfBatches ?? 0 }} {{ outputs.each_merge.subflowOutputs ?? 'none' }}"
`);
  const lines = (n: number) => Array.from({ length: n }, (_, i) => `{"id": ${i}}`).join('\n') + '\n';
  const setup = (content: string, handlers?: (w: FakeWorld) => void) => (w: FakeWorld) => {
    w.flows['test.unit.child'] = child;
    w.files.set(ITEMS, content);
    handlers?.(w);
  };

  // Kestra ForEachItemCaseTest.forEachItem: 102 lines in batches of 4 → 26 subflows, iterations from 0.
  it('splits the file, starts one subflow per batch with taskrun.items and taskrun.iteration, and counts them', async () => {
    const { result, world } = await execute(each('    batch:\n      rows: 4\n'), { setup: setup(lines(102)) });
    expect(result.state).toBe('SUCCESS');
    expect(world.childInputs).toHaveLength(26);
    expect(world.childInputs.map((c) => c.inputs.n)).toEqual(Array.from({ length: 26 }, (_, i) => i));
    expect(world.files.get(String(world.childInputs[0].inputs.items))).toBe(lines(4));
    expect(world.files.get(String(world.childInputs[25].inputs.items))).toBe('{"id": 100}\n{"id": 101}\n');
    // The three internal task runs, children of the ForEachItem's, in Kestra's order.
    const parent = world.runs('each')[0];
    for (const id of ['each_split', 'each_items', 'each_merge']) expect(world.runs(id)[0].parentTaskRunId).toBe(parent.id);
    expect(world.runs('each_items').at(-1)?.outputs).toMatchObject({ numberOfBatches: 26, iterations: { CREATED: 0, RUNNING: 0, SUCCESS: 26 } });
    const merged = world.files.get(String(world.runs('each_merge').at(-1)?.outputs?.subflowOutputs));
    expect(merged?.trim().split('\n')).toHaveLength(26);
    expect(JSON.parse(merged!.split('\n')[3])).toEqual({ n: '3' });
    expect(world.ran('after')).toEqual(['after']);
  });

  // Kestra ForEachItemCaseTest.forEachItemEmptyItems: no subflow, no outputs, SUCCESS.
  it('an empty file starts no subflow; the items task run has no outputs', async () => {
    const { result, world } = await execute(each(), { setup: setup('') });
    expect(result.state).toBe('SUCCESS');
    expect(world.childInputs).toHaveLength(0);
    expect(world.runs('each_items').at(-1)?.outputs).toBeUndefined();
    expect(world.states('each_merge').at(-1)).toBe('SUCCESS');
  });

  // Kestra ForEachItemCaseTest.forEachItemFailed: every subflow fails → 3 task runs, FAILED, iterations.FAILED.
  it('failed subflows fail it with transmitFailed (the default): no merge, the next task does not run', async () => {
    const { result, world } = await execute(each('    batch:\n      rows: 2\n'), { setup: setup(lines(6), (w) => (w.handlers.work = fails('boom'))) });
    expect(result.state).toBe('FAILED');
    expect(result.error).toContain('each_items: 3 of 3 subflow executions of test.unit.child did not succeed; iteration 0 ended FAILED');
    expect(world.runs('each_items').at(-1)?.state).toBe('FAILED');
    const lastOutputs = world.events.filter((e): e is TaskRun => e.kind === 'taskRun' && e.taskId === 'each_items' && e.outputs !== undefined).at(-1)?.outputs;
    expect(lastOutputs).toMatchObject({ numberOfBatches: 3, iterations: { CREATED: 0, RUNNING: 0, FAILED: 3 } });
    expect(world.runs('each_merge')).toHaveLength(0);
    expect(world.runs('after')).toHaveLength(0);
  });

  it('with transmitFailed: false, failed subflows are counted and the flow goes on', async () => {
    const { result, world } = await execute(each('    transmitFailed: false\n'), { setup: setup(lines(2), (w) => (w.handlers.work = fails('boom'))) });
    expect(result.state).toBe('SUCCESS');
    expect(world.runs('each_items').at(-1)?.outputs).toMatchObject({ iterations: { FAILED: 2 } });
  });

  // Kestra ForEachItemCaseTest.forEachItemNoWait: iterations count every started subflow as SUCCESS.
  it('wait: false starts the subflows and goes on; nothing to merge', async () => {
    const { result, world } = await execute(each('    wait: false\n'), { setup: setup(lines(3)) });
    expect(result.state).toBe('SUCCESS');
    const starts = world.calls.filter((c) => c.startsWith('startChild'));
    expect(starts).toHaveLength(3);
    expect(starts.every((c) => c.endsWith('wait=false'))).toBe(true);
    expect(world.runs('each_items').at(-1)?.outputs).toMatchObject({ numberOfBatches: 3, iterations: { RUNNING: 0, SUCCESS: 3 } });
    expect(world.calls).not.toContain('mergeSubflowOutputs each_merge');
  });

  it("refuses items that are not an internal-storage URI with Kestra's message", async () => {
    const { result } = await execute(each().replace(ITEMS, 'https://example.com/items.txt'), { setup: setup('') });
    expect(result.state).toBe('FAILED');
    expect(result.error).toContain('Unable to split the items from https://example.com/items.txt, this is not an internal storage URI!');
  });

  it('inside ForEach, the internal outputs are keyed by the loop value', async () => {
    const yaml = flow(`  - id: loop
    type: io.kestra.plugin.core.flow.ForEach
    values: ["a", "b"]
    tasks:
      - id: each
        type: io.kestra.plugin.core.flow.ForEachItem
        items: "${ITEMS}"
        batch: { partitions: 2 }
        namespace: test.unit
        flowId: child
        inputs: { items: "{{ taskrun.items }}", n: "{{ taskrun.iteration }}" }
      - id: count
        type: io.kestra.plugin.core.debug.Return
        format: "{{ outputs.each_items[taskrun.value].numberOfBatches }}"
`);
    const { result, world } = await execute(yaml, { setup: setup(lines(5)) });
    expect(result.state).toBe('SUCCESS');
    expect(world.childInputs).toHaveLength(4);
    const counts = world.activities.filter((a) => a.task.id === 'count').map((a) => render(a.task.props.format, a.context as unknown as Record<string, unknown>));
    expect(counts).toEqual([2, 2]);
  });
});

describe('Subflow', () => {
  const child = plan(`id: child
namespace: test.unit
inputs:
  - id: who
    type: STRING
tasks:
  - id: greet
    type: io.kestra.plugin.core.debug.Return
    format: "hi {{ inputs.who }}"
outputs:
  - id: greeting
    type: STRING
    value: "{{ outputs.greet.value }}"
`);
  const sub = (extra = '') =>
    flow(`  - id: call
    type: io.kestra.plugin.core.flow.Subflow
    namespace: test.unit
    flowId: child
    inputs: { who: "{{ flow.id }}" }
${extra}`);

  it('starts the child, waits for it and outputs its state and outputs', async () => {
    const { result, world } = await execute(sub(), { setup: (w) => (w.flows['test.unit.child'] = child) });
    expect(result.state).toBe('SUCCESS');
    expect(world.calls).toEqual(['prepareSubflow test.unit.child', 'startChild child-2 wait=true', 'runTask greet']);
    expect(world.runs('call')[0].outputs).toEqual({ executionId: 'child-2', state: 'SUCCESS', outputs: { greeting: 'hi f' } });
    expect(world.execution('child-2')).toEqual(['SUCCESS']);
  });

  it('a failed child fails it (transmitFailed), or not with transmitFailed: false', async () => {
    const failing = await execute(sub(), {
      setup: (w) => {
        w.flows['test.unit.child'] = child;
        w.handlers.greet = fails('no');
      },
    });
    expect(failing.result).toMatchObject({ state: 'FAILED', error: 'call: subflow test.unit.child ended FAILED: greet: no' });
    const kept = await execute(sub('    transmitFailed: false\n'), {
      setup: (w) => {
        w.flows['test.unit.child'] = child;
        w.handlers.greet = fails('no');
      },
    });
    expect(kept.result.state).toBe('SUCCESS');
    expect(kept.world.runs('call')[0].outputs).toMatchObject({ state: 'FAILED' });
  });

  it('wait: false does not wait', async () => {
    const { result, world } = await execute(sub('    wait: false\n'), {
      setup: (w) => {
        w.flows['test.unit.child'] = child;
        w.handlers.greet = () => w.delay(10_000);
      },
    });
    expect(result.state).toBe('SUCCESS');
    expect(world.runs('call')[0].outputs).toEqual({ executionId: 'child-2' });
  });

  it('a flow that does not exist fails at once; allowFailure makes it WARNING; retry reruns it', async () => {
    const missing = await execute(sub());
    expect(missing.result).toMatchObject({ state: 'FAILED', error: 'call: flow test.unit.child not found' });
    expect(missing.world.logs('call')).toEqual([['ERROR', 'call: flow test.unit.child not found']]);
    expect((await execute(sub('    allowFailure: true\n'))).result.state).toBe('WARNING');
    let n = 0;
    const retried = await execute(sub('    retry: { type: constant, interval: PT1S, maxAttempt: 2 }\n'), {
      setup: (w) => {
        w.flows['test.unit.child'] = child;
        w.handlers.greet = () => {
          if (++n === 1) throw nonRetryable('once');
          return { value: 'hi' };
        };
      },
    });
    expect(retried.result.state).toBe('SUCCESS');
    expect(retried.world.calls.filter((c) => c.startsWith('startChild'))).toHaveLength(2);
  });

  it('is killed while waiting: the parent and the child end KILLED', async () => {
    const { result, world } = await execute(sub(), {
      setup: (w) => {
        w.flows['test.unit.child'] = child;
        w.handlers.greet = () => w.delay(10_000);
        w.at(START + 100, () => w.kill());
      },
    });
    expect(result.state).toBe('KILLED');
    expect(world.states('call').at(-1)).toBe('KILLED');
    expect(world.execution('child-2').at(-1)).toBe('KILLED');
  });
});

describe('lifecycle', () => {
  const limited = (behavior: string) => flow(`  - id: a\n    type: io.kestra.plugin.core.log.Log\n    message: x\n`, `concurrency:\n  limit: 1\n  behavior: ${behavior}\n`);

  it('a free slot: acquireSlot records RUNNING, so the first activity does not', async () => {
    const world = new FakeWorld();
    world.slots = 1;
    const { result } = await execute(limited('QUEUE'), { world });
    expect(result.state).toBe('SUCCESS');
    expect(world.calls).toEqual(['acquireSlot 1', 'runTask a']);
    expect(world.activities[0].markExecutionRunning).toBe(false);
    expect(world.execution()).toEqual(['SUCCESS']);
  });

  it('QUEUE waits with a growing backoff until a slot frees', async () => {
    const world = new FakeWorld();
    world.at(START + 1000, () => (world.slots = 1));
    const { result } = await execute(limited('QUEUE'), { world });
    expect(result.state).toBe('SUCCESS');
    expect(world.execution()).toEqual(['QUEUED', 'SUCCESS']);
    expect(world.calls.filter((c) => c.startsWith('sleep'))).toEqual(['sleep 250', 'sleep 500', 'sleep 1000']);
  });

  it('FAIL and CANCEL refuse an execution over the limit and say why', async () => {
    const failed = await execute(limited('FAIL'));
    expect(failed.result).toEqual({ state: 'FAILED', outputs: {}, error: 'concurrency limit of 1 reached for test.unit.f (behavior FAIL)' });
    expect(failed.world.activities).toEqual([]);
    const cancelled = await execute(limited('CANCEL'));
    expect(cancelled.result.state).toBe('CANCELLED');
  });

  it('restart skips what already succeeded, keeps its outputs and continues the sequence numbers', async () => {
    const yaml = flow(`  - id: a
    type: io.kestra.plugin.core.debug.Return
    format: first
  - id: each
    type: io.kestra.plugin.core.flow.ForEach
    values: ["x", "y"]
    tasks:
      - id: item
        type: io.kestra.plugin.core.debug.Return
        format: "{{ outputs.a.value }} {{ taskrun.value }}"
  - id: b
    type: io.kestra.plugin.core.debug.Return
    format: "{{ outputs.item.x.value }}"
`);
    const { result, world } = await execute(yaml, {
      input: {
        restart: {
          seqStart: 7,
          done: [
            { taskId: 'a', outputs: { value: 'kept' } },
            { taskId: 'item', value: 'x', outputs: { value: 'kept x' } },
          ],
        },
      },
    });
    expect(result.state).toBe('SUCCESS');
    expect(world.calls).toEqual(['runTask item[y]', 'runTask b']);
    expect(world.activities.map((a) => a.context.outputs)).toEqual([{ a: { value: 'kept' } }, { item: { x: { value: 'kept x' }, y: { value: 'kept y' } } }]);
    expect(world.runs('each')[0].seq).toBe(7);
    expect(world.activities.map((a) => a.seq)).toEqual([8, 9]);
  });

  it('an unexpected error in the workflow fails the execution with its message', async () => {
    const p = plan(flow(`  - id: a\n    type: io.kestra.plugin.core.log.Log\n    message: x\n`));
    p.tasks[0] = { ...p.tasks[0], kind: 'flowable', pluginId: 'core.Unknown' };
    const world = new FakeWorld();
    const result = await world.drive(new Interpreter({ executionId: 'exec-1', tenant: 'main', plan: p, inputs: {}, labels: {} }, world).run());
    expect(result).toMatchObject({ state: 'FAILED', error: 'a: flowable type core.Unknown is not supported by this engine version' });
  });

  it('projection events: a flowable run goes CREATED-less RUNNING → end, each event stamped by the clock', async () => {
    const { world } = await execute(
      flow(`  - id: nap
    type: io.kestra.plugin.core.flow.Sleep
    duration: PT2S
  - id: stop
    type: io.kestra.plugin.core.execution.Fail
`),
    );
    expect(
      world.batches.map((b) =>
        b.map((e) => `${e.kind}${'taskId' in e ? `:${e.taskId}` : ''}:${'state' in e ? e.state : (e as { level: string }).level}@${Date.parse(e.at) - START}`),
      ),
    ).toEqual([
      ['execution:RUNNING@0', 'taskRun:nap:RUNNING@0'],
      ['log:nap:INFO@0'],
      ['taskRun:nap:SUCCESS@2000'],
      ['taskRun:stop:RUNNING@2000'],
      ['log:stop:ERROR@2000', 'taskRun:stop:FAILED@2000'],
      ['execution:FAILED@2000'],
    ]);
  });
});

describe('run-time variables', () => {
  it('task, taskrun, execution and flow reach activities; only the outputs a task reads', async () => {
    const { world } = await execute(
      flow(`  - id: a
    type: io.kestra.plugin.core.debug.Return
    format: x
  - id: show
    type: io.kestra.plugin.core.debug.Return
    format: "{{ task.id }}|{{ task.type }}|{{ taskrun.attemptsCount }}|{{ execution.id == execution.originalId }}|{{ execution.state }}|{{ flow.namespace }}.{{ flow.id }}@{{ flow.revision }}|{{ flow.tenantId }}"
`),
      { input: { labels: { team: 'ops' } } },
    );
    const show = world.activities[1];
    expect(world.runs('show')).toEqual([]);
    expect(show.context.outputs).toEqual({});
    expect(show.context.tasks).toEqual({});
    expect(show.context.labels).toEqual({ team: 'ops' });
    expect(show.context.taskrun).toMatchObject({ id: show.taskRunId, attemptsCount: 0, startDate: '2026-01-01T00:00:00.000Z' });
    expect(show.context.execution).toEqual({ id: 'exec-1', startDate: '2026-01-01T00:00:00.000Z', originalId: 'exec-1', state: 'RUNNING' });
    expect(render(show.task.props.format, { ...show.context, taskrun: { ...show.context.taskrun, attemptsCount: 1 } } as never)).toBe(
      'show|io.kestra.plugin.core.debug.Return|1|true|RUNNING|test.unit.f@1|main',
    );
  });

  it('execution.originalId is the replayed execution', async () => {
    const { world } = await execute(flow(`  - id: a\n    type: io.kestra.plugin.core.debug.Return\n    format: "{{ execution.originalId }}"\n`), {
      input: { originalId: 'exec-0' },
    });
    expect(world.activities[0].context.execution.originalId).toBe('exec-0');
  });

  it('parent and parents follow the task-run tree, under If inside ForEach; tasks is keyed by value', async () => {
    const { result, world } = await execute(
      flow(`  - id: each
    type: io.kestra.plugin.core.flow.ForEach
    values: ["a", "b"]
    tasks:
      - id: check
        type: io.kestra.plugin.core.flow.If
        condition: "{{ taskrun.value == 'b' }}"
        then:
          - id: inner
            type: io.kestra.plugin.core.debug.Return
            format: "{{ parent.task.id }}:{{ parent.taskrun.value }}:{{ parents | length }}:{{ parents[1].task.id }}:{{ taskrun.parentId | length > 0 }}"
      - id: direct
        type: io.kestra.plugin.core.debug.Return
        format: "{{ taskrun.value }}:{{ parent.task.id }}:{{ tasks.check[taskrun.value].state }}"
`) + 'outputs:\n  - id: out\n    type: JSON\n    value: "{{ outputs }}"\n',
    );
    expect(result.state).toBe('SUCCESS');
    const outputs = json(result.outputs.out);
    expect(outputs.inner).toEqual({ b: { value: 'check:b:2:each:true' } });
    expect(outputs.direct).toEqual({ a: { value: 'a:each:SUCCESS' }, b: { value: 'b:each:SUCCESS' } });
    const inner = world.activities.find((a) => a.task.id === 'inner')!;
    expect(inner.parentTaskRunId).toBe(world.runs('check').find((r) => r.value === 'b')!.id);
  });

  it('flowables render the same variables in the workflow; secret() is refused there', async () => {
    const { result, world } = await execute(
      flow(`  - id: branch
    type: io.kestra.plugin.core.flow.If
    condition: "{{ task.id == 'branch' and taskrun.value is null and execution.state == 'RUNNING' and flow.id == 'f' }}"
    then: []
  - id: outer
    type: io.kestra.plugin.core.flow.Sequential
    tasks:
      - id: secretive
        type: io.kestra.plugin.core.flow.If
        condition: "{{ secret('X') }}"
        then: []
`),
    );
    expect(world.runs('branch')[0].outputs).toEqual({ evaluationResult: true });
    expect(result.state).toBe('FAILED');
    expect(world.runs('secretive')[0].error).toContain('secret() is only available in the properties of runnable tasks, not in io.kestra.plugin.core.flow.If.condition');
  });

  it('a task that reads tasks gets the states so far', async () => {
    const { world } = await execute(
      flow(`  - id: a
    type: io.kestra.plugin.core.log.Log
    message: x
    allowFailure: true
  - id: b
    type: io.kestra.plugin.core.debug.Return
    format: "{{ tasks.a.state }}"
`),
      { setup: (w) => (w.handlers.a = fails('x')) },
    );
    expect(world.activities[1].context.tasks).toEqual({ a: { state: 'WARNING' } });
  });
});

// Kestra's LoopUntil (WaitFor is its older name), AllowFailure, SetVariables and UnsetVariables,
// ported from the behaviour of io.kestra.plugin.core.flow.LoopUntil and core.execution.*.
describe('LoopUntil, AllowFailure, SetVariables, UnsetVariables', () => {
  const loop = (extra: string, format = '"{{ outputs.loop.iterationCount }}"') =>
    flow(`  - id: loop
    type: io.kestra.plugin.core.flow.LoopUntil
${extra}    tasks:
      - id: count
        type: io.kestra.plugin.core.debug.Return
        format: ${format}
  - id: after
    type: io.kestra.plugin.core.debug.Return
    format: "{{ outputs.loop.iterationCount }}"
`);

  it('repeats its tasks until the condition is true, waiting the interval between iterations', async () => {
    const { result, world } = await execute(
      loop(`    condition: "{{ outputs.count.value == '3' }}"
    checkFrequency:
      interval: PT10S
`),
    );
    expect(result.state).toBe('SUCCESS');
    expect(world.ran('count')).toEqual(['count', 'count', 'count']);
    expect(world.runs('loop')[0]).toMatchObject({ state: 'SUCCESS', outputs: { iterationCount: 3 } });
    expect(world.activities.at(-1)!.context.outputs).toEqual({ loop: { iterationCount: 3 } });
    // Two waits of 10 s between three iterations, on the durable clock.
    expect(world.clock - START).toBe(20_000);
  });

  it('WaitFor is the same task; the interval defaults to a minute', async () => {
    const { result, world } = await execute(
      loop(`    condition: "{{ outputs.count.value == '2' }}"
`).replace('flow.LoopUntil', 'flow.WaitFor'),
    );
    expect(result.state).toBe('SUCCESS');
    expect(world.clock - START).toBe(60_000);
  });

  it('stops at maxIterations with a warning, or fails with failOnMaxReached', async () => {
    const soft = await execute(
      loop(`    condition: "false"
    checkFrequency:
      interval: PT1S
      maxIterations: 4
`),
    );
    expect(soft.result.state).toBe('SUCCESS');
    expect(soft.world.ran('count')).toHaveLength(4);
    expect(soft.world.logs('loop')).toEqual([['WARN', 'Max iterations reached']]);
    expect(soft.world.ran('after')).toEqual(['after']);

    const hard = await execute(
      loop(`    condition: "false"
    failOnMaxReached: true
    checkFrequency:
      interval: PT1S
      maxDuration: PT3S
`),
    );
    expect(hard.result).toMatchObject({ state: 'FAILED', error: 'loop: Max duration reached' });
    expect(hard.world.ran('after')).toEqual([]);
  });

  it('a failed child fails the loop at once', async () => {
    const { result, world } = await execute(
      loop(`    condition: "false"
    checkFrequency:
      interval: PT1S
`),
      {
        setup: (w) => {
          w.handlers.count = fails('boom');
        },
      },
    );
    expect(result.state).toBe('FAILED');
    expect(world.states('loop')).toEqual(['RUNNING', 'FAILED']);
  });

  it('AllowFailure: a failed child skips the rest of the block, ends WARNING, and the flow goes on', async () => {
    const { result, world } = await execute(
      flow(`  - id: best_effort
    type: io.kestra.plugin.core.flow.AllowFailure
    tasks:
      - id: bad
        type: io.kestra.plugin.core.debug.Return
        format: x
      - id: skipped
        type: io.kestra.plugin.core.debug.Return
        format: x
  - id: next
    type: io.kestra.plugin.core.debug.Return
    format: x
`),
      {
        setup: (w) => {
          w.handlers.bad = fails('nope');
        },
      },
    );
    expect(result.state).toBe('WARNING');
    expect(world.states('best_effort').at(-1)).toBe('WARNING');
    expect(world.ran('skipped')).toEqual([]);
    expect(world.ran('next')).toEqual(['next']);
  });

  it('SetVariables merges into vars for later tasks (deeply), and overwrite: false refuses an existing name', async () => {
    const { result, world } = await execute(
      flow(
        `  - id: set
    type: io.kestra.plugin.core.execution.SetVariables
    variables:
      message: "hello {{ flow.id }}"
      nested:
        b: 2
  - id: use
    type: io.kestra.plugin.core.debug.Return
    format: "{{ vars.message }} {{ vars.name }} {{ vars.nested.a }}{{ vars.nested.b }}"
  - id: again
    type: io.kestra.plugin.core.execution.SetVariables
    overwrite: false
    variables:
      name: other
`,
        `variables:
  name: World
  nested:
    a: 1
`,
      ),
    );
    expect(world.activities[0].context.vars).toEqual({ name: 'World', message: 'hello f', nested: { a: 1, b: 2 } });
    expect(result).toMatchObject({ state: 'FAILED', error: 'again: `overwrite` is set to false and the following variables already exist: name' });
  });

  it('UnsetVariables removes names and dotted paths; a missing one fails unless ignoreMissing', async () => {
    const vars = 'variables:\n  keep: 1\n  drop: 2\n  deep:\n    x: 1\n    y: 2\n';
    const ok = await execute(
      flow(
        `  - id: unset
    type: io.kestra.plugin.core.execution.UnsetVariables
    variables: [drop, deep.x, missing]
    ignoreMissing: true
  - id: use
    type: io.kestra.plugin.core.debug.Return
    format: x
`,
        vars,
      ),
    );
    expect(ok.result.state).toBe('SUCCESS');
    expect(ok.world.activities[0].context.vars).toEqual({ keep: 1, deep: { y: 2 } });
    const missing = await execute(
      flow(
        `  - id: unset
    type: io.kestra.plugin.core.execution.UnsetVariables
    variables: [missing]
`,
        vars,
      ),
    );
    expect(missing.result.error).toBe("unset: variable 'missing' is not set; set ignoreMissing: true to skip names that are not there");
  });

  it('Labels adds labels from a map, a list or a JSON string, projects them all, and refuses system labels', async () => {
    const { result, world } = await execute(
      flow(
        `  - id: map
    type: io.kestra.plugin.core.execution.Labels
    labels:
      customer: "{{ flow.id }}-1"
      meta: { a: 1 }
  - id: list
    type: io.kestra.plugin.core.execution.Labels
    labels:
      - key: order
        value: 42
  - id: text
    type: io.kestra.plugin.core.execution.Labels
    labels: '{"customer": "override"}'
  - id: show
    type: io.kestra.plugin.core.debug.Return
    format: "{{ labels.customer }}"
  - id: system
    type: io.kestra.plugin.core.execution.Labels
    labels:
      system.correlationId: x
`,
        'labels:\n  team: a\n',
      ),
    );
    const projected = world.events.filter((e) => e.kind === 'labels').map((e) => (e as { labels: Record<string, string> }).labels);
    expect(projected.at(-1)).toEqual({ team: 'a', customer: 'override', meta: '{"a":1}', order: '42' });
    expect(world.activities[0].context.labels).toMatchObject({ customer: 'override' });
    expect(result).toMatchObject({ state: 'FAILED', error: 'system: System labels can only be set by Baton itself, offending label: system.correlationId=x' });
  });

  it('a restart applies again the variables set by tasks that already succeeded', async () => {
    const { result, world } = await execute(
      flow(
        `  - id: set
    type: io.kestra.plugin.core.execution.SetVariables
    variables:
      a: "{{ execution.id }}"
  - id: unset
    type: io.kestra.plugin.core.execution.UnsetVariables
    variables: [b]
  - id: use
    type: io.kestra.plugin.core.debug.Return
    format: "{{ vars.a }}"
`,
        'variables:\n  b: 1\n',
      ),
      {
        input: {
          restart: {
            seqStart: 3,
            done: [
              { taskId: 'set', outputs: { variables: { a: 'from the first run' } } },
              { taskId: 'unset', outputs: { unset: ['b'] } },
            ],
          },
        },
      },
    );
    expect(result.state).toBe('SUCCESS');
    expect(world.calls).toEqual(['runTask use']);
    expect(world.activities[0].context.vars).toEqual({ a: 'from the first run' });
  });
});

describe('flowable table and helpers', () => {
  it('lists each flowable’s child task lists', () => {
    expect(Object.fromEntries(Object.entries(FLOWABLES).map(([id, f]) => [id, f.childLists]))).toEqual({
      'core.Sequential': ['tasks'],
      'core.Parallel': ['tasks'],
      'core.Dag': ['tasks'],
      'core.If': ['then', 'else'],
      'core.Switch': ['cases.*', 'defaults'],
      'core.ForEach': ['tasks'],
      'core.Subflow': [],
      'core.ForEachItem': [],
      'core.ForEachItem.Split': [],
      'core.ForEachItem.Executable': [],
      'core.ForEachItem.Merge': [],
      'core.Sleep': [],
      'core.Fail': [],
      'core.Assert': [],
      'core.Pause': [],
      'core.Labels': [],
      'core.LoopUntil': ['tasks'],
      'core.AllowFailure': ['tasks'],
      'core.SetVariables': [],
      'core.UnsetVariables': [],
    });
  });

  it('truthy follows Kestra, ignoring surrounding whitespace; javaDuration prints like Java', () => {
    expect(['false', '0', '-0', '', ' false\n', null, undefined].map(truthy)).toEqual([false, false, false, false, false, false, false]);
    expect(['true', 'no', 1, {}, []].map(truthy)).toEqual([true, true, true, true, true]);
    expect([0, 500, 90_000, 3_600_000 + 1500].map(javaDuration)).toEqual(['PT0S', 'PT0.5S', 'PT1M30S', 'PT1H1.5S']);
  });
});

describe('CANCEL kill switch', () => {
  const signal = { switchId: 'ks-1', message: 'cancelled by kill switch ks-1 (maintenance) set by alice' };
  const three = flow(`  - id: a
    type: io.kestra.plugin.core.debug.Return
    format: one
  - id: b
    type: io.kestra.plugin.core.debug.Return
    format: two
  - id: c
    type: io.kestra.plugin.core.debug.Return
    format: three
`);

  it('reaching an execution between two tasks: the running task finishes, the next never starts, CANCELLED with the switch', async () => {
    const world = new FakeWorld();
    let interpreter: Interpreter | undefined;
    // Task b takes a minute; the switch arrives while it runs.
    world.handlers.b = async () => {
      await world.delay(60_000);
      return { value: 'two' };
    };
    world.at(START + 30_000, () => interpreter!.cancelBySwitch(signal));
    const { result } = await execute(three, { world, setup: (_, i) => (interpreter = i) });
    expect(result).toEqual({ state: 'CANCELLED', outputs: {}, error: signal.message });
    expect(world.ran('a')).toEqual(['a']);
    expect(world.ran('b')).toEqual(['b']);
    expect(world.ran('c')).toEqual([]);
    const end = world.events.filter((e) => e.kind === 'execution').at(-1);
    expect(end).toMatchObject({ state: 'CANCELLED', killSwitch: 'ks-1', error: signal.message });
    // Task b was not interrupted: no KILLED, no CANCELLED on it.
    expect(world.states('b')).not.toContain('KILLED');
    expect(world.states('c')).toEqual([]);
  });

  it('inside a Parallel: the branch still running finishes its task before the block and the execution end CANCELLED', async () => {
    const world = new FakeWorld();
    const fanOut = flow(`  - id: both
    type: io.kestra.plugin.core.flow.Parallel
    tasks:
      - id: slow
        type: io.kestra.plugin.core.debug.Return
        format: slow
      - id: steps
        type: io.kestra.plugin.core.flow.Sequential
        tasks:
          - id: fast
            type: io.kestra.plugin.core.debug.Return
            format: fast
          - id: next
            type: io.kestra.plugin.core.debug.Return
            format: never
  - id: after
    type: io.kestra.plugin.core.debug.Return
    format: never
`);
    let slowEnded = 0;
    world.handlers.slow = async () => {
      await world.delay(60_000);
      slowEnded = world.clock;
      return { value: 'slow' };
    };
    world.handlers.fast = async () => {
      await world.delay(10_000);
      return { value: 'fast' };
    };
    const { result } = await execute(fanOut, { world, setup: (w, i) => w.at(START + 5_000, () => i.cancelBySwitch(signal)) });
    expect(result).toEqual({ state: 'CANCELLED', outputs: {}, error: signal.message });
    expect(world.ran('slow')).toEqual(['slow']);
    expect(world.ran('fast')).toEqual(['fast']);
    // Neither running task was interrupted.
    expect([...world.states('slow'), ...world.states('fast')]).not.toContain('KILLED');
    expect([...world.states('slow'), ...world.states('fast')]).not.toContain('CANCELLED');
    expect(world.states('steps').at(-1)).toBe('CANCELLED');
    expect(world.states('both').at(-1)).toBe('CANCELLED');
    expect(world.ran('next')).toEqual([]);
    expect(world.ran('after')).toEqual([]);
    // The execution ended only after the slow branch's task had.
    const end = world.events.filter((e) => e.kind === 'execution').at(-1)!;
    expect(end).toMatchObject({ state: 'CANCELLED', killSwitch: 'ks-1' });
    expect(slowEnded).toBe(START + 60_000);
    expect(Date.parse(end.at)).toBeGreaterThanOrEqual(slowEnded);
  });

  it('a second switch does not replace the first', async () => {
    const world = new FakeWorld();
    world.handlers.a = async () => {
      await world.delay(1000);
    };
    const { result } = await execute(three, {
      world,
      setup: (w, i) =>
        w.at(START + 500, () => {
          i.cancelBySwitch(signal);
          i.cancelBySwitch({ switchId: 'ks-2', message: 'other' });
        }),
    });
    expect(result.error).toBe(signal.message);
    expect(world.events.filter((e) => e.kind === 'execution').at(-1)).toMatchObject({ killSwitch: 'ks-1' });
  });

  it('ends a paused execution: the Pause stops waiting, its task run and the execution end CANCELLED', async () => {
    const yaml = flow(`  - id: hold
    type: io.kestra.plugin.core.flow.Pause
  - id: after
    type: io.kestra.plugin.core.debug.Return
    format: x
`);
    const { result, world } = await execute(yaml, { setup: (w, i) => w.at(START + 60_000, () => i.cancelBySwitch(signal)) });
    expect(result.state).toBe('CANCELLED');
    expect(world.execution()).toEqual(['RUNNING', 'PAUSED', 'CANCELLED']);
    expect(world.states('hold')).toEqual(['RUNNING', 'PAUSED', 'CANCELLED']);
    expect(world.ran('after')).toEqual([]);
  });

  it('ends an execution waiting in a concurrency queue without taking a slot', async () => {
    const world = new FakeWorld();
    const limited = flow(`  - id: a\n    type: io.kestra.plugin.core.log.Log\n    message: x\n`, `concurrency:\n  limit: 1\n  behavior: QUEUE\n`);
    const { result } = await execute(limited, { world, setup: (w, i) => w.at(START + 600, () => i.cancelBySwitch(signal)) });
    expect(result.state).toBe('CANCELLED');
    expect(world.execution()).toEqual(['QUEUED', 'CANCELLED']);
    expect(world.activities).toEqual([]);
    // It stopped polling for a slot after the switch: 250 ms and 500 ms sleeps, then one more check at most.
    expect(world.calls.filter((c) => c.startsWith('acquireSlot')).length).toBeLessThanOrEqual(3);
  });

  it('without a switch nothing changes (older histories replay the same commands)', async () => {
    const { result, world } = await execute(three);
    expect(result.state).toBe('SUCCESS');
    expect(world.calls).toEqual(['runTask a', 'runTask b', 'runTask c']);
  });
});

// ---------------------------------------------------------------------------------------------
// Declared compensation (docs/compensation.md) and resource locks (docs/locks.md)

const log = (id: string, extra = '', indent = '  ') => `${indent}- id: ${id}\n${indent}  type: io.kestra.plugin.core.log.Log\n${indent}  message: ${id}\n${extra}`;
/** A Return task whose `compensate` is one Return (or several) reading the undone task's outputs. */
const undoable = (id: string, undo: string[], indent = '  ') =>
  `${indent}- id: ${id}\n${indent}  type: io.kestra.plugin.core.debug.Return\n${indent}  format: "made-${id}"\n${indent}  compensate:\n` +
  undo.map((u) => `${indent}    - id: ${u}\n${indent}      type: io.kestra.plugin.core.debug.Return\n${indent}      format: "undo {{ outputs['${id}'].value }}"\n`).join('');
const failing = (id = 'broken', indent = '  ') => `${indent}- id: ${id}\n${indent}  type: io.kestra.plugin.core.execution.Fail\n${indent}  errorMessage: it broke\n`;
const compensations = (world: FakeWorld) => world.runs('_compensation');

describe('compensation', () => {
  it('after a failure: errors first, then the undos in reverse order, then finally; the execution stays FAILED', async () => {
    const yaml = flow(undoable('a', ['undo-a']) + undoable('b', ['undo-b1', 'undo-b2']) + failing()) + `errors:\n${log('on-error')}finally:\n${log('cleanup')}`;
    const { result, world } = await execute(yaml);
    expect(result).toMatchObject({ state: 'FAILED', error: 'broken: it broke' });
    expect(world.calls).toEqual(['runTask a', 'runTask b', 'runTask on-error', 'runTask undo-b1', 'runTask undo-b2', 'runTask undo-a', 'runTask cleanup']);
    // Each undo reads the outputs of the task it undoes, and is a task run under `_compensation`.
    const undoA = world.activities.find((a) => a.task.id === 'undo-a')!;
    expect(render(undoA.task.props.format, undoA.context as unknown as Record<string, unknown>)).toBe('undo made-a');
    const [holder] = compensations(world);
    expect(world.activities.filter((a) => a.task.id.startsWith('undo')).every((a) => a.parentTaskRunId === holder.id)).toBe(true);
    expect(world.states('_compensation')).toEqual(['RUNNING', 'SUCCESS']);
    const end = world.events.filter((e): e is TaskRun => e.kind === 'taskRun' && e.taskId === '_compensation').at(-1)!;
    expect(end.outputs).toEqual({
      compensated: [
        { taskId: 'b', by: 'undo-b1', state: 'SUCCESS' },
        { taskId: 'b', by: 'undo-b2', state: 'SUCCESS' },
        { taskId: 'a', by: 'undo-a', state: 'SUCCESS' },
      ],
    });
    expect(world.logs('_compensation')).toEqual([['INFO', 'the execution failed: undoing b, a (most recent first)']]);
  });

  it('undoes nothing when nothing failed, with mode NEVER, or for tasks that did not succeed', async () => {
    const ok = await execute(flow(undoable('a', ['undo-a']) + log('b')));
    expect(ok.result.state).toBe('SUCCESS');
    expect(ok.world.calls).toEqual(['runTask a', 'runTask b']);
    const never = await execute(flow(undoable('a', ['undo-a']) + failing(), 'compensation:\n  mode: NEVER\n'));
    expect(never.world.calls).toEqual(['runTask a']);
    expect(compensations(never.world)).toEqual([]);
    // a skipped task, a task whose failure was allowed and the failing task itself are not undone
    const yaml = flow(
      `  - id: skipped\n    type: io.kestra.plugin.core.debug.Return\n    format: x\n    runIf: "false"\n    compensate:\n      id: undo-skipped\n      type: io.kestra.plugin.core.log.Log\n      message: x\n` +
        `  - id: allowed\n    type: io.kestra.plugin.core.debug.Return\n    format: x\n    allowFailure: true\n    compensate:\n      id: undo-allowed\n      type: io.kestra.plugin.core.log.Log\n      message: x\n` +
        undoable('kept', ['undo-kept']) +
        `  - id: last\n    type: io.kestra.plugin.core.debug.Return\n    format: x\n    compensate:\n      id: undo-last\n      type: io.kestra.plugin.core.log.Log\n      message: x\n`,
    );
    const { world } = await execute(yaml, { setup: (w) => ((w.handlers.allowed = fails('nope')), (w.handlers.last = fails('last broke'))) });
    expect(world.calls.filter((c) => c.includes('undo'))).toEqual(['runTask undo-kept']);
  });

  it('nested scopes: a block ends after its children, so its own undo runs before theirs', async () => {
    const yaml = flow(
      `  - id: group
    type: io.kestra.plugin.core.flow.Sequential
    compensate:
      id: undo-group
      type: io.kestra.plugin.core.log.Log
      message: group
    tasks:
${undoable('inner1', ['undo-inner1'], '      ')}${undoable('inner2', ['undo-inner2'], '      ')}` + failing(),
    );
    const { world } = await execute(yaml);
    expect(world.calls.filter((c) => c.includes('undo'))).toEqual(['runTask undo-group', 'runTask undo-inner2', 'runTask undo-inner1']);
  });

  it('a failure inside a block undoes its siblings that succeeded, not the block (it failed)', async () => {
    const yaml = flow(
      undoable('before', ['undo-before']) +
        `  - id: group
    type: io.kestra.plugin.core.flow.Sequential
    compensate:
      id: undo-group
      type: io.kestra.plugin.core.log.Log
      message: group
    tasks:
${undoable('inner', ['undo-inner'], '      ')}${failing('inner-broken', '      ')}`,
    );
    const { world } = await execute(yaml);
    expect(world.calls.filter((c) => c.includes('undo'))).toEqual(['runTask undo-inner', 'runTask undo-before']);
  });

  it('Parallel: branches are undone in the reverse order they finished', async () => {
    const yaml = flow(
      `  - id: both
    type: io.kestra.plugin.core.flow.Parallel
    tasks:
${undoable('slow', ['undo-slow'], '      ')}${undoable('fast', ['undo-fast'], '      ')}` + failing(),
    );
    const { world } = await execute(yaml, { setup: (w) => ((w.handlers.slow = () => w.delay(300)), (w.handlers.fast = () => w.delay(100))) });
    expect(world.calls.filter((c) => c.includes('undo'))).toEqual(['runTask undo-slow', 'runTask undo-fast']);
  });

  it('ForEach: each iteration is undone with its own value, most recent first', async () => {
    const yaml = flow(
      `  - id: each
    type: io.kestra.plugin.core.flow.ForEach
    values: ["vm1", "vm2"]
    tasks:
      - id: create
        type: io.kestra.plugin.core.debug.Return
        format: "made {{ taskrun.value }}"
        compensate:
          id: delete
          type: io.kestra.plugin.core.debug.Return
          format: "delete {{ outputs.create[taskrun.value].value }}"
` + failing(),
    );
    const { world } = await execute(yaml);
    expect(world.calls.filter((c) => c.includes('delete'))).toEqual(['runTask delete[vm2]', 'runTask delete[vm1]']);
    const rendered = world.activities.filter((a) => a.task.id === 'delete').map((a) => render(a.task.props.format, a.context as unknown as Record<string, unknown>));
    expect(rendered).toEqual(['delete made vm2', 'delete made vm1']);
  });

  it('an undo that fails stops the rest of its own list, the others still run; the execution error says so', async () => {
    const yaml = flow(undoable('a', ['undo-a']) + undoable('b', ['undo-b1', 'undo-b2']) + failing());
    const { result, world } = await execute(yaml, { setup: (w) => (w.handlers['undo-b1'] = fails('snapshot gone')) });
    expect(world.calls.filter((c) => c.includes('undo'))).toEqual(['runTask undo-b1', 'runTask undo-a']);
    expect(result).toMatchObject({ state: 'FAILED', error: 'broken: it broke; compensation failed: undo-b1 (undoing b)' });
    expect(world.states('_compensation')).toEqual(['RUNNING', 'FAILED']);
  });

  it('is killable: the running undo and _compensation end KILLED, the rest is not undone', async () => {
    const yaml = flow(undoable('a', ['undo-a']) + undoable('b', ['undo-b']) + failing());
    const { result, world } = await execute(yaml, {
      setup: (w) => {
        w.handlers['undo-b'] = () => w.delay(5000);
        w.at(START + 1000, () => w.kill());
      },
    });
    expect(result.state).toBe('KILLED');
    expect(world.ran('undo-a')).toEqual([]);
    const last = world.batches.at(-1)!;
    expect(last.map((e) => `${e.kind}:${'taskId' in e ? e.taskId : ''}:${'state' in e ? e.state : ''}`)).toEqual([
      'taskRun:_compensation:KILLED',
      'taskRun:undo-b:KILLED',
      'execution::KILLED',
    ]);
  });

  it('a kill before the failure undoes nothing', async () => {
    const yaml = flow(undoable('a', ['undo-a']) + log('slow'));
    const { result, world } = await execute(yaml, {
      setup: (w) => {
        w.handlers.slow = () => w.delay(5000);
        w.at(START + 1000, () => w.kill());
      },
    });
    expect(result.state).toBe('KILLED');
    expect(world.ran('undo-a')).toEqual([]);
  });

  it('mode ASK: a Pause lists what would be undone; compensate=false leaves it, true (the default) undoes', async () => {
    const yaml = flow(undoable('a', ['undo-a']) + failing(), 'compensation:\n  mode: ASK\n');
    const declined = await execute(yaml, { setup: (w, i) => w.at(START + 60_000, () => i.resume({ by: 'alice', inputs: { compensate: false } })) });
    expect(declined.world.states('_compensation_ask')).toEqual(['RUNNING', 'PAUSED', 'RUNNING', 'SUCCESS']);
    expect(declined.world.execution()).toContain('PAUSED');
    expect(declined.world.ran('undo-a')).toEqual([]);
    const end = declined.world.runs('_compensation')[0];
    expect(declined.world.events.filter((e): e is TaskRun => e.kind === 'taskRun' && e.id === end.id).at(-1)!.outputs).toEqual({ compensated: [], declined: ['a'] });
    expect(declined.result.state).toBe('FAILED');
    const approved = await execute(yaml, { setup: (w, i) => w.at(START + 60_000, () => i.resume({ by: 'alice', inputs: {} })) });
    expect(approved.world.ran('undo-a')).toEqual(['undo-a']);
    expect(approved.result.state).toBe('FAILED');
  });

  it('a restart still undoes what succeeded in the run before it', async () => {
    const yaml = flow(undoable('a', ['undo-a']) + failing());
    const { world } = await execute(yaml, { input: { restart: { done: [{ taskId: 'a', outputs: { value: 'made-a' } }], seqStart: 5 } } });
    expect(world.calls).toEqual(['runTask undo-a']);
  });
});

describe('locks', () => {
  const locked = (key: string, extra = '') =>
    flow(`  - id: work\n    type: io.kestra.plugin.core.log.Log\n    message: hi\n    locks: ["${key}"]\n${extra}`, 'inputs:\n  - id: vm\n    type: STRING\n');

  async function race(world: FakeWorld, yamlA: string, yamlB: string, inputs: Record<string, unknown> = {}) {
    const run = (id: string, yaml: string) => {
      const interpreter = new Interpreter({ executionId: id, tenant: 'main', plan: plan(yaml), inputs, labels: {} }, world);
      return interpreter.run().then((r) => {
        world.endedExecutions.add(id);
        return r;
      });
    };
    return world.drive(Promise.all([run('exec-1', yamlA), run('exec-2', yamlB)]));
  }

  it('two executions with the same rendered key: the second waits, says for whom, and runs once the first released', async () => {
    const world = new FakeWorld();
    const order: string[] = [];
    world.handlers.work = async (input) => {
      order.push(`${input.executionId} start`);
      await world.delay(1000);
      order.push(`${input.executionId} end`);
    };
    const yaml = locked('vm:{{ inputs.vm }}');
    const [a, b] = await race(world, yaml, yaml, { vm: 'web-1' });
    expect([a.state, b.state]).toEqual(['SUCCESS', 'SUCCESS']);
    expect(order).toEqual(['exec-1 start', 'exec-1 end', 'exec-2 start', 'exec-2 end']);
    expect(world.logs('work')).toEqual([
      ['INFO', 'waiting for lock vm:web-1 held by execution exec-1'],
      ['INFO', 'took lock vm:web-1'],
    ]);
    expect(world.calls.filter((c) => c.startsWith('acquireLocks'))[0]).toBe('acquireLocks vm:web-1');
    expect(world.lockTable.size).toBe(0);
  });

  it('different keys do not wait for each other', async () => {
    const world = new FakeWorld();
    const order: string[] = [];
    world.handlers.work = async (input) => {
      order.push(`${input.executionId} start`);
      await world.delay(1000);
      order.push(`${input.executionId} end`);
    };
    await race(world, locked('vm:a'), locked('vm:b'));
    expect(order).toEqual(['exec-1 start', 'exec-2 start', 'exec-1 end', 'exec-2 end']);
  });

  it('lockTimeout: the task fails naming the key and the holder', async () => {
    const world = new FakeWorld();
    world.lockTable.set('vm:web-1', { executionId: 'exec-other', holder: 'run-x' });
    const { result } = await execute(locked('vm:web-1', '    lockTimeout: PT5S\n'), { world });
    expect(result).toMatchObject({ state: 'FAILED', error: 'work: lock vm:web-1 is still held by execution exec-other after PT5S (lockTimeout)' });
    expect(world.clock - START).toBe(5000);
    expect(world.ran('work')).toEqual([]);
    expect(world.lockTable.get('vm:web-1')?.executionId).toBe('exec-other');
  });

  it('a lock whose execution ended (killed, its worker gone) is taken over', async () => {
    const world = new FakeWorld();
    world.lockTable.set('vm:web-1', { executionId: 'exec-crashed', holder: 'run-x' });
    world.endedExecutions.add('exec-crashed');
    const { result } = await execute(locked('vm:web-1'), { world });
    expect(result.state).toBe('SUCCESS');
    expect(world.logs('work')).toEqual([]);
  });

  it('flow-level locks are held for the whole execution; its own tasks pass the same key; released at the end', async () => {
    const world = new FakeWorld();
    const yaml = flow(
      `  - id: work\n    type: io.kestra.plugin.core.log.Log\n    message: hi\n    locks: ["vm:1"]\n  - id: check\n    type: io.kestra.plugin.core.log.Log\n    message: hi\n`,
      'locks: ["vm:1"]\n',
    );
    world.handlers.check = () => {
      expect(world.lockTable.get('vm:1')).toEqual({ executionId: 'exec-1', holder: '' });
    };
    const { result } = await execute(yaml, { world });
    expect(result.state).toBe('SUCCESS');
    expect(world.calls).toEqual(['acquireLocks vm:1 (execution)', 'acquireLocks vm:1', 'runTask work', 'releaseLocks', 'runTask check', 'releaseLocks (all)']);
    expect(world.lockTable.size).toBe(0);
  });

  it("a kill releases the execution's locks", async () => {
    const world = new FakeWorld();
    world.handlers.work = () => world.delay(5000);
    world.at(START + 1000, () => {
      expect(world.lockTable.get('vm:1')?.executionId).toBe('exec-1');
      world.kill();
    });
    const { result } = await execute(locked('vm:1'), { world });
    expect(result.state).toBe('KILLED');
    expect(world.calls.at(-1)).toBe('releaseLocks (all)');
    expect(world.lockTable.size).toBe(0);
  });

  it("a failure releases the task's lock before the next tasks (and compensation) run", async () => {
    const world = new FakeWorld();
    world.handlers.work = fails('no');
    const { result } = await execute(locked('vm:1'), { world });
    expect(result.state).toBe('FAILED');
    expect(world.calls).toEqual(['acquireLocks vm:1', 'runTask work', 'releaseLocks', 'releaseLocks (all)']);
  });

  it('flows without locks never call the lock activities', async () => {
    const { world } = await execute(flow(log('a')));
    expect(world.calls).toEqual(['runTask a']);
  });
});
