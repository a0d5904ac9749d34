// Approval gates (docs/approvals.md): who may decide a paused approval, recording decisions, the
// two-person rule, and the inbox of what waits for a person. `Approvals.checkDecider` is the one
// answer to "may this caller decide this pause?": the resume and reject routes, the inbox, the
// execution page and Apps' resume blocks all go through it.
import type { Db } from '@baton/db';
import type { ApprovalDecision, ApprovalRequest, DecisionKind } from '../workflow/approval';
import { AppError } from './app-error';
import type { ExecutionService, ExecutionView } from './executions';
import { allows, covers, isRole, ROLE_PERMISSIONS, type Grant } from './identity/roles';

/** Why a caller may not decide: the 403's `reason`. */
export type RefusalReason = 'SELF_APPROVAL' | 'NOT_AN_APPROVER' | 'ALREADY_DECIDED';

/** The person deciding, as the API identified them. */
export interface Decider {
  /** What records name them by: their e-mail. */
  id: string;
  /** Their user id ('' for the local caller of BATON_AUTH=none). */
  userId: string;
  instanceAdmin: boolean;
  /** Their role bindings in the tenant (directly and through groups). */
  grants: Grant[];
  /** The groups they belong to in the tenant. */
  groups: string[];
}

export interface DeciderCheck {
  request: ApprovalRequest;
  /** The execution's namespace (a role must hold there). */
  namespace: string;
  /** Who started the execution (the execution row's triggered_by). */
  startedBy: string | null;
  decider: Decider;
  /** Decisions already taken on this pause. */
  decisions: ApprovalDecision[];
  decision: DecisionKind;
  comment?: string;
}

const refuse = (reason: RefusalReason, message: string) => new AppError('FORBIDDEN', message, { reason });

/** Same person: by e-mail or by user id (a flow may list either). */
function isPerson(name: string, decider: Pick<Decider, 'id' | 'userId'>): boolean {
  const n = name.toLowerCase();
  return n === decider.id.toLowerCase() || (!!decider.userId && name === decider.userId);
}

export const Approvals = {
  /** Whether the decider is in the approver set: listed, in a listed group, or holding the role at the namespace. */
  isApprover(request: ApprovalRequest, namespace: string, decider: Decider): boolean {
    const explicit = request.users.length > 0 || request.groups.length > 0 || request.role !== undefined;
    if (!explicit) return decider.instanceAdmin || allows(decider.grants, 'approvals.decide', namespace);
    if (request.users.some((u) => isPerson(u, decider))) return true;
    if (request.groups.some((g) => decider.groups.includes(g))) return true;
    if (request.role !== undefined) {
      if (decider.instanceAdmin && request.role === 'ADMIN') return true;
      return decider.grants.some((g) => g.role === request.role && covers(g.namespace, namespace));
    }
    return false;
  },

  /**
   * May this caller take this decision on this pause? Throws 403 with a `reason` (already decided,
   * not an approver, self-approval) or 400 when a required comment is missing; returns otherwise.
   */
  checkDecider(check: DeciderCheck): void {
    const { request, decider, decision } = check;
    if (check.decisions.some((d) => isPerson(d.by, decider))) {
      throw refuse('ALREADY_DECIDED', `${decider.id} already decided on this approval; each person decides once (${request.required} distinct approval(s) needed)`);
    }
    if (!Approvals.isApprover(request, check.namespace, decider)) {
      throw refuse('NOT_AN_APPROVER', `${decider.id} is not in the approver set of this approval (${describeApprovers(request)})`);
    }
    if (decision === 'APPROVE' && !request.allowSelfApproval && check.startedBy && isPerson(check.startedBy, decider)) {
      throw refuse('SELF_APPROVAL', `${decider.id} started this execution and may not approve it (self-approval is not allowed; set approval.allowSelfApproval: true to allow it)`);
    }
    if (request.commentRequired.includes(decision) && !check.comment?.trim()) {
      throw new AppError('BAD_REQUEST', `a comment is required to ${decision === 'APPROVE' ? 'approve' : 'reject'} this approval; send ?comment=... (or {"comment": "..."})`, {
        reason: 'COMMENT_REQUIRED',
      });
    }
  },
};

export function describeApprovers(request: ApprovalRequest): string {
  const parts = [
    request.users.length ? `users ${request.users.join(', ')}` : '',
    request.groups.length ? `groups ${request.groups.join(', ')}` : '',
    request.role ? `role ${request.role} at the execution's namespace` : '',
  ].filter(Boolean);
  return parts.length ? parts.join('; ') : 'anyone with approvals.decide at the execution namespace (APPROVER or ADMIN)';
}

/** A pending approval as the inbox and the execution page show it. */
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

export interface DecisionResult {
  executionId: string;
  taskId: string;
  decision: DecisionKind;
  by: string;
  comment?: string;
  approvals: number;
  required: number;
  /** True when this decision ended the wait (the last approval needed, or a rejection). */
  resumed: boolean;
  /** APPROVED, REJECTED, or PENDING while more approvals are needed. */
  outcome: 'APPROVED' | 'REJECTED' | 'PENDING';
}

const INBOX_LIMIT = 500;

export class ApprovalService {
  constructor(
    private readonly db: Db,
    private readonly executions: ExecutionService,
  ) {}

  /** The decider for a signed-in caller: their grants and groups in the tenant. */
  async decider(tenant: string, caller: { id: string; userId: string; instanceAdmin: boolean }, grants: Grant[]): Promise<Decider> {
    const groups = caller.userId ? (await this.db.groupMember.findMany({ where: { tenant, userId: caller.userId }, select: { groupId: true } })).map((g) => g.groupId) : [];
    return { ...caller, grants, groups };
  }

  async decisionsOf(taskRunId: string): Promise<ApprovalDecision[]> {
    const rows = await this.db.approvalDecision.findMany({ where: { taskRunId }, orderBy: { decidedAt: 'asc' } });
    return rows.map((r) => ({ by: r.decidedBy, decision: r.decision as DecisionKind, ...(r.comment ? { comment: r.comment } : {}), at: r.decidedAt.toISOString() }));
  }

  /** The approval an execution waits for, or undefined when it waits for none. */
  async pending(tenant: string, id: string): Promise<PendingApproval | undefined> {
    const execution = await this.executions.get(tenant, id);
    if (execution.state.current !== 'PAUSED') return undefined;
    const paused = execution.taskRunList.find((t) => t.state.current === 'PAUSED');
    const request = paused?.outputs?.approval as ApprovalRequest | undefined;
    if (!paused || !request) return undefined;
    const decisions = await this.decisionsOf(paused.id);
    return pendingView(execution, paused, request, decisions);
  }

  /**
   * Records a decision on the paused approval of an execution. Returns undefined when the pause is
   * not an approval (the caller resumes it the plain way). The last approval needed, or a
   * rejection, resumes the workflow with every decision in the signal.
   */
  async decide(
    tenant: string,
    id: string,
    decider: Decider,
    decision: DecisionKind,
    options: { comment?: string; inputs?: Record<string, unknown>; canOperate: boolean },
  ): Promise<DecisionResult | undefined> {
    const { execution, paused } = await this.executions.paused(tenant, id).catch((error: unknown) => {
      if (error instanceof AppError && error.code === 'CONFLICT') {
        throw new AppError('CONFLICT', `execution ${id} is not waiting for a decision (already decided, expired or ended): ${error.message}`, { reason: 'ALREADY_DECIDED' });
      }
      throw error;
    });
    const request = paused.outputs?.approval as ApprovalRequest | undefined;
    const comment = options.comment?.trim() || undefined;
    const now = new Date().toISOString();
    if (!request) {
      // A plain Pause: approving is resuming; rejecting cancels it, for whoever may operate it.
      if (decision === 'APPROVE') return undefined;
      if (!options.canOperate) throw new AppError('FORBIDDEN', `${decider.id} lacks executions.operate in namespace ${execution.namespace}, needed to reject a plain Pause`);
      const decisions: ApprovalDecision[] = [{ by: decider.id, decision, ...(comment ? { comment } : {}), at: now }];
      await this.executions.signalResume(id, paused, { taskRunId: paused.id, by: decider.id, inputs: {}, approval: { decision: 'REJECTED', decisions } });
      return { executionId: id, taskId: paused.taskId, decision, by: decider.id, comment, approvals: 0, required: 1, resumed: true, outcome: 'REJECTED' };
    }
    const before = await this.decisionsOf(paused.id);
    Approvals.checkDecider({ request, namespace: execution.namespace, startedBy: execution.triggeredBy ?? null, decider, decisions: before, decision, comment });
    // A `comment` body field is the decision's comment unless the Pause declares such an input.
    const given = { ...(options.inputs ?? {}) };
    if (decision === 'APPROVE' && !(await this.executions.onResumeOf(tenant, execution, paused.taskId)).some((i) => i.id === 'comment')) delete given.comment;
    const inputs = decision === 'APPROVE' ? await this.executions.resumeInputs(tenant, execution, paused.taskId, given) : {};
    const userKey = decider.userId || decider.id.toLowerCase();
    const inserted = await this.db.$executeRaw`
      INSERT INTO approval_decisions (task_run_id, user_key, tenant, execution_id, decided_by, decision, comment, decided_at)
      VALUES (${paused.id}, ${userKey}, ${tenant}, ${id}, ${decider.id}, ${decision}, ${comment ?? null}, ${new Date(now)})
      ON CONFLICT DO NOTHING`;
    if (!inserted) throw refuse('ALREADY_DECIDED', `${decider.id} already decided on this approval; each person decides once`);
    const decisions = await this.decisionsOf(paused.id);
    const approvals = decisions.filter((d) => d.decision === 'APPROVE').length;
    const final = decision === 'REJECT' || approvals >= request.required;
    const result: DecisionResult = {
      executionId: id,
      taskId: paused.taskId,
      decision,
      by: decider.id,
      comment,
      approvals,
      required: request.required,
      resumed: false,
      outcome: 'PENDING',
    };
    if (!final) return result;
    const outcome = decision === 'REJECT' ? 'REJECTED' : 'APPROVED';
    try {
      await this.executions.signalResume(id, paused, { taskRunId: paused.id, by: decider.id, inputs, approval: { decision: outcome, decisions } });
    } catch (error) {
      // Not delivered: the decision is taken back, so the person may try again.
      await this.db.approvalDecision.deleteMany({ where: { taskRunId: paused.id, userKey } });
      throw error;
    }
    return { ...result, resumed: true, outcome };
  }

  /**
   * What waits for this person: paused approvals they may decide and have not decided, in
   * executions they may read. The requester does not see their own unless self-approval is allowed.
   */
  async inbox(tenant: string, decider: Decider, canRead: (namespace: string) => boolean): Promise<PendingApproval[]> {
    const rows = await this.db.$queryRaw<
      {
        task_run_id: string;
        task_id: string;
        outputs: Record<string, unknown>;
        execution_id: string;
        namespace: string;
        flow_id: string;
        triggered_by: string | null;
        paused_at: Date;
      }[]
    >`
      SELECT t.id AS task_run_id, t.task_id, t.outputs, e.id AS execution_id, e.namespace, e.flow_id, e.triggered_by, e.updated_at AS paused_at
      FROM task_runs t JOIN executions e ON e.id = t.execution_id
      WHERE e.tenant = ${tenant} AND e.state = 'PAUSED' AND t.state = 'PAUSED' AND t.outputs ? 'approval'
      ORDER BY e.updated_at ASC LIMIT ${INBOX_LIMIT}`;
    const out: PendingApproval[] = [];
    for (const row of rows) {
      const request = row.outputs.approval as ApprovalRequest;
      if (!canRead(row.namespace)) continue;
      const decisions = await this.decisionsOf(row.task_run_id);
      try {
        Approvals.checkDecider({ request, namespace: row.namespace, startedBy: row.triggered_by, decider, decisions, decision: 'APPROVE', comment: 'inbox' });
      } catch {
        continue;
      }
      out.push({
        executionId: row.execution_id,
        namespace: row.namespace,
        flowId: row.flow_id,
        taskId: row.task_id,
        taskRunId: row.task_run_id,
        requestedBy: row.triggered_by,
        since: row.paused_at.toISOString(),
        request,
        approvals: decisions.filter((d) => d.decision === 'APPROVE').length,
        decisions,
      });
    }
    return out;
  }

  /**
   * Who should hear that an approval waits: e-mails of the listed users, the listed groups'
   * members and the holders of the role at the namespace (or of approvals.decide when no set is
   * given). The requester is left out unless they may approve their own execution.
   */
  async recipients(tenant: string, namespace: string, request: ApprovalRequest, startedBy: string | null): Promise<string[]> {
    const emails = new Set<string>();
    const userIds = new Set<string>();
    for (const u of request.users) (u.includes('@') ? emails : userIds).add(u);
    const groups = new Set(request.groups);
    const explicit = request.users.length > 0 || request.groups.length > 0 || request.role !== undefined;
    const roles = explicit
      ? request.role && isRole(request.role)
        ? [request.role]
        : []
      : (['ADMIN', 'APPROVER'] as const).filter((r) => ROLE_PERMISSIONS[r].includes('approvals.decide'));
    if (roles.length) {
      const bindings = await this.db.roleBinding.findMany({ where: { tenant, role: { in: [...roles] } } });
      for (const b of bindings.filter((b) => covers(b.namespace, namespace))) (b.subjectType === 'USER' ? userIds : groups).add(b.subjectId);
    }
    if (groups.size) {
      const members = await this.db.groupMember.findMany({ where: { tenant, groupId: { in: [...groups] } } });
      members.forEach((m) => userIds.add(m.userId));
    }
    if (userIds.size) {
      const users = await this.db.user.findMany({ where: { id: { in: [...userIds] }, disabled: false }, select: { email: true } });
      users.forEach((u) => emails.add(u.email));
    }
    if (!request.allowSelfApproval && startedBy) emails.delete(startedBy);
    return [...emails].sort();
  }
}

function pendingView(execution: ExecutionView, paused: ExecutionView['taskRunList'][number], request: ApprovalRequest, decisions: ApprovalDecision[]): PendingApproval {
  return {
    executionId: execution.id,
    namespace: execution.namespace,
    flowId: execution.flowId,
    taskId: paused.taskId,
    taskRunId: paused.id,
    requestedBy: execution.triggeredBy ?? null,
    since: paused.state.histories.at(-1)?.date ?? execution.state.startDate ?? new Date(0).toISOString(),
    request,
    approvals: decisions.filter((d) => d.decision === 'APPROVE').length,
    decisions,
  };
}
