'use client';
import { useEffect, useRef, type FormEvent, type ReactNode } from 'react';
import { IconButton } from './button';
import s from './ui.module.css';

/**
 * A modal on the native <dialog>: the browser traps focus, Escape closes it and the page behind
 * is inert. With `onSubmit` the body is a form, so Enter submits.
 */
export function Dialog({
  open,
  onClose,
  title,
  description,
  children,
  footer,
  wide,
  onSubmit,
  testId,
}: {
  open: boolean;
  onClose: () => void;
  title: ReactNode;
  description?: ReactNode;
  children: ReactNode;
  footer?: ReactNode;
  wide?: boolean;
  onSubmit?: (e: FormEvent<HTMLFormElement>) => void;
  testId?: string;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) {
      d.showModal();
      // Start in the first field, not on the close button the browser would pick.
      requestAnimationFrame(() =>
        d
          .querySelector<HTMLElement>(
            '[data-autofocus], .' + s.dialogBody + ' input:not([type=hidden]):not([disabled]), .' + s.dialogBody + ' select, .' + s.dialogBody + ' textarea',
          )
          ?.focus(),
      );
    }
    if (!open && d.open) d.close();
  }, [open]);
  const inner = (
    <>
      <div className={s.dialogHeader}>
        <div>
          <h2>{title}</h2>
          {description ? <p>{description}</p> : null}
        </div>
        <IconButton icon="x" label="Close" size="sm" onClick={onClose} />
      </div>
      <div className={s.dialogBody}>{children}</div>
      {footer ? <div className={s.dialogFooter}>{footer}</div> : null}
    </>
  );
  return (
    <dialog
      ref={ref}
      className={[s.dialog, wide && s.wide].filter(Boolean).join(' ')}
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
      onClick={(e) => {
        if (e.target === ref.current) onClose();
      }}
      data-testid={testId}
    >
      {open ? (
        onSubmit ? (
          <form
            className={s.dialogInner}
            onSubmit={(e) => {
              e.preventDefault();
              onSubmit(e);
            }}
            noValidate
          >
            {inner}
          </form>
        ) : (
          <div className={s.dialogInner}>{inner}</div>
        )
      ) : null}
    </dialog>
  );
}
