'use client';
import { memo, useState } from 'react';
import { CopyButton } from './copy-button';
import { Icon } from './icons';
import s from './json-viewer.module.css';

// Outputs, inputs and rendered properties as a collapsible tree. Deep or large values start
// collapsed; every object and array can be copied as JSON. Masked secrets (******) are shown as
// masked, never "revealed" (the server never sends them).

const MASK = '******';
const LONG = 240;

export function JsonViewer({ value, expandDepth = 2, label }: { value: unknown; expandDepth?: number; label?: string }) {
  const text = safeStringify(value);
  if (value === undefined || value === null || (typeof value === 'object' && Object.keys(value as object).length === 0)) {
    return (
      <div className={s.empty}>
        {label ? `${label}: ` : ''}
        {value === null ? 'null' : 'empty'}
      </div>
    );
  }
  return (
    <div className={s.viewer} data-testid="json-viewer">
      <div className={s.toolbar}>
        {label ? <span className={s.label}>{label}</span> : null}
        <CopyButton text={text} label="Copy as JSON" />
      </div>
      <div className={s.tree} role="tree">
        <JsonNode value={value} depth={0} expandDepth={expandDepth} />
      </div>
    </div>
  );
}

function safeStringify(v: unknown) {
  try {
    return JSON.stringify(v, null, 2) ?? String(v);
  } catch {
    return String(v);
  }
}

const JsonNode = memo(function JsonNode({ value, depth, expandDepth, name }: { value: unknown; depth: number; expandDepth: number; name?: string }) {
  const isArray = Array.isArray(value);
  const isObject = value !== null && typeof value === 'object';
  const entries = isObject ? (isArray ? (value as unknown[]).map((v, i) => [String(i), v] as const) : Object.entries(value as Record<string, unknown>)) : [];
  const [open, setOpen] = useState(depth < expandDepth && entries.length <= 200);
  const key =
    name !== undefined ? (
      <span className={s.key}>
        {isNaN(Number(name)) ? name : `[${name}]`}
        <span className={s.colon}>:</span>
      </span>
    ) : null;
  if (!isObject)
    return (
      <div className={s.row} role="treeitem">
        {key}
        <Scalar value={value} />
      </div>
    );
  const summary = isArray ? `[${entries.length} item${entries.length === 1 ? '' : 's'}]` : `{${entries.length} key${entries.length === 1 ? '' : 's'}}`;
  return (
    <div role="treeitem" aria-expanded={open}>
      <div className={`${s.row} ${s.branch}`}>
        <button type="button" className={s.toggle} onClick={() => setOpen(!open)} aria-label={open ? 'Collapse' : 'Expand'}>
          <Icon name={open ? 'chevronDown' : 'chevronRight'} size={11} />
        </button>
        {key}
        <span className={s.summary} onClick={() => setOpen(!open)}>
          {summary}
        </span>
        <span className={s.rowCopy}>
          <CopyButton text={safeStringify(value)} label={`Copy ${name ?? 'value'}`} />
        </span>
      </div>
      {open ? (
        <div className={s.children} role="group">
          {entries.map(([k, v]) => (
            <JsonNode key={k} name={k} value={v} depth={depth + 1} expandDepth={expandDepth} />
          ))}
        </div>
      ) : null}
    </div>
  );
});

function Scalar({ value }: { value: unknown }) {
  const [full, setFull] = useState(false);
  if (value === null) return <span className={s.null}>null</span>;
  if (typeof value === 'boolean') return <span className={s.bool}>{String(value)}</span>;
  if (typeof value === 'number') return <span className={s.number}>{value}</span>;
  const str = String(value);
  if (str === MASK || /^\*{6,}$/.test(str))
    return (
      <span className={s.masked} title="A secret: masked by the server">
        <Icon name="eyeOff" size={11} /> masked
      </span>
    );
  if (str.length > LONG && !full) {
    return (
      <span className={s.string}>
        “{str.slice(0, LONG)}…”{' '}
        <button type="button" className={s.more} onClick={() => setFull(true)}>
          show all {str.length} characters
        </button>
      </span>
    );
  }
  return <span className={s.string}>“{str}”</span>;
}
