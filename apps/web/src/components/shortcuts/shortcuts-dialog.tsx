'use client';
import { Dialog, Kbd } from '../ui';
import { formatKeys, useShortcutList } from './shortcuts';
import s from './shortcuts.module.css';

export function ShortcutsDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const list = useShortcutList();
  const groups = new Map<string, typeof list>();
  for (const item of list) {
    const g = item.group ?? 'This page';
    if (!groups.has(g)) groups.set(g, []);
    if (!groups.get(g)!.some((x) => x.keys === item.keys)) groups.get(g)!.push(item);
  }
  return (
    <Dialog open={open} onClose={onClose} title="Keyboard shortcuts" description="Single keys work when no field has the focus.">
      <div className={s.grid}>
        {[...groups.entries()].map(([group, items]) => (
          <section key={group}>
            <h3 className={s.group}>{group}</h3>
            <dl className={s.list}>
              {items.map((i) => (
                <div key={i.keys} className={s.row}>
                  <dt>{i.description}</dt>
                  <dd>
                    {formatKeys(i.keys)
                      .split(' then ')
                      .map((k, n) => (
                        <span key={n}>
                          {n ? <span className={s.then}>then</span> : null}
                          <Kbd>{k}</Kbd>
                        </span>
                      ))}
                  </dd>
                </div>
              ))}
            </dl>
          </section>
        ))}
      </div>
    </Dialog>
  );
}
