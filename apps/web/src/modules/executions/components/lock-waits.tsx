'use client';
import Link from 'next/link';
import { useHref } from '@/components/app-shell/app-context';
import { relativeTime } from '@/components/format';
import { Icon } from '@/components/icons';
import type { Execution } from '@/modules/api/types';
import s from './execution.module.css';

/**
 * "waiting for lock vm:web-1 held by execution X" while the execution waits for a resource lock
 * (docs/locks.md); the holder links to its own page. The API sends `lockWaits` only while waiting.
 */
export function LockWaits({ execution, now }: { execution: Execution; now: number }) {
  const href = useHref();
  if (!execution.lockWaits?.length) return null;
  return (
    <>
      {execution.lockWaits.map((w) => (
        <div key={`${w.taskId ?? ''}/${w.key}`} className={s.bannerLock} role="status" data-testid="lock-wait">
          <Icon name="clock" size={14} />
          <span>
            {w.taskId ? <code>{w.taskId}</code> : 'The execution'} is waiting for lock <code>{w.key}</code> held by execution{' '}
            <Link href={href('executions', w.heldBy)}>{w.heldBy}</Link> · since {relativeTime(w.since, now)}
          </span>
        </div>
      ))}
    </>
  );
}
