// The approval shapes the API answers (GET /approvals, GET /executions/{id}/approval, decisions).
// Declared here because the browser may not import the engine (docs/approvals.md describes them).

export interface ApprovalDecision {
  by: string;
  decision: 'APPROVE' | 'REJECT';
  comment?: string;
  at: string;
}

export interface ApprovalRequest {
  description?: string;
  users: string[];
  groups: string[];
  role?: string;
  required: number;
  allowSelfApproval: boolean;
  commentRequired: ('APPROVE' | 'REJECT')[];
  expiresAt?: string;
}

export interface PendingApproval {
  executionId: string;
  namespace: string;
  flowId: string;
  taskId: string;
  taskRunId: string;
  requestedBy: string | null;
  since: string;
  request: ApprovalRequest;
  approvals: number;
  decisions: ApprovalDecision[];
}

export interface MayDecide {
  allowed: boolean;
  reason?: string;
  message?: string;
}

export interface ExecutionApproval extends PendingApproval {
  you: { approve: MayDecide; reject: MayDecide };
}

export interface DecisionResult {
  decision: 'APPROVE' | 'REJECT';
  approvals: number;
  required: number;
  resumed: boolean;
  outcome: 'APPROVED' | 'REJECTED' | 'PENDING';
}

/** Who may decide, in words. */
export function approverSet(request: ApprovalRequest): string {
  const parts = [
    request.users.length ? request.users.join(', ') : '',
    request.groups.length ? `group ${request.groups.join(', ')}` : '',
    request.role ? `role ${request.role}` : '',
  ].filter(Boolean);
  return parts.length ? parts.join(' · ') : 'approvers of the namespace';
}
