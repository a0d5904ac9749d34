'use client';
import Link from 'next/link';
import { useState } from 'react';
import { useApp, useHref } from '@/components/app-shell/app-context';
import { relativeTime } from '@/components/format';
import { Markdown } from '@/components/markdown';
import { Button, TextArea, useToast } from '@/components/ui';
import { useDecide } from '../hooks/use-approvals';
import { approverSet, type ApprovalDecision, type MayDecide, type PendingApproval } from '../lib/types';
import s from './approvals.module.css';

export function DecisionList({ decisions }: { decisions: ApprovalDecision[] }) {
  if (!decisions.length) return null;
  return (
    <ul className={s.decisions} data-testid="approval-decisions">
      {decisions.map((d) => (
        <li key={`${d.by}-${d.at}`}>
          <span className={d.decision === 'APPROVE' ? s.approve : s.reject}>{d.decision === 'APPROVE' ? 'Approved' : 'Rejected'}</span> by {d.by} · {relativeTime(d.at)}
          {d.comment ? <> — “{d.comment}”</> : null}
        </li>
      ))}
    </ul>
  );
}

/** One waiting approval: what to decide on, who decided so far, and the decision form. */
export function ApprovalCard({
  approval,
  may,
  showExecutionLink = true,
}: {
  approval: PendingApproval;
  may?: { approve: MayDecide; reject: MayDecide };
  showExecutionLink?: boolean;
}) {
  const { tenant } = useApp();
  const href = useHref();
  const toast = useToast();
  const decide = useDecide(tenant);
  const [comment, setComment] = useState('');
  const { request } = approval;
  const submit = (decision: 'APPROVE' | 'REJECT') =>
    decide.mutate(
      { id: approval.executionId, decision, comment },
      {
        onSuccess: (r) => {
          toast.success(r.outcome === 'PENDING' ? `Approved (${r.approvals} of ${r.required})` : r.outcome === 'APPROVED' ? 'Approved' : 'Rejected');
          setComment('');
        },
        onError: (error) => toast.error(decision === 'APPROVE' ? 'Not approved' : 'Not rejected', (error as Error).message),
      },
    );
  const refused = may && !may.approve.allowed && !may.reject.allowed ? may.approve.message : undefined;
  return (
    <section className={s.card} data-testid="approval-card" data-execution={approval.executionId}>
      <div className={s.head}>
        <span className={s.title}>
          {approval.namespace}.{approval.flowId} › <code>{approval.taskId}</code>
        </span>
        {showExecutionLink ? (
          <Link href={href('executions', approval.executionId)} className="mono">
            {approval.executionId}
          </Link>
        ) : null}
      </div>
      <div className={s.meta}>
        <span>Requested by {approval.requestedBy ?? 'unknown'}</span>
        <span>paused {relativeTime(approval.since)}</span>
        <span>
          {approval.approvals} of {request.required} approval{request.required > 1 ? 's' : ''}
        </span>
        <span>Approvers: {approverSet(request)}</span>
        {request.expiresAt ? <span>expires {relativeTime(request.expiresAt)}</span> : null}
      </div>
      {request.description ? <Markdown className={s.description} text={request.description} /> : null}
      <DecisionList decisions={approval.decisions} />
      {refused ? (
        <p className={s.refused} data-testid="approval-refused">
          {refused}
        </p>
      ) : (
        <div className={s.actions}>
          <TextArea
            aria-label="Comment"
            placeholder={request.commentRequired.length ? `Comment (required to ${request.commentRequired.map((c) => c.toLowerCase()).join(' and ')})` : 'Comment (optional)'}
            value={comment}
            onChange={(e) => setComment(e.target.value)}
            data-testid="approval-comment"
          />
          <Button
            variant="primary"
            icon="check"
            onClick={() => submit('APPROVE')}
            disabled={decide.isPending || (may ? !may.approve.allowed : false)}
            data-testid="approval-approve"
            title={may?.approve.message}
          >
            Approve
          </Button>
          <Button
            variant="danger"
            icon="x"
            onClick={() => submit('REJECT')}
            disabled={decide.isPending || (may ? !may.reject.allowed : false)}
            data-testid="approval-reject"
            title={may?.reject.message}
          >
            Reject
          </Button>
        </div>
      )}
    </section>
  );
}
