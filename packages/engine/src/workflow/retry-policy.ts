import type { RetryPolicy } from '@temporalio/common';
import type { RetrySpec, TaskSpec } from '@baton/flow/model';
import { parseDuration } from '@baton/plugin-sdk/duration';

const ms = (iso: string | undefined) => (iso ? parseDuration(iso) : undefined);

/**
 * Maps a task's retry (Kestra's shape) onto a Temporal retry policy. Without a task or flow retry,
 * the plugin's own default applies; without that, one attempt (Kestra does not retry by default).
 * `random` has no Temporal equivalent: it becomes a bounded backoff between minInterval and
 * maxInterval (coefficient 1.5), which keeps the spirit (spread retries) deterministically.
 */
export function toRetryPolicy(task: TaskSpec, flowRetry: RetrySpec | undefined): { policy: RetryPolicy; maxDurationMs?: number } {
  const spec = task.retry ?? flowRetry;
  if (!spec) {
    const plugin = task.activity.retry;
    return {
      policy: {
        maximumAttempts: plugin?.maxAttempt ?? 1,
        initialInterval: ms(plugin?.interval) ?? 1000,
        maximumInterval: ms(plugin?.maxInterval) ?? 30_000,
        backoffCoefficient: plugin?.backoffCoefficient ?? 2,
        nonRetryableErrorTypes: ['NonRetryable'],
      },
    };
  }
  const interval = ms(spec.interval) ?? ms(spec.minInterval) ?? 1000;
  const policy: RetryPolicy = {
    maximumAttempts: spec.maxAttempt ?? (spec.maxDuration ? 0 : 3),
    initialInterval: interval,
    nonRetryableErrorTypes: ['NonRetryable'],
  };
  if (spec.type === 'constant') {
    policy.backoffCoefficient = 1;
    policy.maximumInterval = interval;
  } else if (spec.type === 'exponential') {
    policy.backoffCoefficient = spec.delayFactor ?? 2;
    policy.maximumInterval = ms(spec.maxInterval) ?? interval * 100;
  } else {
    policy.backoffCoefficient = 1.5;
    policy.maximumInterval = ms(spec.maxInterval) ?? interval * 10;
  }
  return { policy, maxDurationMs: ms(spec.maxDuration) };
}
