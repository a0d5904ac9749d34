// The approval form of a Pause: what a Pause's `approval` property becomes once rendered, and the
// outputs a decided (or expired) approval leaves. Pure (no I/O): the workflow builds the request
// when it pauses, the API reads it back from the paused task run to check who may decide.

/** When a comment is required: on an approval, on a rejection, or both. */
export type CommentRequiredOn = 'APPROVE' | 'REJECT';

/** The approval a paused task run waits for, as rendered by the workflow (task-run outputs `approval`). */
export interface ApprovalRequest {
  /** Markdown shown to the approver, rendered with the execution's expressions (a plan, a diff). */
  description?: string;
  /** Users who may decide (e-mail or user id). */
  users: string[];
  /** Groups whose members may decide. */
  groups: string[];
  /** A role held at the execution's namespace (or above) that may decide, such as APPROVER. */
  role?: string;
  /** Distinct approvals needed (two-person rule: 2). */
  required: number;
  /** Whether whoever started the execution may approve it (default false). */
  allowSelfApproval: boolean;
  commentRequired: CommentRequiredOn[];
  /** When the pause expires (ISO-8601), if it has a duration. */
  expiresAt?: string;
}

export type DecisionKind = 'APPROVE' | 'REJECT';

/** One person's decision: identity, time and comment. */
export interface ApprovalDecision {
  by: string;
  decision: DecisionKind;
  comment?: string;
  at: string;
}

/** What the resume signal of an approval carries (and so what Temporal history keeps). */
export interface ApprovalOutcome {
  decision: 'APPROVED' | 'REJECTED';
  decisions: ApprovalDecision[];
}

const MAX_REQUIRED = 10;

function stringList(value: unknown, name: string): string[] {
  if (value === undefined || value === null) return [];
  const list = Array.isArray(value) ? value : [value];
  if (!list.every((v) => typeof v === 'string' && v.trim())) throw new Error(`approval.${name} is a list of names`);
  return list.map((v) => (v as string).trim());
}

/**
 * The rendered `approval` property as a request. Throws with a message that names the property
 * when it is malformed (the flow's schema catches most of it before it runs).
 */
export function toApprovalRequest(raw: unknown, expiresAt?: string): ApprovalRequest {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw new Error('approval is a map (users, groups, role, required, ...)');
  const a = raw as Record<string, unknown>;
  const required = a.required === undefined ? 1 : Number(a.required);
  if (!Number.isInteger(required) || required < 1 || required > MAX_REQUIRED) throw new Error(`approval.required is a whole number from 1 to ${MAX_REQUIRED}`);
  let commentRequired: CommentRequiredOn[] = [];
  const c = a.commentRequired ?? a.requireComment;
  if (c === true || c === 'true' || c === 'ALWAYS') commentRequired = ['APPROVE', 'REJECT'];
  else if (c === undefined || c === null || c === false || c === 'false' || c === 'NEVER') commentRequired = [];
  else {
    commentRequired = stringList(c, 'commentRequired').map((v) => v.toUpperCase()) as CommentRequiredOn[];
    if (!commentRequired.every((v) => v === 'APPROVE' || v === 'REJECT')) throw new Error('approval.commentRequired is true, false, or a list of APPROVE and REJECT');
  }
  const role = a.role === undefined || a.role === null || a.role === '' ? undefined : String(a.role).toUpperCase();
  return {
    ...(a.description === undefined || a.description === null ? {} : { description: String(a.description) }),
    users: stringList(a.users, 'users'),
    groups: stringList(a.groups, 'groups'),
    ...(role ? { role } : {}),
    required,
    allowSelfApproval: a.allowSelfApproval === true || a.allowSelfApproval === 'true',
    commentRequired,
    ...(expiresAt ? { expiresAt } : {}),
  };
}

/**
 * The outputs of a decided or expired approval: `decision` (APPROVED, REJECTED or EXPIRED — an
 * expiry never approves), `approvers` (who approved), `comment` (of the deciding decision) and
 * every decision with its identity, time and comment.
 */
export function approvalOutputs(request: ApprovalRequest, outcome: ApprovalOutcome | undefined): Record<string, unknown> {
  if (!outcome) return { decision: 'EXPIRED', approvers: [], decisions: [], approval: request };
  const deciding = outcome.decisions.filter((d) => d.decision === (outcome.decision === 'APPROVED' ? 'APPROVE' : 'REJECT')).at(-1);
  return {
    decision: outcome.decision,
    approvers: outcome.decisions.filter((d) => d.decision === 'APPROVE').map((d) => d.by),
    ...(outcome.decision === 'REJECTED' && deciding ? { rejectedBy: deciding.by } : {}),
    ...(deciding?.comment ? { comment: deciding.comment } : {}),
    decisions: outcome.decisions,
    approval: request,
  };
}
