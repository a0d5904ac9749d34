// Contracts of the end-of-execution notification workflow (docs/notifications.md), shared by the
// workflow bundle, the worker's activities and the code that starts it. No I/O here.

/** One entry of a flow's `notifications` to send for one end of one execution. No secrets: the activity renders. */
export interface EndNotificationRequest {
  tenant: string;
  executionId: string;
  namespace: string;
  flowId: string;
  /** The revision the execution ran: its `notifications` are the ones sent. */
  revision: number;
  /** The notification's id (its task id). */
  notificationId: string;
  /** The end state that sent it. */
  state: string;
  /**
   * Set when the entry comes from a namespace's notification rule (the flow lists none): which
   * namespace's rule, at which revision, so a retried send reads the entry it was started for.
   */
  rule?: { namespace: string; revision: number };
}

export interface EndNotificationResult {
  /** What the notification task returned, masked (the receiver's status, the link). */
  outputs: Record<string, unknown>;
}

export interface NotificationActivities {
  sendEndNotification(request: EndNotificationRequest): Promise<EndNotificationResult>;
}

export const END_NOTIFICATION_WORKFLOW = 'endNotificationWorkflow';

/**
 * One workflow per (execution, end, notification): the id names all three, so a retried
 * projection or a second evaluation cannot send twice (Temporal refuses the duplicate id), while a
 * restarted execution that ends again (a longer state history) notifies again.
 */
export function endNotificationWorkflowId(executionId: string, endCount: number, notificationId: string): string {
  return `notify/${executionId}/${endCount}/${notificationId}`;
}
