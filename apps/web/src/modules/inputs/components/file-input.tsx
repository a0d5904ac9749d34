'use client';
import { isFileValue } from '../lib/file-inputs';
import s from './input-form.module.css';

// A FILE input: the browser's file picker; the file is uploaded with the start. A kestra:/// URI
// (a default, or the value of a replayed execution) is shown as the file already chosen.
export function FileInput({
  value,
  onChange,
  onBlur,
  ...rest
}: {
  value: unknown;
  onChange: (v: File | '') => void;
  onBlur: (v: File | '') => void;
  id: string;
  required: boolean;
  'aria-describedby'?: string;
  'data-input': string;
}) {
  const current = isFileValue(value) ? `${value.name} (${value.size} bytes)` : typeof value === 'string' && value ? value : undefined;
  return (
    <div className={s.file}>
      <input
        {...rest}
        type="file"
        required={rest.required && !current}
        onChange={(e) => {
          const file = e.target.files?.[0] ?? '';
          onChange(file);
          onBlur(file);
        }}
      />
      {current ? <span className="mono">{current}</span> : null}
    </div>
  );
}
