'use client';
import { useState } from 'react';
import { Icon, Spinner } from '@/components/icons';
import type { SuppliedDefaults } from '@/modules/flows/hooks/use-flows';
import type { Problem, ServerCheck } from '../hooks/use-flow-analysis';
import s from './editor.module.css';

/**
 * Every problem of the flow, with where it is; a click puts the cursor there. Below them, the
 * properties that plugin defaults supply (so a task without `site:` does not look broken).
 */
export function ProblemsBar({
  problems,
  server,
  supplied = [],
  onJump,
}: {
  problems: Problem[];
  server: ServerCheck;
  supplied?: SuppliedDefaults[];
  onJump: (line: number, column: number) => void;
}) {
  const [open, setOpen] = useState(true);
  const errors = problems.filter((p) => p.severity === 'error').length;
  const warnings = problems.length - errors;
  const summary =
    problems.length === 0
      ? server.status === 'checking'
        ? 'Checking with the server…'
        : server.status === 'unreachable'
          ? 'No problems found here; the server could not be reached to confirm.'
          : 'No problems'
      : `${errors} error${errors === 1 ? '' : 's'}${warnings ? `, ${warnings} warning${warnings === 1 ? '' : 's'}` : ''}`;
  return (
    <div className={s.problems} data-testid="problems">
      <button type="button" className={s.problemsHeader} onClick={() => setOpen(!open)} aria-expanded={open} disabled={!problems.length}>
        {problems.length ? (
          <Icon name="alert" size={14} style={{ color: 'var(--s-failed)' }} />
        ) : server.status === 'checking' ? (
          <Spinner size={12} />
        ) : (
          <Icon name="check" size={14} style={{ color: 'var(--s-success)' }} />
        )}
        <span>{summary}</span>
        {problems.length ? <Icon name={open ? 'chevronDown' : 'chevronRight'} size={12} /> : null}
      </button>
      {open && problems.length ? (
        <ul className={s.problemList}>
          {problems.slice(0, 200).map((p, i) => (
            <li key={i}>
              <button type="button" onClick={() => onJump(p.startLineNumber, p.startColumn)} className={s.problem}>
                <span className={s.problemPos}>
                  {p.startLineNumber}:{p.startColumn}
                </span>
                <span className={s.problemMsg}>{p.message}</span>
                {p.origin === 'server' ? (
                  <span className={s.problemOrigin} title="Reported by the server">
                    server
                  </span>
                ) : null}
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      <SuppliedList supplied={supplied} onJump={onJump} />
    </div>
  );
}

function SuppliedList({ supplied, onJump }: { supplied: SuppliedDefaults[]; onJump: (line: number, column: number) => void }) {
  const [open, setOpen] = useState(false);
  const count = supplied.reduce((n, t) => n + t.properties.length, 0);
  if (!count) return null;
  return (
    <div data-testid="supplied-defaults">
      <button type="button" className={s.problemsHeader} onClick={() => setOpen(!open)} aria-expanded={open}>
        <Icon name="layers" size={14} />
        <span>
          Plugin defaults supply {count} propert{count === 1 ? 'y' : 'ies'} of {supplied.length} task{supplied.length === 1 ? '' : 's'}
        </span>
        <Icon name={open ? 'chevronDown' : 'chevronRight'} size={12} />
      </button>
      {open ? (
        <ul className={s.problemList}>
          {supplied.flatMap((t) =>
            t.properties.map((p) => (
              <li key={`${t.taskId}.${p.name}`}>
                <button type="button" onClick={() => onJump(t.line, t.column)} className={s.problem}>
                  <span className={s.problemPos}>
                    {t.line}:{t.column}
                  </span>
                  <span className={s.problemMsg}>
                    <code>
                      {t.taskId}.{p.name}
                    </code>{' '}
                    from {p.source}
                    {p.forced ? ' (forced: overrides the task)' : ''}
                  </span>
                </button>
              </li>
            )),
          )}
        </ul>
      ) : null}
    </div>
  );
}
