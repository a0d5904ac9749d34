// The poller of one polling trigger (a plugin's VmEventTrigger...): the Schedule trigger's design
// with a fixed interval. A durable timer between polls; each poll is an activity on the trigger's
// worker group queue, so it runs next to the system it watches and waits in the queue while that
// worker is down. The checkpoint lives in PostgreSQL, not in this workflow's state: the activity
// reads it, starts the executions (ids derived from the events) and only then stores the new one,
// so a poll retried after any crash finds the same events and starts nothing twice.
import * as wf from '@temporalio/workflow';
import { SCHEDULE_WAKE_SIGNAL, type PollingPlan, type ScheduleRef, type TriggerActivities } from './trigger-contracts';

const RETRY = { initialInterval: '1s', maximumInterval: '1m' };
const { describePolling } = wf.proxyActivities<TriggerActivities>({ startToCloseTimeout: '1m', retry: RETRY });

export const pollingWakeSignal = wf.defineSignal(SCHEDULE_WAKE_SIGNAL);

/** Polls per run before continue-as-new keeps the history short. */
const POLLS_PER_RUN = 200;

export async function pollingTriggerWorkflow(ref: ScheduleRef): Promise<void> {
  let woken = false;
  wf.setHandler(pollingWakeSignal, () => {
    woken = true;
  });
  let plan: PollingPlan = await describePolling(ref);
  for (let i = 0; i < POLLS_PER_RUN; i++) {
    if (plan.stop) return;
    // No scheduleToStart timeout: with the group's worker down the poll waits for it, and the
    // change it finds then is the one that happened meanwhile.
    // The activity heartbeats while it runs: a poll on a worker that died is retried within
    // seconds rather than after the start-to-close timeout.
    const { pollTrigger } = wf.proxyActivities<TriggerActivities>({ taskQueue: plan.taskQueue, startToCloseTimeout: '2m', heartbeatTimeout: '10s', retry: RETRY });
    woken = false;
    const outcome = await pollTrigger(ref);
    if (outcome.stop) return;
    // A poll that listened to events for its interval is followed at once by the next one (it was
    // the wait); a failed poll returns without `again`, so a broken connection is retried at the interval.
    if (!outcome.again) await wf.condition(() => woken, Math.max(1, plan.intervalMs));
    // Flow saved, trigger enabled or disabled: read the interval and the group again.
    if (woken) plan = await describePolling(ref);
  }
  await wf.continueAsNew<typeof pollingTriggerWorkflow>(ref);
}
