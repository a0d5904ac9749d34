// The execution workflow: the Temporal adapter of the interpreter (./interpreter). It implements
// the interpreter's Effects with @temporalio/workflow and wires the resume signal and status query.
// No I/O and no Node built-ins here: everything with side effects goes through activities
// (projection to PostgreSQL included).
import * as wf from '@temporalio/workflow';
import { ActivityCancellationType } from '@temporalio/common';
import type { State } from '../states';
import {
  KILL_SWITCH_CANCEL_SIGNAL,
  RESUME_SIGNAL,
  STATUS_QUERY,
  WORKFLOW_NAME,
  type EngineActivities,
  type ExecutionInput,
  type ExecutionResult,
  type KillSwitchCancelSignal,
  type ResumeSignal,
} from './contracts';
import type { Effects } from './interpreter/effects';
import { Interpreter } from './interpreter/interpreter';
import { KILL_GRACE_EXPIRED } from './interpreter/outcomes';
import { searchAttributesFor } from '../services/search-attributes';

export const resumeSignal = wf.defineSignal<[ResumeSignal]>(RESUME_SIGNAL);
/**
 * A CANCEL kill switch (docs/kill-switch.md). Its handler only sets a flag the interpreter reads
 * before the next task, in a Pause and in a concurrency queue: no command is issued until then,
 * and a history without the signal replays as before (no patch needed).
 */
export const killSwitchCancelSignal = wf.defineSignal<[KillSwitchCancelSignal]>(KILL_SWITCH_CANCEL_SIGNAL);
export const statusQuery = wf.defineQuery<{ state: State; running: string[] }>(STATUS_QUERY);

const { project } = wf.proxyLocalActivities<EngineActivities>({
  startToCloseTimeout: '30s',
  retry: { maximumAttempts: 20, initialInterval: '200ms', maximumInterval: '5s' },
});
const { acquireSlot, prepareSubflow, acquireLocks, releaseLocks } = wf.proxyActivities<EngineActivities>({
  startToCloseTimeout: '1m',
  retry: { maximumAttempts: 10, initialInterval: '500ms' },
});
// ForEachItem's file work: a file of up to 64 MiB read and written again, so a longer timeout.
const { splitItems, mergeSubflowOutputs } = wf.proxyActivities<EngineActivities>({
  startToCloseTimeout: '5m',
  retry: { maximumAttempts: 5, initialInterval: '1s' },
});

// A notification is worth a few tries, not a stuck pause: the pause waits whatever happens.
const { notifyApprovers } = wf.proxyActivities<EngineActivities>({
  startToCloseTimeout: '30s',
  retry: { maximumAttempts: 3, initialInterval: '1s' },
});

/** How long a kill waits for running activities to acknowledge before the workflow ends anyway. */
const KILL_GRACE_MS = 10_000;

/**
 * Marks histories in which a kill waits for the running task (up to KILL_GRACE_MS). Histories
 * written before had the kill end the wait at once (cancelRequested rejects, so the old grace
 * timer never started); without the marker they replay that way.
 */
export const KILL_WAITS_FOR_TASK_PATCH = 'kill-waits-for-task';

// Each effect hands back the SDK's own promise (no extra async layer), so concurrent branches
// schedule Temporal commands in the order they always did: histories replay.
const temporalEffects: Effects = {
  project,
  acquireSlot,
  acquireLocks,
  releaseLocks,
  prepareSubflow,
  splitItems,
  mergeSubflowOutputs,
  notifyApprovers,
  runTask: (input, options) => {
    const activities = wf.proxyActivities<EngineActivities>({
      taskQueue: options.taskQueue,
      startToCloseTimeout: options.startToCloseTimeoutMs,
      scheduleToCloseTimeout: options.scheduleToCloseTimeoutMs,
      heartbeatTimeout: options.heartbeatTimeoutMs,
      retry: options.retry,
      cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
    });
    const scope = wf.CancellationScope.current();
    const ran = activities.runTask(input);
    let settled = false;
    ran.then(
      () => (settled = true),
      () => (settled = true),
    );
    // A kill cancels the scope: the activity is asked to stop (it sees it on its next heartbeat,
    // aborts its work and records its attempt KILLED), and `ran` rejects once it acknowledged.
    // cancelRequested *rejects* when the kill arrives; the grace timer must therefore start in
    // its rejection handler, and in a scope of its own, since a timer in the cancelled scope
    // would be cancelled at once. After the grace period the workflow stops waiting for a task
    // whose worker is gone or stuck (Temporal still times the activity out on its own).
    const graceOver = scope.cancelRequested.catch((kill: unknown) => {
      // A task that already ended needs no grace (and must not start a timer).
      if (settled || !wf.patched(KILL_WAITS_FOR_TASK_PATCH)) throw kill;
      return wf.CancellationScope.nonCancellable(() => wf.sleep(KILL_GRACE_MS)).then(() => {
        throw new wf.CancelledFailure(`${KILL_GRACE_EXPIRED} ${KILL_GRACE_MS / 1000} s grace period after the kill; it may still be running on its worker`);
      });
    });
    return Promise.race([ran, graceOver]);
  },
  startChild: (input, { wait }) =>
    wf.startChild(WORKFLOW_NAME, {
      workflowId: input.executionId,
      args: [input],
      parentClosePolicy: wait ? wf.ParentClosePolicy.TERMINATE : wf.ParentClosePolicy.ABANDON,
      typedSearchAttributes: searchAttributesFor(input.tenant, input.plan.namespace, input.plan.id),
      cancellationType: wf.ChildWorkflowCancellationType.WAIT_CANCELLATION_COMPLETED,
    }),
  sleep: (ms) => wf.sleep(ms),
  condition: wf.condition,
  uuid: () => wf.uuid4(),
  now: () => Date.now(),
  isCancellation: (error) => wf.isCancellation(error),
  nonCancellable: (fn) => wf.CancellationScope.nonCancellable(fn),
  patched: (id) => wf.patched(id),
};

export async function executionWorkflow(input: ExecutionInput): Promise<ExecutionResult> {
  const interpreter = new Interpreter(input, temporalEffects);
  wf.setHandler(resumeSignal, (signal) => {
    interpreter.resume(signal);
  });
  wf.setHandler(killSwitchCancelSignal, (signal) => {
    interpreter.cancelBySwitch(signal);
  });
  wf.setHandler(statusQuery, () => interpreter.status());
  return interpreter.run();
}
