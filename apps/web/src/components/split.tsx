'use client';
import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import s from './split.module.css';

/** Two panes side by side with a draggable divider; the right pane's width is remembered. */
export function Split({
  left,
  right,
  storageKey,
  initialRight = 460,
  minRight = 280,
  minLeft = 320,
}: {
  left: ReactNode;
  right: ReactNode;
  storageKey: string;
  initialRight?: number;
  minRight?: number;
  minLeft?: number;
}) {
  const [width, setWidth] = useState(initialRight);
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const saved = Number(localStorage.getItem(storageKey));
    if (saved > 0) setWidth(saved);
  }, [storageKey]);
  const clamp = useCallback(
    (w: number) => {
      const total = box.current?.clientWidth ?? 1200;
      return Math.max(minRight, Math.min(w, total - minLeft));
    },
    [minLeft, minRight],
  );
  const onPointerDown = (e: React.PointerEvent) => {
    e.preventDefault();
    const startX = e.clientX;
    const startW = width;
    const move = (ev: PointerEvent) => setWidth(clamp(startW - (ev.clientX - startX)));
    const up = () => {
      window.removeEventListener('pointermove', move);
      window.removeEventListener('pointerup', up);
      setWidth((w) => {
        localStorage.setItem(storageKey, String(w));
        return w;
      });
    };
    window.addEventListener('pointermove', move);
    window.addEventListener('pointerup', up);
  };
  const onKeyDown = (e: React.KeyboardEvent) => {
    const step = e.shiftKey ? 80 : 20;
    if (e.key === 'ArrowLeft') setWidth((w) => clamp(w + step));
    if (e.key === 'ArrowRight') setWidth((w) => clamp(w - step));
  };
  return (
    <div ref={box} className={s.split} style={{ gridTemplateColumns: `minmax(0, 1fr) 6px ${width}px` }}>
      <div className={s.pane}>{left}</div>
      <div className={s.divider} role="separator" aria-orientation="vertical" aria-label="Resize the side panel" tabIndex={0} onPointerDown={onPointerDown} onKeyDown={onKeyDown} />
      <div className={s.pane}>{right}</div>
    </div>
  );
}
