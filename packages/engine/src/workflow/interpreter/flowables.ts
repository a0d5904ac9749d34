// Flowable tasks, as a table: which child task lists each one has and how it runs them. They run
// in the workflow (no activity), so their properties are rendered here.
import { resolveInputs } from '@baton/flow/inputs';
import type { FlowInput } from '@baton/flow/flow-schema';
import { LABEL_LIMITS } from '@baton/flow/label-limits';
import type { TaskSpec } from '@baton/flow/model';
import { parseDuration } from '@baton/plugin-sdk/duration';
import type { ProjectionEvent, ResumeSignal } from '../contracts';
import { toRetryPolicy } from '../retry-policy';
import { CancelExecution, combine, errorMessage, javaDuration, SUCCEEDED, TaskFailure, truthy, type Result, type TaskEnd, type TaskRunEvent } from './outcomes';
import { FOR_EACH_ITEM_FLOWABLES } from './for-each-item';
import type { Scheduler } from './scheduler';
import { childScope, type Scope } from './scope';

/** One run of a flowable task, with what its implementation needs. */
export interface FlowableRun {
  task: TaskSpec;
  scope: Scope;
  run: TaskRunEvent;
  /** The scope of its children: the flowable's task run is their parent. */
  child: Scope;
  s: Scheduler;
  /** Renders one of the task's properties. */
  prop(name: string): unknown;
  /** A child task list (empty when absent). */
  children(key: string): TaskSpec[];
}

export interface Flowable {
  /** Keys of TaskSpec.children it runs (`cases.<value>` for each Switch case). */
  childLists: string[];
  /** Retried as a whole when the task has a retry: every child runs again, as new task runs. */
  retriesBlock: boolean;
  run(f: FlowableRun): Promise<TaskEnd>;
}

/** A flowable whose children failed fails with their error (already logged by the child). */
function failWithChildren(task: TaskSpec, result: Result): TaskEnd {
  if (result.outcome === 'FAILED') throw new TaskFailure(task.id, result.error ?? `${task.id}: a child task failed`, true);
  return { outcome: result.outcome };
}

// The `async` on each `run` is deliberate: it keeps the promise chain as deep as it was when this
// was one switch, so concurrent branches issue Temporal commands in the same order (replay).
export const FLOWABLES: Record<string, Flowable> = {
  'core.Sequential': {
    childLists: ['tasks'],
    retriesBlock: true,
    run: async (f) => failWithChildren(f.task, await f.s.runList(f.children('tasks'), f.child)),
  },
  'core.Parallel': {
    childLists: ['tasks'],
    retriesBlock: true,
    run: async (f) =>
      failWithChildren(
        f.task,
        await f.s.runConcurrently(
          f.children('tasks').map((t) => () => f.s.runTask(t, f.child)),
          Number(f.task.props.concurrent ?? 0),
        ),
      ),
  },
  'core.Dag': {
    childLists: ['tasks'],
    retriesBlock: true,
    run: async (f) => failWithChildren(f.task, await runDag(f.s, f.children('tasks'), f.child, Number(f.task.props.concurrent ?? 0))),
  },
  'core.If': {
    childLists: ['then', 'else'],
    retriesBlock: true,
    run: async (f) => {
      const evaluationResult = truthy(f.prop('condition'));
      const ended = failWithChildren(f.task, await f.s.runList(f.children(evaluationResult ? 'then' : 'else'), f.child));
      return { ...ended, result: { evaluationResult } };
    },
  },
  'core.Switch': {
    childLists: ['cases.*', 'defaults'],
    retriesBlock: true,
    run: async (f) => {
      const value = String(f.prop('value'));
      const matched = f.task.children?.[`cases.${value}`];
      const ended = failWithChildren(f.task, await f.s.runList(matched ?? f.children('defaults'), f.child));
      return { ...ended, result: { value, defaults: matched === undefined } };
    },
  },
  'core.ForEach': { childLists: ['tasks'], retriesBlock: true, run: async (f) => runForEach(f, f.prop('values')) },
  'core.Subflow': { childLists: [], retriesBlock: true, run: async (f) => runSubflow(f) },
  ...FOR_EACH_ITEM_FLOWABLES,
  'core.Sleep': {
    childLists: [],
    retriesBlock: false,
    run: async (f) => {
      const ms = parseDuration(String(f.prop('duration'))) ?? 0;
      await f.s.life.project([f.s.life.logEvent(f.run, 'INFO', `Waiting for ${javaDuration(ms)}`)]);
      await f.s.fx.sleep(ms);
      return { outcome: 'SUCCESS' };
    },
  },
  'core.Fail': { childLists: [], retriesBlock: false, run: async (f) => runFail(f) },
  'core.Assert': { childLists: [], retriesBlock: false, run: async (f) => runAssert(f) },
  'core.Pause': { childLists: [], retriesBlock: false, run: async (f) => runPause(f) },
  'core.LoopUntil': { childLists: ['tasks'], retriesBlock: true, run: async (f) => runLoopUntil(f) },
  'core.AllowFailure': {
    childLists: ['tasks'],
    retriesBlock: true,
    // A failed child ends the block (the rest is skipped) and this task WARNING; the flow goes on.
    run: async (f) => {
      const result = await f.s.runList(f.children('tasks'), f.child);
      return { outcome: result.outcome === 'FAILED' ? 'WARNING' : result.outcome };
    },
  },
  'core.SetVariables': {
    childLists: [],
    retriesBlock: false,
    run: async (f) => {
      const variables = f.prop('variables');
      if (typeof variables !== 'object' || variables === null || Array.isArray(variables))
        throw new TaskFailure(f.task.id, `${f.task.id}: variables must be a map of names to values`);
      const values = variables as Record<string, unknown>;
      try {
        f.s.vars.setVariables(values, f.task.props.overwrite === undefined ? true : truthy(f.prop('overwrite')));
      } catch (error) {
        throw new TaskFailure(f.task.id, `${f.task.id}: ${errorMessage(error)}`);
      }
      // Kept on the task run so a restart can set them again (the task itself is not rerun).
      return { outcome: 'SUCCESS', result: { variables: values } };
    },
  },
  'core.Labels': { childLists: [], retriesBlock: false, run: async (f) => runLabels(f) },
  'core.UnsetVariables': {
    childLists: [],
    retriesBlock: false,
    run: async (f) => {
      const names = f.prop('variables');
      if (!Array.isArray(names)) throw new TaskFailure(f.task.id, `${f.task.id}: variables must be a list of names`);
      try {
        f.s.vars.unsetVariables(names.map(String), f.task.props.ignoreMissing !== undefined && truthy(f.prop('ignoreMissing')));
      } catch (error) {
        throw new TaskFailure(f.task.id, `${f.task.id}: ${errorMessage(error)}`);
      }
      return { outcome: 'SUCCESS', result: { unset: names.map(String) } };
    },
  },
};

/**
 * Kestra's execution.Labels: adds or overwrites the execution's labels (a map, a list of
 * {key, value}, or a JSON string of a map). `system.` labels are Baton's own and refused.
 */
async function runLabels({ task, run, s, prop }: FlowableRun): Promise<TaskEnd> {
  const raw = prop('labels');
  let entries: [string, unknown][];
  if (typeof raw === 'string') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      throw new TaskFailure(task.id, `${task.id}: labels given as a string must be a JSON map such as {"team": "a"}`);
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new TaskFailure(task.id, `${task.id}: labels given as a string must be a JSON map`);
    entries = Object.entries(parsed);
  } else if (Array.isArray(raw)) {
    entries = raw.map((l, i) => {
      if (typeof l !== 'object' || l === null || typeof (l as { key?: unknown }).key !== 'string') throw new TaskFailure(task.id, `${task.id}: labels[${i}] must be {key, value}`);
      return [(l as { key: string }).key, (l as { value?: unknown }).value];
    });
  } else if (typeof raw === 'object' && raw !== null) {
    entries = Object.entries(raw);
  } else {
    throw new TaskFailure(task.id, `${task.id}: labels must be a map, a list of {key, value} or a JSON string`);
  }
  const labels = Object.fromEntries(entries.map(([k, v]) => [k, typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v ?? '')]));
  const system = Object.entries(labels).find(([k]) => k.startsWith('system.'));
  if (system) throw new TaskFailure(task.id, `${task.id}: System labels can only be set by Baton itself, offending label: ${system[0]}=${system[1]}`);
  const tooLong = Object.entries(labels).find(([k, v]) => !k || k.length > LABEL_LIMITS.keyMax || v.length > LABEL_LIMITS.valueMax);
  if (tooLong)
    throw new TaskFailure(
      task.id,
      `${task.id}: label '${tooLong[0].slice(0, 40)}' is empty or too long (keys at most ${LABEL_LIMITS.keyMax} characters, values ${LABEL_LIMITS.valueMax})`,
    );
  s.vars.addLabels(labels);
  const all = s.vars.labels();
  if (Object.keys(all).length > LABEL_LIMITS.count) throw new TaskFailure(task.id, `${task.id}: an execution has at most ${LABEL_LIMITS.count} labels`);
  await s.life.project([{ kind: 'labels', executionId: s.input.executionId, labels: all, at: s.life.at() }]);
  return { outcome: 'SUCCESS', result: { labels } };
}

/**
 * Kestra's Dag: a task starts once every task it depends on has ended (SUCCESS, WARNING, or
 * skipped), in declaration order among those ready, at most `limit` at a time (0 = no limit).
 * As in Parallel, after a failure no new task starts and the running ones finish. Validation has
 * refused unknown dependencies and cycles, so every task eventually becomes ready.
 */
export async function runDag(s: Scheduler, tasks: TaskSpec[], scope: Scope, limit: number): Promise<Result> {
  const ended = new Set<string>();
  const started = new Set<string>();
  let result: Result = SUCCEEDED;
  let running = 0;
  const ready = () => tasks.filter((t) => !started.has(t.id) && (t.dependsOn ?? []).every((d) => ended.has(d)));
  // Each finished task may make others ready: start them, then wait for every branch started.
  const launch = (): Promise<unknown> => {
    const branches: Promise<unknown>[] = [];
    for (const task of ready()) {
      if (result.outcome === 'FAILED' || (limit > 0 && running >= limit)) break;
      started.add(task.id);
      running++;
      branches.push(
        s.runTask(task, scope).then((end) => {
          running--;
          result = combine(result, end);
          ended.add(task.id);
          return launch();
        }),
      );
    }
    return Promise.all(branches);
  };
  await launch();
  return result;
}

/** Baton's ceiling on LoopUntil iterations: each one adds to the execution's durable history. */
export const LOOP_MAX_ITERATIONS = 1000;

/**
 * Kestra's LoopUntil (and WaitFor, its older name): run the children, then check the condition;
 * repeat after `interval` until it is true or a maximum is reached. `outputs.<id>.iterationCount`
 * is set before each iteration so the children can read it.
 */
async function runLoopUntil(f: FlowableRun): Promise<TaskEnd> {
  const { task, scope, run, s } = f;
  const frequency = (task.props.checkFrequency ?? {}) as { maxIterations?: number; maxDuration?: string; interval?: string };
  const intervalMs = frequency.interval === undefined ? 60_000 : parseDuration(String(s.vars.render(frequency.interval, scope, run.id, task, 'checkFrequency.interval')));
  if (intervalMs === undefined) throw new TaskFailure(task.id, `${task.id}: checkFrequency.interval must be an ISO-8601 duration such as PT30S`);
  const maxDurationMs =
    frequency.maxDuration === undefined ? undefined : parseDuration(String(s.vars.render(frequency.maxDuration, scope, run.id, task, 'checkFrequency.maxDuration')));
  const maxIterations = Math.min(frequency.maxIterations ?? LOOP_MAX_ITERATIONS, LOOP_MAX_ITERATIONS);
  const failOnMax = task.props.failOnMaxReached !== undefined && truthy(f.prop('failOnMaxReached'));
  const started = s.fx.now();
  for (let iteration = 1; ; iteration++) {
    const result = { iterationCount: iteration };
    s.vars.setOutput(task.id, scope, result);
    const ended = await s.runList(f.children('tasks'), f.child);
    if (ended.outcome === 'FAILED') return failWithChildren(task, ended);
    if (truthy(f.prop('condition'))) return { outcome: ended.outcome, result };
    const reason =
      iteration >= maxIterations
        ? frequency.maxIterations === undefined || frequency.maxIterations > LOOP_MAX_ITERATIONS
          ? `Max iterations reached (Baton's limit of ${LOOP_MAX_ITERATIONS})`
          : 'Max iterations reached'
        : maxDurationMs !== undefined && s.fx.now() - started + intervalMs > maxDurationMs
          ? 'Max duration reached'
          : undefined;
    if (reason) {
      await s.life.project([s.life.logEvent(run, 'WARN', reason)]);
      if (failOnMax) throw new TaskFailure(task.id, `${task.id}: ${reason}`, true);
      return { outcome: ended.outcome, result };
    }
    await s.fx.sleep(intervalMs);
  }
}

/** Runs a flowable task run: RUNNING, then its behaviour, retried as a whole if it has children. */
export async function runFlowable(s: Scheduler, task: TaskSpec, scope: Scope, run: TaskRunEvent): Promise<TaskEnd> {
  const { life, fx } = s;
  await life.project([{ ...run, state: 'RUNNING', at: life.at() }]);
  if (!task.retry || !FLOWABLES[task.pluginId]?.retriesBlock) return runOnce(s, task, scope, run);
  // Kestra (0.15+) retries a flowable as a whole: every child runs again, as new task runs.
  const { policy, maxDurationMs } = toRetryPolicy(task, undefined);
  const started = fx.now();
  for (let attempt = 1; ; attempt++) {
    try {
      return await runOnce(s, task, scope, run);
    } catch (error) {
      if (!(error instanceof TaskFailure)) throw error;
      const delay = Math.min(Number(policy.initialInterval) * (policy.backoffCoefficient ?? 2) ** (attempt - 1), Number(policy.maximumInterval ?? Infinity));
      const attemptsLeft = !policy.maximumAttempts || attempt < policy.maximumAttempts;
      const timeLeft = maxDurationMs === undefined || fx.now() - started + delay < maxDurationMs;
      if (!attemptsLeft || !timeLeft) throw error;
      await life.project([
        life.logEvent(run, 'WARN', `${task.id}: attempt ${attempt} failed (${error.message}); retrying the whole ${task.type.split('.').pop()} in ${delay} ms`),
        { ...run, state: 'RETRYING', at: life.at(), error: error.message },
      ]);
      await fx.sleep(delay);
      await life.project([{ ...run, state: 'RUNNING', at: life.at() }]);
    }
  }
}

function runOnce(s: Scheduler, task: TaskSpec, scope: Scope, run: TaskRunEvent): Promise<TaskEnd> {
  const flowable = FLOWABLES[task.pluginId];
  if (!flowable) throw new TaskFailure(task.id, `${task.id}: flowable type ${task.pluginId} is not supported by this engine version`);
  return flowable.run({
    task,
    scope,
    run,
    child: childScope(scope, run),
    s,
    prop: (name) => s.vars.render(task.props[name], scope, run.id, task, name),
    children: (key) => task.children?.[key] ?? [],
  });
}

async function runForEach(f: FlowableRun, raw: unknown): Promise<TaskEnd> {
  const { task, scope, run, s } = f;
  let values = raw;
  if (typeof values === 'string') {
    try {
      values = JSON.parse(values);
    } catch {
      throw new TaskFailure(task.id, `${task.id}: values must be a list or a JSON array, got ${JSON.stringify(raw).slice(0, 100)}`);
    }
  }
  if (!Array.isArray(values)) throw new TaskFailure(task.id, `${task.id}: values must be a list, got ${typeof values}`);
  // Kestra iterates over distinct values and refuses nulls.
  const nulls = values.filter((v) => v === null || v === undefined).length;
  if (nulls) throw new TaskFailure(task.id, `${task.id}: found ${nulls} null value(s) in values ${JSON.stringify(values).slice(0, 200)}`);
  const seen = new Set<string>();
  const distinct = values.filter((v) => {
    const key = typeof v === 'string' ? `s:${v}` : `j:${JSON.stringify(v)}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  const limit = Number(task.props.concurrencyLimit ?? 1);
  const result = await s.runConcurrently(
    distinct.map((value) => () => s.runList(f.children('tasks'), childScope(scope, run, [...scope.values, value]))),
    limit,
  );
  return failWithChildren(task, result);
}

/** Kestra's Fail: "Task failure" by default; with a condition, logs errorMessage and fails "Fail on a condition". */
async function runFail({ task, scope, run, s }: FlowableRun): Promise<TaskEnd> {
  const message = task.props.errorMessage === undefined ? 'Task failure' : String(s.vars.render(task.props.errorMessage, scope, run.id, task, 'errorMessage'));
  if (task.props.condition === undefined) throw new TaskFailure(task.id, message);
  if (!truthy(s.vars.render(task.props.condition, scope, run.id, task, 'condition'))) return { outcome: 'SUCCESS' };
  await s.life.project([s.life.logEvent(run, 'ERROR', message)]);
  throw new TaskFailure(task.id, 'Fail on a condition');
}

/** Kestra's Assert: each false condition is logged at ERROR; fails with "N assertion(s) failed!". */
async function runAssert({ task, scope, run, s }: FlowableRun): Promise<TaskEnd> {
  const conditions = (task.props.conditions as unknown[]) ?? [];
  const logs: ProjectionEvent[] = [];
  conditions.forEach((condition, i) => {
    const text = typeof condition === 'string' ? condition : JSON.stringify(condition);
    try {
      if (!truthy(s.vars.render(condition, scope, run.id, task, `conditions[${i}]`))) logs.push(s.life.logEvent(run, 'ERROR', `Assertion \`${text}\` failed!`));
    } catch (error) {
      logs.push(s.life.logEvent(run, 'ERROR', `Assertion \`${text}\` failed, failed to render \`${errorMessage(error)}\``));
    }
  });
  if (logs.length) {
    await s.life.project(logs);
    const custom = task.props.errorMessage === undefined ? '' : `\n${String(s.vars.render(task.props.errorMessage, scope, run.id, task, 'errorMessage'))}`;
    throw new TaskFailure(task.id, `${logs.length} assertion${logs.length > 1 ? 's' : ''} failed!${custom}`);
  }
  return { outcome: 'SUCCESS' };
}

/** Pause: the execution is PAUSED until a resume signal for this task run, or the pause expires. */
async function runPause({ task, scope, run, s }: FlowableRun): Promise<TaskEnd> {
  const { life, fx } = s;
  const durationText = (task.props.pauseDuration ?? task.props.delay) as string | undefined;
  const durationMs = durationText ? parseDuration(String(s.vars.render(durationText, scope, run.id, task, 'pauseDuration'))) : undefined;
  await life.project([
    { ...run, state: 'PAUSED', at: life.at() },
    { kind: 'execution', id: s.input.executionId, state: 'PAUSED', at: life.at() },
  ]);
  life.state = 'PAUSED';
  const matches = (signal: ResumeSignal) => !signal.taskRunId || signal.taskRunId === run.id;
  let resumed = true;
  // A CANCEL kill switch ends the wait too (only with its signal, so older histories replay as they were).
  const wakes = () => life.resumes.some(matches) || life.switchCancel !== undefined;
  if (durationMs !== undefined) resumed = await fx.condition(wakes, durationMs);
  else await fx.condition(wakes);
  if (life.switchCancel && !life.resumes.some(matches)) throw new CancelExecution(life.switchCancel.message);
  const signal = resumed ? life.resumes.splice(life.resumes.findIndex(matches), 1)[0] : undefined;
  await life.setState('RUNNING');
  await life.project([{ ...run, state: 'RUNNING', at: life.at() }]);
  if (!signal) {
    const behavior = (task.props.behavior as string) ?? 'RESUME';
    if (behavior === 'FAIL') throw new TaskFailure(task.id, `${task.id}: pause expired after ${durationText} (behavior FAIL)`);
    if (behavior === 'CANCEL') throw new CancelExecution(`${task.id}: pause expired after ${durationText} (behavior CANCEL)`);
    const defaults = resolveInputs((task.props.onResume as FlowInput[]) ?? [], {});
    return { outcome: behavior === 'WARN' ? 'WARNING' : 'SUCCESS', result: { onResume: defaults.values, timedOut: true } };
  }
  const { values, errors } = resolveInputs((task.props.onResume as FlowInput[]) ?? [], signal.inputs ?? {});
  if (errors.length) throw new TaskFailure(task.id, `${task.id}: invalid resume inputs: ${errors.map((e) => e.message).join('; ')}`);
  return { outcome: 'SUCCESS', result: { onResume: values, resumedBy: signal.by, timedOut: false } };
}

/** Subflow: starts the child execution and, unless `wait: false`, ends as it ended. */
async function runSubflow({ task, run, s, prop }: FlowableRun): Promise<TaskEnd> {
  const childInput = await s.fx.prepareSubflow({
    tenant: s.input.tenant,
    namespace: String(prop('namespace')),
    flowId: String(prop('flowId')),
    revision: task.props.revision as number | undefined,
    inputs: (prop('inputs') as Record<string, unknown>) ?? {},
    labels: (prop('labels') as Record<string, string>) ?? {},
    parent: { executionId: s.input.executionId, taskRunId: run.id },
    ...(s.vars.secretValues() ? { secretValues: s.vars.secretValues() } : {}),
  });
  const wait = task.props.wait !== false;
  const child = await s.fx.startChild(childInput, { wait });
  if (!wait) return { outcome: 'SUCCESS', result: { executionId: childInput.executionId } };
  const result = await child.result();
  const outputs = { executionId: childInput.executionId, state: result.state, outputs: result.outputs };
  if (result.state !== 'SUCCESS' && result.state !== 'WARNING' && task.props.transmitFailed !== false) {
    throw new TaskFailure(task.id, `${task.id}: subflow ${childInput.plan.namespace}.${childInput.plan.id} ended ${result.state}${result.error ? `: ${result.error}` : ''}`);
  }
  return { outcome: result.state === 'WARNING' ? 'WARNING' : 'SUCCESS', result: outputs };
}
