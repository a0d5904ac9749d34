'use client';
import { useApp } from '@/components/app-shell/app-context';
import type { Execution } from '@/modules/api/types';
import { useExecutionApproval } from '../hooks/use-approvals';
import type { ApprovalDecision } from '../lib/types';
import { ApprovalCard, DecisionList } from './approval-card';
import s from './approvals.module.css';

/**
 * On the execution page: the approval it waits for (with the decision form when the viewer may
 * decide), or how each approval of the execution was decided.
 */
export function DecisionPanel({ execution }: { execution: Execution }) {
  const { tenant } = useApp();
  const paused = execution.state.current === 'PAUSED';
  const { data } = useExecutionApproval(tenant, execution.id, paused);
  if (paused && data) return <ApprovalCard approval={data} may={data.you} showExecutionLink={false} />;
  const decided = execution.taskRunList.filter((t) => typeof t.outputs?.decision === 'string' && Array.isArray(t.outputs?.decisions));
  if (!decided.length) return null;
  return (
    <>
      {decided.map((t) => (
        <div key={t.id} className={s.outcome} data-testid="approval-outcome">
          <span>
            Approval <code>{t.taskId}</code>:{' '}
            <strong className={t.outputs.decision === 'APPROVED' ? s.approve : s.reject} data-testid="approval-decision">
              {String(t.outputs.decision)}
            </strong>
          </span>
          <DecisionList decisions={t.outputs.decisions as ApprovalDecision[]} />
        </div>
      ))}
    </>
  );
}
