'use client';
import Link from 'next/link';
import { useHref } from '@/components/app-shell/app-context';
import { EmptyState } from '@/components/ui';
import type { PluginDoc } from '@/modules/api/types';
import type { TaskLocation } from '@/modules/graph/lib/types';
import { PluginDocView } from '@/modules/plugins/components/plugin-doc';
import s from './editor.module.css';

/** Documentation of the task under the cursor. */
export function DocsPanel({ task, plugins }: { task: TaskLocation | undefined; plugins: Map<string, PluginDoc> }) {
  const href = useHref();
  if (!task) {
    return (
      <EmptyState compact icon="book" title="Put the cursor in a task">
        Its plugin’s documentation shows here: properties, outputs and examples.
      </EmptyState>
    );
  }
  const plugin = task.type ? plugins.get(task.type) : undefined;
  if (!plugin) {
    return (
      <EmptyState compact icon="plugins" title={task.type ? `Unknown type ${task.type}` : `Task ${task.taskId} has no type`}>
        Start typing after <code>type:</code> for suggestions, or browse <Link href={href('plugins')}>all plugins</Link>.
      </EmptyState>
    );
  }
  return (
    <div className={s.docs}>
      <div className={s.docsFor}>
        Task <code>{task.taskId}</code> ·{' '}
        <Link href={href('plugins', plugin.id)} target="_blank">
          open the full page
        </Link>
      </div>
      <PluginDocView plugin={plugin} compact />
    </div>
  );
}
