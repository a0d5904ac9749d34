'use client';
import { useState } from 'react';
import { Icon } from '@/components/icons';
import { Checkbox, Field, IconButton, Select, TextArea, TextInput } from '@/components/ui';
import type { FlowInput } from '@/modules/api/types';
import { choices, shownInputs, validateField, type FieldValue, type FormValues } from '../lib/inputs';
import { FileInput } from './file-input';
import s from './input-form.module.css';

// A form generated from declared inputs: one typed control per input type, defaults filled in,
// the server's own validation on blur and on submit, errors under the control they concern.

export function InputForm({
  inputs,
  values,
  errors,
  onChange,
  onBlurValidate,
  idPrefix = 'input',
}: {
  inputs: FlowInput[];
  values: FormValues;
  errors: Record<string, string>;
  onChange: (id: string, value: FieldValue) => void;
  onBlurValidate: (id: string, error: string | undefined) => void;
  idPrefix?: string;
}) {
  // dependsOn: inputs whose condition is false are hidden; dynamic defaults show what they give.
  const { shown, renderedDefaults } = shownInputs(inputs, values);
  return (
    <div className={s.form}>
      {shown.map((input) => (
        <InputControl
          key={input.id}
          input={input}
          renderedDefault={renderedDefaults[input.id]}
          id={`${idPrefix}-${input.id}`}
          value={values[input.id]}
          error={errors[input.id]}
          onChange={(v) => onChange(input.id, v)}
          onBlur={(v) => onBlurValidate(input.id, validateField(input, v))}
        />
      ))}
    </div>
  );
}

const HINTS: Record<string, string> = {
  DURATION: 'ISO-8601 duration: PT30S, PT15M, PT2H, P1D',
  DATETIME: 'Your local time; sent as UTC',
  JSON: 'Any JSON value',
  URI: 'A full URI such as https://example.com/path',
  ARRAY: 'One item per line, or a JSON list',
  SECRET: 'Used by tasks; stored masked, never shown again',
  FILE: 'Uploaded with the start into internal storage; tasks read it with read(inputs.<id>)',
};

export function InputControl({
  input,
  id,
  value,
  error,
  onChange,
  onBlur,
  renderedDefault,
}: {
  input: FlowInput;
  /** A default written as an expression, rendered with the inputs before it. */
  renderedDefault?: string;
  id: string;
  value: FieldValue | undefined;
  error?: string;
  onChange: (v: FieldValue) => void;
  onBlur: (v: FieldValue) => void;
}) {
  const type = input.type.toUpperCase();
  const required = (input.required ?? true) && input.defaults === undefined;
  const label = input.displayName ?? input.id;
  const describedBy = error ? `${id}-error` : undefined;
  const hint = [
    input.description,
    renderedDefault !== undefined ? `Default: ${renderedDefault}` : undefined,
    HINTS[type],
    type === 'ARRAY' && input.itemType ? `Items: ${input.itemType}` : undefined,
    input.validator ? `Must match ${input.validator}` : undefined,
    input.min !== undefined || input.max !== undefined ? `Between ${input.min ?? '−∞'} and ${input.max ?? '∞'}` : undefined,
  ]
    .filter(Boolean)
    .join(' · ');
  const common = { id, 'aria-describedby': describedBy, invalid: !!error, required, 'data-input': input.id };
  const str = typeof value === 'string' ? value : '';
  let control: React.ReactNode;

  switch (type) {
    case 'BOOLEAN':
    case 'BOOL':
      control = (
        <Checkbox
          id={id}
          label={value ? 'true' : 'false'}
          checked={value === true}
          onChange={(e) => {
            onChange(e.target.checked);
            onBlur(e.target.checked);
          }}
          data-input={input.id}
        />
      );
      break;
    case 'INT':
    case 'FLOAT':
      control = (
        <TextInput
          {...common}
          type="number"
          inputMode={type === 'INT' ? 'numeric' : 'decimal'}
          step={type === 'INT' ? 1 : 'any'}
          min={input.min as number | undefined}
          max={input.max as number | undefined}
          value={str}
          onChange={(e) => onChange(e.target.value)}
          onBlur={(e) => onBlur(e.target.value)}
        />
      );
      break;
    case 'SELECT':
      control = input.allowCustomValue ? (
        <>
          <TextInput {...common} list={`${id}-list`} value={str} onChange={(e) => onChange(e.target.value)} onBlur={(e) => onBlur(e.target.value)} />
          <datalist id={`${id}-list`}>
            {choices(input).map((c) => (
              <option key={c} value={c} />
            ))}
          </datalist>
        </>
      ) : (
        <Select
          {...common}
          value={str}
          onChange={(e) => {
            onChange(e.target.value);
            onBlur(e.target.value);
          }}
        >
          {!str || !required ? <option value="">{required ? 'Choose…' : '(none)'}</option> : null}
          {choices(input).map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </Select>
      );
      break;
    case 'MULTISELECT': {
      const list = Array.isArray(value) ? value : [];
      control = (
        <div className={s.multi} role="group" aria-labelledby={`${id}-label`} id={id} data-input={input.id}>
          {choices(input).map((c) => (
            <Checkbox
              key={c}
              label={c}
              checked={list.includes(c)}
              onChange={(e) => {
                const next = e.target.checked ? [...list, c] : list.filter((x) => x !== c);
                onChange(next);
                onBlur(next);
              }}
            />
          ))}
        </div>
      );
      break;
    }
    case 'DATETIME':
      control = <TextInput {...common} type="datetime-local" step={1} value={str} onChange={(e) => onChange(e.target.value)} onBlur={(e) => onBlur(e.target.value)} />;
      break;
    case 'DATE':
      control = <TextInput {...common} type="date" value={str} onChange={(e) => onChange(e.target.value)} onBlur={(e) => onBlur(e.target.value)} />;
      break;
    case 'TIME':
      control = <TextInput {...common} type="time" step={1} value={str} onChange={(e) => onChange(e.target.value)} onBlur={(e) => onBlur(e.target.value)} />;
      break;
    case 'JSON':
    case 'ARRAY':
      control = (
        <TextArea
          {...common}
          rows={type === 'JSON' ? 5 : 4}
          spellCheck={false}
          value={str}
          onChange={(e) => onChange(e.target.value)}
          onBlur={(e) => onBlur(e.target.value)}
          placeholder={type === 'JSON' ? '{"key": "value"}' : 'one item per line'}
        />
      );
      break;
    case 'SECRET':
      control = <SecretInput {...common} value={str} onChange={(v) => onChange(v)} onBlur={(v) => onBlur(v)} />;
      break;
    case 'FILE':
      control = <FileInput id={id} aria-describedby={describedBy} required={required} data-input={input.id} value={value} onChange={onChange} onBlur={onBlur} />;
      break;
    case 'URI':
      control = <TextInput {...common} type="url" value={str} onChange={(e) => onChange(e.target.value)} onBlur={(e) => onBlur(e.target.value)} placeholder="https://" />;
      break;
    case 'EMAIL':
      control = (
        <TextInput
          {...common}
          type="email"
          autoComplete="email"
          value={str}
          onChange={(e) => onChange(e.target.value)}
          onBlur={(e) => onBlur(e.target.value)}
          placeholder="name@example.com"
        />
      );
      break;
    case 'DURATION':
      control = <TextInput {...common} value={str} onChange={(e) => onChange(e.target.value)} onBlur={(e) => onBlur(e.target.value)} placeholder="PT15M" className="mono" />;
      break;
    default:
      control = <TextInput {...common} value={str} onChange={(e) => onChange(e.target.value)} onBlur={(e) => onBlur(e.target.value)} maxLength={input.maxLength} />;
  }
  return (
    <Field label={<span id={`${id}-label`}>{label}</span>} htmlFor={type === 'MULTISELECT' ? undefined : id} required={required} type={type} error={error} hint={hint || undefined}>
      {control}
    </Field>
  );
}

function SecretInput({
  value,
  onChange,
  onBlur,
  ...rest
}: {
  value: string;
  onChange: (v: string) => void;
  onBlur: (v: string) => void;
  id: string;
  invalid: boolean;
  required: boolean;
  'aria-describedby'?: string;
  'data-input': string;
}) {
  const [shown, setShown] = useState(false);
  return (
    <div className={s.secret}>
      <TextInput {...rest} type={shown ? 'text' : 'password'} autoComplete="off" value={value} onChange={(e) => onChange(e.target.value)} onBlur={(e) => onBlur(e.target.value)} />
      <IconButton icon={shown ? 'eyeOff' : 'eye'} label={shown ? 'Hide the value' : 'Show the value'} size="sm" onClick={() => setShown(!shown)} />
    </div>
  );
}

export function NoInputs() {
  return (
    <p className={s.none}>
      <Icon name="info" size={14} /> This flow declares no inputs: it runs as is.
    </p>
  );
}
