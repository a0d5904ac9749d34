'use client';
import { forwardRef, type ButtonHTMLAttributes, type ReactNode } from 'react';
import { Icon, Spinner, type IconName } from '../icons';
import s from './ui.module.css';

export interface ButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  variant?: 'primary' | 'secondary' | 'ghost' | 'danger' | 'dangerSolid';
  size?: 'sm' | 'md';
  icon?: IconName;
  loading?: boolean;
  /** Shown after the label, e.g. "⌘S": the shortcut that does the same. */
  shortcut?: string;
  children?: ReactNode;
}

export const Button = forwardRef<HTMLButtonElement, ButtonProps>(function Button(
  { variant = 'secondary', size = 'md', icon, loading, shortcut, children, className, type = 'button', disabled, ...rest },
  ref,
) {
  const classes = [s.button, variant !== 'secondary' && s[variant], size === 'sm' && s.sm, !children && s.iconOnly, className].filter(Boolean).join(' ');
  return (
    <button ref={ref} type={type} className={classes} disabled={disabled || loading} aria-busy={loading || undefined} {...rest}>
      {loading ? <Spinner size={size === 'sm' ? 12 : 14} /> : icon ? <Icon name={icon} size={size === 'sm' ? 13 : 15} /> : null}
      {children}
      {shortcut ? <kbd className={`${s.kbdKey} ${s.kbd}`}>{shortcut}</kbd> : null}
    </button>
  );
});

/** A button with only an icon: the label is required, for screen readers and the tooltip. */
export const IconButton = forwardRef<HTMLButtonElement, Omit<ButtonProps, 'children' | 'icon'> & { icon: IconName; label: string }>(function IconButton(
  { icon, label, variant = 'ghost', ...rest },
  ref,
) {
  return <Button ref={ref} icon={icon} variant={variant} aria-label={label} title={label} {...rest} />;
});

export function Kbd({ children }: { children: ReactNode }) {
  return <kbd className={s.kbdKey}>{children}</kbd>;
}
