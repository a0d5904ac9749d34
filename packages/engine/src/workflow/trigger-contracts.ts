// Contracts of the trigger scheduler workflow (docs/triggers.md), shared by the workflow bundle,
// the activities and the services that start it. No I/O here: the bundle imports it.

/** One Schedule trigger of one flow. */
export interface ScheduleRef {
  tenant: string;
  namespace: string;
  flowId: string;
  triggerId: string;
}

export const SCHEDULE_WORKFLOW_NAME = 'scheduleTriggerWorkflow';
/** Sent when the flow is saved or deleted, a trigger is enabled, or a test wants a re-evaluation now. */
export const SCHEDULE_WAKE_SIGNAL = 'wake';

/** One scheduler workflow per flow trigger; its id names it, so a second start only signals it. */
export function scheduleWorkflowId(ref: ScheduleRef): string {
  return `trigger-schedule/${ref.tenant}/${ref.namespace}/${ref.flowId}/${ref.triggerId}`;
}

export interface ScheduleEvaluation {
  /** When to evaluate again (the next fire time); absent: the trigger is gone and the workflow ends. */
  next?: string;
  stop?: boolean;
}

export const POLLING_WORKFLOW_NAME = 'pollingTriggerWorkflow';

/** One poller workflow per polling trigger of a flow (same wake signal as a scheduler). */
export function pollingWorkflowId(ref: ScheduleRef): string {
  return `trigger-polling/${ref.tenant}/${ref.namespace}/${ref.flowId}/${ref.triggerId}`;
}

/** How a polling trigger is polled now (read again after each wake signal: the flow may have changed). */
export interface PollingPlan {
  /** The trigger is gone: the workflow ends. */
  stop?: boolean;
  intervalMs: number;
  /** The worker group's task queue the poll runs on (the default queue without workerGroup). */
  taskQueue: string;
}

export interface PollOutcome {
  stop?: boolean;
  /** Executions started by this poll (tests and the history read them). */
  started: number;
  /** The poll listened for events for its interval: poll again at once (PollResult.listened). */
  again?: boolean;
}

export interface TriggerActivities {
  /** Fires what is due (deterministic execution ids: never twice) and says when to wake next. */
  evaluateSchedule(ref: ScheduleRef): Promise<ScheduleEvaluation>;
  /** Where and how often a polling trigger polls. */
  describePolling(ref: ScheduleRef): Promise<PollingPlan>;
  /** One poll: the plugin's poll from the stored checkpoint, one execution per event, the new checkpoint stored. */
  pollTrigger(ref: ScheduleRef): Promise<PollOutcome>;
}
