// The scheduler of one Schedule trigger: a long-running workflow that sleeps on a durable timer
// until the next fire time, then asks an activity to fire what is due. Temporal keeps the timer
// through restarts of any Baton process; the activity's deterministic execution ids keep a fire
// from starting twice. Why a workflow per trigger and not Temporal Schedules: docs/triggers.md.
import * as wf from '@temporalio/workflow';
import { SCHEDULE_WAKE_SIGNAL, type ScheduleRef, type TriggerActivities } from './trigger-contracts';

const { evaluateSchedule } = wf.proxyActivities<TriggerActivities>({
  startToCloseTimeout: '1m',
  // Temporal unreachable from the activity, PostgreSQL down: keep trying, the fire is idempotent.
  retry: { initialInterval: '1s', maximumInterval: '1m' },
});

export const wakeSignal = wf.defineSignal(SCHEDULE_WAKE_SIGNAL);

/** Evaluations per run before continue-as-new keeps the history short. */
const EVALUATIONS_PER_RUN = 200;
/** Without a next fire time (a cron that has none left), look again daily. */
const IDLE_MS = 24 * 3600_000;

export async function scheduleTriggerWorkflow(ref: ScheduleRef): Promise<void> {
  let woken = false;
  wf.setHandler(wakeSignal, () => {
    woken = true;
  });
  for (let i = 0; i < EVALUATIONS_PER_RUN; i++) {
    woken = false;
    const { next, stop } = await evaluateSchedule(ref);
    if (stop) return;
    // At least 1 ms: a zero timeout would mean "no timeout" to condition().
    const wait = next ? Math.max(1, Date.parse(next) - Date.now()) : IDLE_MS;
    // A durable timer; a wake signal (flow saved, trigger enabled) cuts it short.
    await wf.condition(() => woken, wait);
  }
  await wf.continueAsNew<typeof scheduleTriggerWorkflow>(ref);
}
