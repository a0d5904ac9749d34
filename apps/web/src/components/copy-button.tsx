'use client';
import { useState } from 'react';
import { IconButton } from './ui';

/** Copies text; says so for a moment. Falls back to a hidden textarea where the Clipboard API is absent (plain HTTP). */
export function CopyButton({ text, label = 'Copy', size = 'sm' }: { text: string; label?: string; size?: 'sm' | 'md' }) {
  const [done, setDone] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
    } catch {
      const ta = document.createElement('textarea');
      ta.value = text;
      ta.style.position = 'fixed';
      ta.style.opacity = '0';
      document.body.appendChild(ta);
      ta.select();
      document.execCommand('copy');
      ta.remove();
    }
    setDone(true);
    setTimeout(() => setDone(false), 1200);
  };
  return <IconButton icon={done ? 'check' : 'copy'} label={done ? 'Copied' : label} size={size} onClick={() => void copy()} />;
}
