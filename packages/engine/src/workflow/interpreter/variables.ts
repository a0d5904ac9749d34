// Kestra's run-time variables (RunVariables in Kestra's source): what expressions can read, and the
// outputs and task states that feed them as the execution goes.
import { findFunctionCalls, findReferences, namespaceFileUri, render } from '@baton/flow/expressions';
import { nestInputs } from '@baton/flow/input-dependencies';
import type { TaskSpec } from '@baton/flow/model';
import type { State } from '../../states';
import type { ExecutionInput, RenderContext } from '../contracts';
import { errorMessage, type TaskRunEvent } from './outcomes';
import { ROOT, valueKey, type Scope } from './scope';
import type { SecretInputs } from './secret-inputs';

export class Variables {
  readonly outputs: Record<string, unknown> = {};
  /** Kestra's `tasks`: each task's state so far, keyed by loop value inside ForEach. */
  readonly taskStates: Record<string, unknown> = {};
  /**
   * Kestra's `vars`: the flow's `variables`, then what SetVariables and UnsetVariables changed as
   * the execution went (copied, so the plan itself never changes).
   */
  private runtimeVars: Record<string, unknown> | undefined;
  /** Labels added at run time by Labels tasks, over the flow's and the start's. */
  private runtimeLabels: Record<string, string> = {};
  private readonly outputNeeds = new WeakMap<TaskSpec, Set<string> | 'all'>();
  private readonly taskStateReaders = new WeakMap<TaskSpec, boolean>();

  constructor(
    private readonly input: ExecutionInput,
    private readonly startDate: string,
    /** The execution's state now (`execution.state`). */
    private readonly state: () => State,
    private readonly now: () => string,
    /** SECRET inputs: tainted in the workflow's expressions, handed to activities. */
    readonly secrets?: SecretInputs,
  ) {}

  /** Render options that taint SECRET inputs and collect what is derived from them. */
  private taint() {
    return this.secrets ? { secretValues: this.secrets.values, onSecretValue: this.secrets.note } : {};
  }

  /** Outputs of a task run that succeeded before a restart. */
  restoreOutputs(taskId: string, value: string | undefined, outputs: Record<string, unknown>) {
    if (value === undefined) this.outputs[taskId] = outputs;
    else ((this.outputs[taskId] ??= {}) as Record<string, unknown>)[value] = outputs;
  }

  setOutput(taskId: string, scope: Scope, result: unknown) {
    if (result === undefined) return;
    if (!scope.values.length) {
      this.outputs[taskId] = result;
      return;
    }
    // Inside ForEach, outputs are keyed by the loop value(s): outputs.task[value].prop
    let node = (this.outputs[taskId] ??= {}) as Record<string, unknown>;
    scope.values.forEach((v, i) => {
      const key = valueKey(v);
      if (i === scope.values.length - 1) node[key] = result;
      else node = (node[key] ??= {}) as Record<string, unknown>;
    });
  }

  /** SetVariables: deep-merges `values` into `vars`; with overwrite false, an existing name is an error. */
  setVariables(values: Record<string, unknown>, overwrite: boolean) {
    const current = this.currentVars();
    if (!overwrite) {
      const existing = Object.keys(values).filter((k) => k in current);
      if (existing.length) throw new Error(`\`overwrite\` is set to false and the following variables already exist: ${existing.join(',')}`);
    }
    this.runtimeVars = deepMergeVars(current, values);
  }

  /** UnsetVariables: removes names (dotted paths reach into maps); a missing one is an error unless ignored. */
  unsetVariables(names: string[], ignoreMissing: boolean) {
    // JSON copy: structuredClone does not exist in Temporal's workflow sandbox, and vars are JSON.
    const next = JSON.parse(JSON.stringify(this.currentVars())) as Record<string, unknown>;
    for (const name of names) {
      const path = name.split('.');
      let node: unknown = next;
      for (const key of path.slice(0, -1)) node = isMap(node) ? node[key] : undefined;
      const last = path[path.length - 1];
      if (!isMap(node) || !(last in node)) {
        if (ignoreMissing) continue;
        throw new Error(`variable '${name}' is not set; set ignoreMissing: true to skip names that are not there`);
      }
      delete node[last];
    }
    this.runtimeVars = next;
  }

  /** The execution's labels now: the flow's, the start's, then what Labels tasks added. */
  labels(): Record<string, string> {
    return { ...this.input.plan.labels, ...this.input.labels, ...this.runtimeLabels };
  }

  addLabels(labels: Record<string, string>) {
    this.runtimeLabels = { ...this.runtimeLabels, ...labels };
  }

  private currentVars(): Record<string, unknown> {
    return this.runtimeVars ?? this.input.plan.variables;
  }

  /** Records a task run's state for the `tasks` variable (keyed by loop value inside ForEach). */
  noteTaskState(taskId: string, value: string | undefined, state: State) {
    if (value === undefined) this.taskStates[taskId] = { state };
    else ((this.taskStates[taskId] ??= {}) as Record<string, unknown>)[value] = { state };
  }

  /** The variables of one task run. */
  context(scope: Scope, taskRunId: string, task?: TaskSpec, startDate = this.now()): RenderContext {
    const { input } = this;
    const plan = input.plan;
    const parents = (scope.parents ?? []).map((p) => (p.value === undefined ? { task: { id: p.taskId } } : { task: { id: p.taskId }, taskrun: { value: p.value } }));
    return {
      inputs: nestInputs(input.inputs),
      outputs: this.outputs,
      vars: this.runtimeVars ?? plan.variables,
      labels: this.labels(),
      flow: { id: plan.id, namespace: plan.namespace, revision: plan.revision, tenantId: input.tenant },
      execution: { id: input.executionId, startDate: this.startDate, originalId: input.originalId ?? input.labels['system.replayOf'] ?? input.executionId, state: this.state() },
      task: { id: task?.id ?? '', type: task?.type ?? '' },
      taskrun: { id: taskRunId, startDate, value: scope.values[scope.values.length - 1], attemptsCount: 0, parentId: scope.parentTaskRunId },
      parents,
      parent: parents[0],
      tasks: this.taskStates,
      // Kestra's `trigger`: what the trigger that started the execution knew (absent for a manual start).
      ...(input.trigger ? { trigger: input.trigger.variables } : {}),
    };
  }

  /**
   * What a runnable task's activity receives: only the outputs its properties refer to (and the
   * task states only if it reads them), so Temporal history grows with what tasks use, not with
   * everything the execution produced so far.
   */
  forActivity(task: TaskSpec, scope: Scope, run: TaskRunEvent): RenderContext {
    return { ...this.context(scope, run.id, task, run.at), outputs: this.outputsFor(task), tasks: this.readsTaskStates(task) ? this.taskStates : {} };
  }

  /** What an activity must mask and taint: SECRET input values and what was derived from them. */
  secretValues(): string[] | undefined {
    const values = this.secrets?.values ?? [];
    return values.length ? values : undefined;
  }

  /**
   * Renders a flowable's property in the workflow, where secret() and credential() are refused.
   * `taskrun` adds run-time variables of that one render (ForEachItem's `taskrun.items`).
   */
  render(value: unknown, scope: Scope, taskRunId: string, task: TaskSpec, property: string, taskrun?: Record<string, unknown>): unknown {
    const context = this.context(scope, taskRunId, task);
    if (taskrun) context.taskrun = { ...context.taskrun, ...taskrun };
    return render(value, context as unknown as Record<string, unknown>, {
      location: { taskId: task.id, property },
      ...this.taint(),
      functions: {
        fileURI: (path: unknown) => namespaceFileUri(this.input.plan.namespace, path),
        secret: () => {
          throw new Error(`secret() is only available in the properties of runnable tasks, not in ${task.type}.${property}`);
        },
        // Tokens are minted in the activity only: here they would enter Temporal history.
        credential: () => {
          throw new Error(`credential() is only available in the properties of runnable tasks, not in ${task.type}.${property}`);
        },
      },
    });
  }

  /** A flow-level expression (the flow's lock keys): inputs, vars, labels, no task. */
  renderFlow(value: unknown, property: string): unknown {
    return render(value, this.context(ROOT, 'execution') as unknown as Record<string, unknown>, { location: { property }, ...this.taint() });
  }

  flowOutputs(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const o of this.input.plan.outputs) {
      try {
        out[o.id] = render(o.value, this.context(ROOT, 'outputs') as unknown as Record<string, unknown>, { location: { property: `outputs.${o.id}` }, ...this.taint() });
      } catch (error) {
        // An output that cannot be computed fails the execution with the reason; never a silent null.
        throw new Error(`flow output '${o.id}' could not be rendered: ${errorMessage(error)}`);
      }
    }
    // Flow outputs leave the execution (API, a parent flow's task outputs): SECRET inputs masked.
    return this.secrets ? this.secrets.mask(out) : out;
  }

  private outputsFor(task: TaskSpec): Record<string, unknown> {
    let needs = this.outputNeeds.get(task);
    if (!needs) {
      try {
        const refs = findReferences(task.props).filter((r) => r[0] === 'outputs');
        const dynamic = refs.some((r) => r.length < 2) || findFunctionCalls(task.props, ['render']).length > 0;
        needs = dynamic ? 'all' : new Set(refs.map((r) => r[1]));
      } catch {
        needs = 'all';
      }
      this.outputNeeds.set(task, needs);
    }
    if (needs === 'all') return this.outputs;
    const out: Record<string, unknown> = {};
    for (const id of needs) if (id in this.outputs) out[id] = this.outputs[id];
    return out;
  }

  /** Only tasks that read `tasks` (or render dynamically) get the states: history stays small. */
  private readsTaskStates(task: TaskSpec): boolean {
    let reads = this.taskStateReaders.get(task);
    if (reads === undefined) {
      try {
        reads = findReferences(task.props).some((r) => r[0] === 'tasks') || findFunctionCalls(task.props, ['render']).length > 0;
      } catch {
        reads = true;
      }
      this.taskStateReaders.set(task, reads);
    }
    return reads;
  }
}

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Kestra's MapUtils.deepMerge: maps merge key by key, anything else replaces. */
function deepMergeVars(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) out[key] = isMap(out[key]) && isMap(value) ? deepMergeVars(out[key] as Record<string, unknown>, value) : value;
  return out;
}
