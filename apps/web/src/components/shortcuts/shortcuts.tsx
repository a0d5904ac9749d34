'use client';
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';

// Keyboard shortcuts: a page registers what it offers (with a description, so the `?` dialog can
// list exactly what works here); one keydown listener dispatches. Keys typed into a field or the
// editor never trigger single-key shortcuts; combos with Ctrl/⌘ work everywhere.

export interface Shortcut {
  /** e.g. "mod+s", "?", "g f", "shift+k" ("mod" is ⌘ on macOS, Ctrl elsewhere). */
  keys: string;
  description: string;
  group?: string;
  handler: (e: KeyboardEvent) => void;
}

interface Registry {
  register: (s: Shortcut) => () => void;
  list: () => Shortcut[];
  version: number;
}

const ShortcutContext = createContext<Registry | null>(null);

const isMac = () => typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);

export function formatKeys(keys: string) {
  return keys
    .split(' ')
    .map((chord) =>
      chord
        .split('+')
        .map((k) => {
          if (k === 'mod') return isMac() ? '⌘' : 'Ctrl';
          if (k === 'shift') return '⇧';
          if (k === 'alt') return isMac() ? '⌥' : 'Alt';
          if (k === 'enter') return '↵';
          if (k === 'escape') return 'Esc';
          return k.length === 1 ? k.toUpperCase() : k;
        })
        .join(isMac() ? '' : '+'),
    )
    .join(' then ');
}

function matches(chord: string, e: KeyboardEvent) {
  const parts = chord.split('+');
  const key = parts[parts.length - 1];
  const mod = parts.includes('mod');
  const shift = parts.includes('shift');
  const alt = parts.includes('alt');
  const modPressed = isMac() ? e.metaKey : e.ctrlKey;
  if (mod !== modPressed || alt !== e.altKey) return false;
  // "?" is typed with shift on most layouts: compare the produced character for symbols.
  if (key.length === 1 && !/[a-z0-9]/.test(key)) return e.key === key;
  if (shift !== e.shiftKey) return false;
  return e.key.toLowerCase() === key;
}

function typingTarget(e: KeyboardEvent) {
  const t = e.target as HTMLElement | null;
  if (!t) return false;
  return t.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(t.tagName) || !!t.closest('.monaco-editor');
}

export function ShortcutProvider({ children }: { children: ReactNode }) {
  const items = useRef(new Set<Shortcut>());
  const [version, setVersion] = useState(0);
  const pending = useRef<{ first: string; at: number } | null>(null);

  const register = useCallback((s: Shortcut) => {
    items.current.add(s);
    setVersion((v) => v + 1);
    return () => {
      items.current.delete(s);
      setVersion((v) => v + 1);
    };
  }, []);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.repeat) return;
      const typing = typingTarget(e);
      const all = [...items.current].reverse(); // the latest registration (the page) wins
      // Two-key sequences ("g f"): remember the first key for a second.
      if (pending.current && Date.now() - pending.current.at < 1000 && !typing) {
        const seq = all.find((s) => s.keys.includes(' ') && s.keys.split(' ')[0] === pending.current!.first && matches(s.keys.split(' ')[1], e));
        pending.current = null;
        if (seq) {
          e.preventDefault();
          seq.handler(e);
          return;
        }
      }
      for (const s of all) {
        if (s.keys.includes(' ')) continue;
        const hasMod = s.keys.includes('mod+');
        if (typing && !hasMod) continue;
        if (matches(s.keys, e)) {
          e.preventDefault();
          s.handler(e);
          return;
        }
      }
      if (!typing && !e.metaKey && !e.ctrlKey && !e.altKey && all.some((s) => s.keys.startsWith(`${e.key.toLowerCase()} `))) {
        pending.current = { first: e.key.toLowerCase(), at: Date.now() };
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const value = useMemo<Registry>(() => ({ register, list: () => [...items.current], version }), [register, version]);
  return <ShortcutContext.Provider value={value}>{children}</ShortcutContext.Provider>;
}

/** Registers a shortcut while the calling component is mounted (and `enabled`). */
export function useShortcut(keys: string, handler: (e: KeyboardEvent) => void, options: { description: string; group?: string; enabled?: boolean }) {
  const registry = useContext(ShortcutContext);
  const ref = useRef(handler);
  ref.current = handler;
  const { description, group, enabled = true } = options;
  useEffect(() => {
    if (!registry || !enabled) return;
    return registry.register({ keys, description, group, handler: (e) => ref.current(e) });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [registry?.register, keys, description, group, enabled]);
}

export function useShortcutList() {
  const registry = useContext(ShortcutContext);
  return registry ? registry.list() : [];
}
