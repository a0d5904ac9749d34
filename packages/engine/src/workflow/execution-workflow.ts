// The execution workflow: the Temporal adapter of the interpreter (./interpreter). It implements
// the interpreter's Effects with @temporalio/workflow and wires the resume signal and status query.
// No I/O and no Node built-ins here: everything with side effects goes through activities
// (projection to PostgreSQL included).
import * as wf from '@temporalio/workflow';
import { ActivityCancellationType } from '@temporalio/common';
import type { State } from '../states';
import { RESUME_SIGNAL, STATUS_QUERY, WORKFLOW_NAME, type EngineActivities, type ExecutionInput, type ExecutionResult, type ResumeSignal } from './contracts';
import type { Effects } from './interpreter/effects';
import { Interpreter } from './interpreter/interpreter';
import { searchAttributesFor } from '../services/search-attributes';

export const resumeSignal = wf.defineSignal<[ResumeSignal]>(RESUME_SIGNAL);
export const statusQuery = wf.defineQuery<{ state: State; running: string[] }>(STATUS_QUERY);

const { project } = wf.proxyLocalActivities<EngineActivities>({
  startToCloseTimeout: '30s',
  retry: { maximumAttempts: 20, initialInterval: '200ms', maximumInterval: '5s' },
});
const { acquireSlot, prepareSubflow } = wf.proxyActivities<EngineActivities>({
  startToCloseTimeout: '1m',
  retry: { maximumAttempts: 10, initialInterval: '500ms' },
});

/** How long a kill waits for running activities to acknowledge before the workflow ends anyway. */
const KILL_GRACE_MS = 10_000;

// Each effect hands back the SDK's own promise (no extra async layer), so concurrent branches
// schedule Temporal commands in the order they always did: histories replay.
const temporalEffects: Effects = {
  project,
  acquireSlot,
  prepareSubflow,
  runTask: (input, options) => {
    const activities = wf.proxyActivities<EngineActivities>({
      taskQueue: options.taskQueue,
      startToCloseTimeout: options.startToCloseTimeoutMs,
      scheduleToCloseTimeout: options.scheduleToCloseTimeoutMs,
      heartbeatTimeout: options.heartbeatTimeoutMs,
      retry: options.retry,
      cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
    });
    const cancelled = wf.CancellationScope.current();
    // A kill must not wait forever on an activity whose worker is gone: after the grace period
    // the workflow stops waiting (Temporal still times the activity out on its own).
    // Beware: cancelRequested *rejects* on a kill, so this race ends at once and the grace timer
    // never starts; the activity still records its own KILLED attempt. Kept as it was so that
    // histories of killed executions replay; waiting for the acknowledgement is a separate change.
    return Promise.race([
      activities.runTask(input),
      cancelled.cancelRequested.then(() => wf.sleep(KILL_GRACE_MS)).then(() => {
        throw new wf.CancelledFailure('killed: the task did not stop within the grace period');
      }),
    ]);
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
};

export async function executionWorkflow(input: ExecutionInput): Promise<ExecutionResult> {
  const interpreter = new Interpreter(input, temporalEffects);
  wf.setHandler(resumeSignal, (signal) => {
    interpreter.resume(signal);
  });
  wf.setHandler(statusQuery, () => interpreter.status());
  return interpreter.run();
}
