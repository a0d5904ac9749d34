'use client';
import { useState, type FormEvent } from 'react';
import { useApp } from '@/components/app-shell/app-context';
import { Icon } from '@/components/icons';
import { JsonViewer } from '@/components/json-viewer';
import { Button, Select, TextArea } from '@/components/ui';
import { api, ApiError, tenantPath } from '@/modules/api/client';
import type { TaskRun } from '@/modules/api/types';
import s from './execution.module.css';

interface EvalAnswer {
  result?: string;
  value?: unknown;
  error?: string;
}

/**
 * Kestra's "debug expression": renders a template against this execution as the chosen task run
 * saw it (inputs, outputs so far, variables, labels), on the server. secret() is refused there.
 */
export function ExpressionDebugger({ executionId, runs }: { executionId: string; runs: TaskRun[] }) {
  const { tenant } = useApp();
  const [expression, setExpression] = useState('{{ outputs }}');
  const [taskRunId, setTaskRunId] = useState('');
  const [answer, setAnswer] = useState<EvalAnswer | undefined>();
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    try {
      const path = taskRunId ? tenantPath(tenant, 'executions', executionId, 'eval', taskRunId) : tenantPath(tenant, 'executions', executionId, 'eval');
      setAnswer(await api<EvalAnswer>(path, { method: 'POST', raw: { body: expression, contentType: 'text/plain' } }));
    } catch (error) {
      setAnswer({ error: error instanceof ApiError ? error.message : String(error) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className={s.debugger} onSubmit={(e) => void submit(e)} data-testid="expression-debugger">
      <div className={s.debuggerRow}>
        <Select aria-label="Evaluate as" value={taskRunId} onChange={(e) => setTaskRunId(e.target.value)}>
          <option value="">the execution</option>
          {runs.map((r) => (
            <option key={r.id} value={r.id}>
              {r.taskId}
              {r.value !== null && r.value !== undefined ? ` [${r.value}]` : ''}
            </option>
          ))}
        </Select>
        <Button type="submit" variant="primary" icon="play" loading={busy}>
          Evaluate
        </Button>
      </div>
      <TextArea
        aria-label="Expression"
        className="mono"
        rows={3}
        value={expression}
        onChange={(e) => setExpression(e.target.value)}
        spellCheck={false}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && (e.metaKey || e.ctrlKey)) void submit(e as unknown as FormEvent);
        }}
      />
      {answer?.error !== undefined ? (
        <div className={s.debuggerError} role="alert" data-testid="expression-error">
          <Icon name="alert" size={14} />
          {answer.error}
        </div>
      ) : answer ? (
        <div data-testid="expression-result">
          {typeof answer.value === 'object' && answer.value !== null ? <JsonViewer value={answer.value} label="Result" /> : <pre className={s.debuggerValue}>{answer.result}</pre>}
        </div>
      ) : null}
    </form>
  );
}
