'use client';
import { forwardRef, useId, type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes, type TextareaHTMLAttributes } from 'react';
import { Icon, type IconName } from '../icons';
import s from './ui.module.css';

/** Label, control, hint and error, wired with ids so screen readers announce the error. */
export function Field({
  label,
  hint,
  error,
  required,
  type,
  children,
  htmlFor,
}: {
  label: ReactNode;
  hint?: ReactNode;
  error?: string;
  required?: boolean;
  /** A small type tag after the label, e.g. the input type. */
  type?: string;
  htmlFor?: string;
  children: ReactNode;
}) {
  return (
    <div className={s.field}>
      <label className={s.label} htmlFor={htmlFor}>
        <span>
          {label}
          {required ? (
            <span className={s.req} aria-hidden>
              {' '}
              *
            </span>
          ) : null}
        </span>
        {type ? <span className={s.type}>{type}</span> : null}
      </label>
      {children}
      {error ? (
        <div className={s.error} role="alert" id={htmlFor ? `${htmlFor}-error` : undefined}>
          <Icon name="alert" size={13} />
          {error}
        </div>
      ) : hint ? (
        <div className={s.hint}>{hint}</div>
      ) : null}
    </div>
  );
}

export function useFieldId(prefix = 'f') {
  return `${prefix}-${useId().replace(/:/g, '')}`;
}

type InputProps = InputHTMLAttributes<HTMLInputElement> & { invalid?: boolean; icon?: IconName };

export const TextInput = forwardRef<HTMLInputElement, InputProps>(function TextInput({ invalid, icon, className, ...rest }, ref) {
  const input = <input ref={ref} className={[s.input, invalid && s.invalid, className].filter(Boolean).join(' ')} aria-invalid={invalid || undefined} {...rest} />;
  if (!icon) return input;
  return (
    <div className={s.inputWithIcon}>
      <Icon name={icon} size={14} />
      {input}
    </div>
  );
});

export const TextArea = forwardRef<HTMLTextAreaElement, TextareaHTMLAttributes<HTMLTextAreaElement> & { invalid?: boolean }>(function TextArea(
  { invalid, className, ...rest },
  ref,
) {
  return <textarea ref={ref} className={[s.textarea, invalid && s.invalid, className].filter(Boolean).join(' ')} aria-invalid={invalid || undefined} {...rest} />;
});

export const Select = forwardRef<HTMLSelectElement, SelectHTMLAttributes<HTMLSelectElement> & { invalid?: boolean }>(function Select({ invalid, className, ...rest }, ref) {
  return <select ref={ref} className={[s.select, invalid && s.invalid, className].filter(Boolean).join(' ')} aria-invalid={invalid || undefined} {...rest} />;
});

export function Checkbox({ label, ...rest }: InputHTMLAttributes<HTMLInputElement> & { label: ReactNode }) {
  return (
    <label className={s.checkbox}>
      <input type="checkbox" {...rest} />
      <span>{label}</span>
    </label>
  );
}
