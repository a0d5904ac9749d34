'use client';
import { useMemo, useState } from 'react';
import { Icon } from '@/components/icons';
import { namespaceTree, type NamespaceNode } from '@/modules/namespaces/lib/tree';
import s from './flows.module.css';

export function NamespaceTree({ entries, value, onChange }: { entries: { namespace: string; flows: number }[]; value: string; onChange: (ns: string) => void }) {
  const tree = useMemo(() => namespaceTree(entries), [entries]);
  const total = entries.reduce((n, e) => n + e.flows, 0);
  return (
    <nav className={s.tree} aria-label="Namespaces">
      <button type="button" className={s.treeItem} aria-current={!value ? 'true' : undefined} onClick={() => onChange('')}>
        <Icon name="layers" size={14} />
        <span className={s.treeName}>All namespaces</span>
        <span className={s.treeCount}>{total}</span>
      </button>
      {tree.map((n) => (
        <TreeNode key={n.path} node={n} depth={0} value={value} onChange={onChange} />
      ))}
    </nav>
  );
}

function TreeNode({ node, depth, value, onChange }: { node: NamespaceNode; depth: number; value: string; onChange: (ns: string) => void }) {
  const [open, setOpen] = useState(true);
  const hasChildren = node.children.length > 0;
  return (
    <>
      <div className={s.treeRow} style={{ paddingLeft: depth * 14 }}>
        {hasChildren ? (
          <button type="button" className={s.treeToggle} aria-label={open ? `Collapse ${node.path}` : `Expand ${node.path}`} aria-expanded={open} onClick={() => setOpen(!open)}>
            <Icon name={open ? 'chevronDown' : 'chevronRight'} size={12} />
          </button>
        ) : (
          <span className={s.treeToggle} />
        )}
        <button type="button" className={s.treeItem} aria-current={value === node.path ? 'true' : undefined} onClick={() => onChange(node.path)} title={node.path}>
          <Icon name="namespaces" size={14} />
          <span className={s.treeName}>{node.name}</span>
          <span className={s.treeCount}>{node.total}</span>
        </button>
      </div>
      {open && hasChildren ? node.children.map((c) => <TreeNode key={c.path} node={c} depth={depth + 1} value={value} onChange={onChange} />) : null}
    </>
  );
}
