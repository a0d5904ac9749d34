import 'server-only';
import { AppError, Approvals, type Decider, type DecisionKind } from '@baton/engine';
import { services } from '../services';
import type { Access } from '../auth/authorize';
import type { Caller } from '../auth/identify';
import { readInputs, readJsonObject, type Router } from './handler';
import { BODY_LIMITS } from './limits';

const P = { tenant: 'Tenant id', executionId: 'Execution id' };
const COMMENT_MAX = 4000;

/** The decision's comment: `?comment=`, else a `comment` body field. */
export function commentFrom(url: URL, body: Record<string, unknown>): string | undefined {
  const raw = url.searchParams.get('comment') ?? (typeof body.comment === 'string' ? body.comment : undefined);
  if (raw !== undefined && raw.length > COMMENT_MAX) throw new AppError('BAD_REQUEST', `a comment is at most ${COMMENT_MAX} characters`);
  return raw;
}

export async function deciderFor(tenant: string, caller: Caller, access: Access): Promise<Decider> {
  return services().approvals.decider(tenant, { id: caller.id, userId: caller.userId, instanceAdmin: caller.instanceAdmin }, access.grants);
}

/**
 * Approve (the resume route) or reject a paused execution. An approval Pause checks the caller
 * with Approvals.checkDecider; a plain Pause needs executions.operate, as before.
 */
export async function decide(tenant: string, id: string, caller: Caller, access: Access, decision: DecisionKind, url: URL, inputs: Record<string, unknown>) {
  const { approvals, executions } = services();
  const comment = commentFrom(url, inputs);
  const canOperate = access.can('executions.operate', access.namespace ?? '');
  const decided = await approvals.decide(tenant, id, await deciderFor(tenant, caller, access), decision, { comment, inputs, canOperate });
  if (decided) return decided;
  access.require('executions.operate', access.namespace ?? '');
  return executions.resume(tenant, id, caller.id, inputs);
}

/**
 * Whether the caller may approve a paused execution: the approval's own rules
 * (Approvals.checkDecider) when the pause is an approval, executions.operate for a plain Pause.
 * The Apps' approve and reject buttons show on this answer.
 */
export async function mayApprove(tenant: string, executionId: string, namespace: string, caller: Caller, access: Access): Promise<boolean> {
  if (caller.kind === 'anonymous') return false;
  const pending = await services().approvals.pending(tenant, executionId);
  if (!pending) return access.can('executions.operate', namespace);
  const decider = await deciderFor(tenant, caller, access);
  try {
    Approvals.checkDecider({ request: pending.request, namespace, startedBy: pending.requestedBy, decider, decisions: pending.decisions, decision: 'APPROVE', comment: 'check' });
    return true;
  } catch {
    return false;
  }
}

export function addApprovalRoutes(router: Router) {
  return router
    .add(
      'POST',
      '/api/v1/:tenant/executions/:id/reject',
      async ({ request, params, url, caller, access }) => {
        const body = await readJsonObject(request, BODY_LIMITS.inputs, '{"comment": "not during the freeze"}');
        return decide(params.tenant, params.id, caller, access, 'REJECT', url, body);
      },
      {
        summary: 'Reject a paused approval (the execution is cancelled; the decision is in the Pause task outputs)',
        description:
          'Comment as {"comment": "..."} or ?comment=. 403 with `details.reason` SELF_APPROVAL, NOT_AN_APPROVER or ALREADY_DECIDED; 400 COMMENT_REQUIRED; 409 when nothing waits for a decision. A plain Pause can be rejected by whoever may operate the execution.',
        params: { tenant: P.tenant, id: P.executionId },
        query: { comment: { description: 'The reason for the rejection' } },
        body: {
          contentTypes: ['application/json'],
          maxBytes: BODY_LIMITS.inputs,
          description: '{"comment": "..."}',
          schema: { type: 'object', properties: { comment: { type: 'string' } } },
        },
        responses: { 403: 'Not allowed to decide (details.reason says why)', 409: 'Not waiting for a decision' },
      },
    )
    .add(
      'GET',
      '/api/v1/:tenant/executions/:id/approval',
      async ({ params, caller, access }) => {
        const pending = await services().approvals.pending(params.tenant, params.id);
        if (!pending) throw new AppError('NOT_FOUND', `execution ${params.id} does not wait for an approval`);
        const decider = await deciderFor(params.tenant, caller, access);
        const may = (decision: DecisionKind) => {
          try {
            Approvals.checkDecider({
              request: pending.request,
              namespace: pending.namespace,
              startedBy: pending.requestedBy,
              decider,
              decisions: pending.decisions,
              decision,
              comment: 'check',
            });
            return { allowed: true };
          } catch (error) {
            return { allowed: false, reason: ((error as AppError).details as { reason?: string } | undefined)?.reason, message: (error as Error).message };
          }
        };
        const onResume = await services().executions.onResumeOf(params.tenant, await services().executions.get(params.tenant, params.id), pending.taskId);
        return { ...pending, onResume, you: { approve: may('APPROVE'), reject: may('REJECT') } };
      },
      {
        summary: 'The approval an execution waits for: the rendered description, the approver set, decisions so far, and whether you may decide',
        params: { tenant: P.tenant, id: P.executionId },
        responses: { 404: 'Not waiting for an approval' },
        readOnly: true,
      },
    )
    .add(
      'GET',
      '/api/v1/:tenant/approvals',
      async ({ params, caller, access }) => {
        const decider = await deciderFor(params.tenant, caller, access);
        const results = await services().approvals.inbox(params.tenant, decider, (ns) => access.can('executions.read', ns));
        return { results, total: results.length };
      },
      {
        summary: 'Approvals inbox: paused approvals the signed-in person may decide and has not decided (not their own, unless self-approval is allowed)',
        params: { tenant: P.tenant },
        readOnly: true,
      },
    );
}

/** The resume route's handler: approve an approval Pause, or resume a plain one. */
export async function resumeHandler({ request, params, url, caller, access }: { request: Request; params: Record<string, string>; url: URL; caller: Caller; access: Access }) {
  const inputs = await readInputs(request, BODY_LIMITS.inputs);
  return decide(params.tenant, params.id, caller, access, 'APPROVE', url, inputs);
}
