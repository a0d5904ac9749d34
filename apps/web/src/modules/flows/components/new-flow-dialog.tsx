'use client';
import { useRouter } from 'next/navigation';
import { useMemo, useState } from 'react';
import { useHref } from '@/components/app-shell/app-context';
import { Icon } from '@/components/icons';
import { Button, Dialog, TextInput } from '@/components/ui';
import { usePlugins } from '@/modules/plugins/hooks/use-plugins';
import s from './flows.module.css';

/** Start from a blank flow or from one of the plugins' documented examples. */
export function NewFlowDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const router = useRouter();
  const href = useHref();
  const { data: plugins, isLoading } = usePlugins();
  const [q, setQ] = useState('');
  const examples = useMemo(
    () =>
      (plugins ?? [])
        .flatMap((p) => p.examples.map((e, i) => ({ key: `${p.id}:${i}`, title: e.title, plugin: p.title, group: p.group, pluginId: p.id })))
        .filter((e) => `${e.title} ${e.plugin} ${e.group} ${e.pluginId}`.toLowerCase().includes(q.toLowerCase())),
    [plugins, q],
  );
  const go = (example?: string) => {
    onClose();
    router.push(`${href('flows', 'new')}${example ? `?example=${encodeURIComponent(example)}` : ''}`);
  };
  return (
    <Dialog open={open} onClose={onClose} title="New flow" description="Start blank or from a working example; you can change everything in the editor." wide>
      <button type="button" className={s.templateBlank} onClick={() => go()} data-testid="new-blank-flow">
        <Icon name="plus" size={18} />
        <div>
          <strong>Blank flow</strong>
          <div className="muted">One input and a log task: runs as soon as it is saved.</div>
        </div>
      </button>
      <div className={s.examplesHeader}>
        <h3>From an example</h3>
        <TextInput icon="search" placeholder="Filter examples…" value={q} onChange={(e) => setQ(e.target.value)} aria-label="Filter examples" style={{ width: 240 }} />
      </div>
      <div className={s.examples}>
        {isLoading ? <div className="muted">Loading examples…</div> : null}
        {examples.map((e) => (
          <button key={e.key} type="button" className={s.example} onClick={() => go(e.key)}>
            <strong>{e.title}</strong>
            <span className="muted">
              {e.group} · {e.plugin}
            </span>
          </button>
        ))}
        {!isLoading && !examples.length ? <div className="muted">No example matches “{q}”.</div> : null}
      </div>
      <div style={{ display: 'flex', justifyContent: 'flex-end' }}>
        <Button onClick={onClose}>Cancel</Button>
      </div>
    </Dialog>
  );
}
