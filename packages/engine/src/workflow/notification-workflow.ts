// Sends one end-of-execution notification (docs/notifications.md). A workflow, not a call made
// while projecting the end: Temporal retries the send with backoff while the receiver is down, a
// worker restart does not lose it, and its id keeps it from being sent twice.
import * as wf from '@temporalio/workflow';
import type { EndNotificationRequest, EndNotificationResult, NotificationActivities } from './notification-contracts';

const { sendEndNotification } = wf.proxyActivities<NotificationActivities>({
  startToCloseTimeout: '2m',
  // A receiver that is down or rate limiting gets about ten minutes; a wrong URL or password fails at once.
  retry: { initialInterval: '2s', backoffCoefficient: 2, maximumInterval: '2m', maximumAttempts: 8, nonRetryableErrorTypes: ['NonRetryable'] },
});

export async function endNotificationWorkflow(request: EndNotificationRequest): Promise<EndNotificationResult> {
  return sendEndNotification(request);
}
