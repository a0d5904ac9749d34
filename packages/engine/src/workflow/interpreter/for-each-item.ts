// Kestra's ForEachItem: one subflow execution per batch of an items file. As in Kestra it runs as
// three internal task runs under the ForEachItem task run, so their outputs are where Kestra users
// look for them:
//   <id>_split  cuts the file into batch files           outputs.<id>_split.splits (a file of URIs)
//   <id>_items  starts a subflow per batch, waits         outputs.<id>_items.numberOfBatches, iterations
//   <id>_merge  gathers the subflows' outputs in a file   outputs.<id>_merge.subflowOutputs
// The file work is done by activities (effects splitItems and mergeSubflowOutputs): no I/O here.
import type { TaskSpec } from '@baton/flow/model';
import type { ExecutionResult, ItemsTaskRun } from '../contracts';
import type { ChildExecution } from './effects';
import type { Flowable, FlowableRun } from './flowables';
import { errorMessage, TaskFailure, truthy, type TaskEnd } from './outcomes';
import { valueKey } from './scope';

export const FOR_EACH_ITEM_INTERNAL = {
  split: { suffix: '_split', pluginId: 'core.ForEachItem.Split', type: 'io.kestra.plugin.core.flow.ForEachItem$ForEachItemSplit' },
  items: { suffix: '_items', pluginId: 'core.ForEachItem.Executable', type: 'io.kestra.plugin.core.flow.ForEachItem$ForEachItemExecutable' },
  merge: { suffix: '_merge', pluginId: 'core.ForEachItem.Merge', type: 'io.kestra.plugin.core.flow.ForEachItem$ForEachItemMergeOutputs' },
} as const;

/** The same three TaskSpec objects for a ForEachItem every time (caches key on them). */
const internalTasks = new WeakMap<TaskSpec, TaskSpec[]>();

function tasksOf(task: TaskSpec): TaskSpec[] {
  let tasks = internalTasks.get(task);
  if (!tasks) {
    // Each internal task carries the ForEachItem's raw properties and renders those it needs.
    tasks = Object.values(FOR_EACH_ITEM_INTERNAL).map(({ suffix, pluginId, type }) => ({
      id: task.id + suffix,
      type,
      pluginId,
      kind: 'flowable' as const,
      props: { ...task.props, forEachItemId: task.id },
      activity: {},
    }));
    internalTasks.set(task, tasks);
  }
  return tasks;
}

/** An earlier sibling's outputs in the same scope (keyed by the loop values inside ForEach). */
function siblingOutputs(f: FlowableRun, suffix: string): Record<string, unknown> | undefined {
  let node = f.s.vars.outputs[String(f.task.props.forEachItemId) + suffix];
  for (const value of f.scope.values) node = (node as Record<string, unknown> | undefined)?.[valueKey(value)];
  return node as Record<string, unknown> | undefined;
}

function taskRunRef(f: FlowableRun): ItemsTaskRun {
  const { input } = f.s;
  return { tenant: input.tenant, namespace: input.plan.namespace, flowId: input.plan.id, executionId: input.executionId, taskId: f.task.id, taskRunId: f.run.id };
}

const flag = (f: FlowableRun, name: string, fallback: boolean) => (f.task.props[name] === undefined ? fallback : truthy(f.prop(name)));

function toInteger(value: unknown, name: string, taskId: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new TaskFailure(taskId, `${taskId}: batch.${name} must be a positive integer, got ${JSON.stringify(value)}`);
  return n;
}

async function runSplit(f: FlowableRun): Promise<TaskEnd> {
  const items = f.prop('items');
  if (typeof items !== 'string' || !items.startsWith('kestra://')) {
    throw new TaskFailure(f.task.id, `Unable to split the items from ${String(items)}, this is not an internal storage URI!`);
  }
  const batch = (f.task.props.batch === undefined ? {} : f.prop('batch')) as Record<string, unknown>;
  if (typeof batch !== 'object' || batch === null || Array.isArray(batch))
    throw new TaskFailure(f.task.id, `${f.task.id}: batch must be a map (rows, bytes, partitions, separator)`);
  const split = await f.s.fx.splitItems({
    ...taskRunRef(f),
    items,
    batch: {
      rows: toInteger(batch.rows, 'rows', f.task.id),
      partitions: toInteger(batch.partitions, 'partitions', f.task.id),
      ...(batch.bytes === undefined || batch.bytes === null ? {} : { bytes: batch.bytes as string | number }),
      ...(batch.separator === undefined || batch.separator === null ? {} : { separator: String(batch.separator) }),
    },
  });
  return { outcome: 'SUCCESS', result: { splits: split.splits, uris: split.uris } };
}

/** Labels given as a map or as a list of {key, value}, as in Kestra. */
function labelsOf(raw: unknown): Record<string, string> {
  if (raw === undefined || raw === null) return {};
  const entries = Array.isArray(raw) ? raw.map((l: { key?: unknown; value?: unknown }) => [String(l?.key), l?.value] as const) : Object.entries(raw as Record<string, unknown>);
  return Object.fromEntries(entries.map(([k, v]) => [k, typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v ?? '')]));
}

async function runItems(f: FlowableRun): Promise<TaskEnd> {
  const { task, s } = f;
  const uris = (siblingOutputs(f, FOR_EACH_ITEM_INTERNAL.split.suffix)?.uris as string[] | undefined) ?? [];
  // No items, no subflow: the task run ends with no outputs (as in Kestra).
  if (!uris.length) return { outcome: 'SUCCESS' };
  const namespace = String(f.prop('namespace'));
  const flowId = String(f.prop('flowId'));
  const wait = flag(f, 'wait', true);
  const transmitFailed = flag(f, 'transmitFailed', true);
  const inherited = flag(f, 'inheritLabels', false) ? Object.fromEntries(Object.entries(s.vars.labels()).filter(([k]) => !k.startsWith('system.'))) : {};
  const labels = { ...inherited, ...labelsOf(task.props.labels === undefined ? undefined : f.prop('labels')) };
  const numberOfBatches = uris.length;

  // Every batch's subflow is started before any is waited for (Kestra starts them all at once).
  const started = await Promise.all(
    uris.map(async (uri, iteration) => {
      let inputs: Record<string, unknown> = {};
      if (task.props.inputs !== undefined) {
        try {
          inputs = s.vars.render(task.props.inputs, f.scope, f.run.id, task, 'inputs', { items: uri, iteration }) as Record<string, unknown>;
        } catch (error) {
          throw new TaskFailure(task.id, `${task.id}: inputs of iteration ${iteration}: ${errorMessage(error)}`);
        }
      }
      const childInput = await s.fx.prepareSubflow({
        tenant: s.input.tenant,
        namespace,
        flowId,
        revision: task.props.revision as number | undefined,
        inputs,
        labels,
        parent: { executionId: s.input.executionId, taskRunId: f.run.id },
        ...(s.vars.secretValues() ? { secretValues: s.vars.secretValues() } : {}),
      });
      const child: ChildExecution = await s.fx.startChild(childInput, { wait });
      return { executionId: childInput.executionId, child };
    }),
  );
  const executionIds = started.map((c) => c.executionId);
  // Without wait, Kestra counts each started subflow as a success of this task.
  if (!wait) return { outcome: 'SUCCESS', result: { numberOfBatches, iterations: { RUNNING: 0, SUCCESS: numberOfBatches }, executionIds } };

  // Kestra's `iterations`: how many subflows are in each state, kept up to date as they end.
  const iterations: Record<string, number> = { CREATED: 0, RUNNING: numberOfBatches };
  const outputs = () => ({ numberOfBatches, iterations: { ...iterations }, executionIds });
  await s.life.project([{ ...f.run, state: 'RUNNING', at: s.life.at(), outputs: outputs() }]);
  // Each update is projected after the one before it: two subflows ending together must not have
  // their snapshots written out of order (an older count landing last).
  let updates = Promise.resolve();
  const results: ExecutionResult[] = await Promise.all(
    started.map(async ({ child }) => {
      const result = await child.result();
      iterations.RUNNING--;
      iterations[result.state] = (iterations[result.state] ?? 0) + 1;
      const snapshot = outputs();
      updates = updates.then(() => s.life.project([{ ...f.run, state: 'RUNNING', at: s.life.at(), outputs: snapshot }]));
      await updates;
      return result;
    }),
  );
  const failed = results.map((r, i) => ({ ...r, iteration: i })).filter((r) => r.state !== 'SUCCESS' && r.state !== 'WARNING');
  if (failed.length && transmitFailed) {
    const first = failed[0];
    throw new TaskFailure(
      task.id,
      `${task.id}: ${failed.length} of ${numberOfBatches} subflow executions of ${namespace}.${flowId} did not succeed; iteration ${first.iteration} ended ${first.state}${first.error ? `: ${first.error}` : ''}`,
      false,
      // The failed task run keeps the final counts.
      outputs(),
    );
  }
  return { outcome: results.some((r) => r.state === 'WARNING') ? 'WARNING' : 'SUCCESS', result: outputs() };
}

async function runMerge(f: FlowableRun): Promise<TaskEnd> {
  const items = siblingOutputs(f, FOR_EACH_ITEM_INTERNAL.items.suffix);
  const executionIds = (items?.executionIds as string[] | undefined) ?? [];
  // No subflow, or subflows not waited for: nothing to gather (Kestra: no outputs).
  if (!executionIds.length || !flag(f, 'wait', true)) return { outcome: 'SUCCESS' };
  const merged = await f.s.fx.mergeSubflowOutputs({ ...taskRunRef(f), executionIds });
  return { outcome: 'SUCCESS', result: merged.subflowOutputs ? { subflowOutputs: merged.subflowOutputs } : undefined };
}

export const FOR_EACH_ITEM_FLOWABLES: Record<string, Flowable> = {
  'core.ForEachItem': {
    childLists: [],
    retriesBlock: true,
    run: async (f) => {
      const result = await f.s.runList(tasksOf(f.task), f.child);
      if (result.outcome === 'FAILED') throw new TaskFailure(f.task.id, result.error ?? `${f.task.id}: a child task failed`, true);
      return { outcome: result.outcome };
    },
  },
  [FOR_EACH_ITEM_INTERNAL.split.pluginId]: { childLists: [], retriesBlock: false, run: runSplit },
  [FOR_EACH_ITEM_INTERNAL.items.pluginId]: { childLists: [], retriesBlock: false, run: runItems },
  [FOR_EACH_ITEM_INTERNAL.merge.pluginId]: { childLists: [], retriesBlock: false, run: runMerge },
};
