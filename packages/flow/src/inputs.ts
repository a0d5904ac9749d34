import { parseDuration } from '@baton/plugin-sdk/duration';
import { coerceFileInput } from './file-input';
import type { FlowInput, InputType } from './flow-schema';
import { inputEnabled, inputOrder, renderDefault } from './input-dependencies';

export interface InputError {
  input: string;
  message: string;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIME = /^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d+)?)?$/;

function isBlank(v: unknown) {
  return v === undefined || v === null || v === '';
}

/** Whether an input must be given: Kestra's default is required unless a default exists. */
export function isRequired(input: FlowInput): boolean {
  return (input.required ?? true) && input.defaults === undefined;
}

function allowedValues(input: FlowInput): string[] | undefined {
  return input.values ?? input.options;
}

/**
 * Coerces one value (from JSON, a form, or a query string) to the input's type.
 * Throws an Error whose message says what was expected.
 */
export function coerceInput(input: FlowInput, raw: unknown, type: InputType = input.type): unknown {
  const text = typeof raw === 'string' ? raw.trim() : raw;
  switch (type) {
    case 'STRING':
    case 'SECRET': {
      const s = typeof raw === 'string' ? raw : typeof raw === 'number' || typeof raw === 'boolean' ? String(raw) : undefined;
      if (s === undefined) throw new Error('expected a string');
      if (input.validator && !new RegExp(`^(?:${input.validator})$`).test(s)) {
        throw new Error(`does not match the validator ${input.validator}`);
      }
      if (input.minLength !== undefined && s.length < input.minLength) throw new Error(`must be at least ${input.minLength} characters`);
      if (input.maxLength !== undefined && s.length > input.maxLength) throw new Error(`must be at most ${input.maxLength} characters`);
      return s;
    }
    case 'INT':
    case 'FLOAT': {
      const n = typeof text === 'number' ? text : typeof text === 'string' && text !== '' ? Number(text) : NaN;
      if (!Number.isFinite(n)) throw new Error(`expected ${type === 'INT' ? 'an integer' : 'a number'}, got ${JSON.stringify(raw)}`);
      if (type === 'INT' && !Number.isInteger(n)) throw new Error(`expected an integer, got ${n}`);
      if (input.min !== undefined && n < Number(input.min)) throw new Error(`must be ≥ ${input.min}`);
      if (input.max !== undefined && n > Number(input.max)) throw new Error(`must be ≤ ${input.max}`);
      return n;
    }
    case 'BOOLEAN':
    case 'BOOL': {
      if (typeof text === 'boolean') return text;
      if (text === 'true') return true;
      if (text === 'false') return false;
      throw new Error(`expected true or false, got ${JSON.stringify(raw)}`);
    }
    case 'SELECT': {
      const s = String(text);
      const values = allowedValues(input);
      if (values && !input.allowCustomValue && !values.includes(s)) throw new Error(`must be one of: ${values.join(', ')}`);
      return s;
    }
    case 'MULTISELECT':
    case 'ARRAY': {
      let list: unknown = text;
      if (typeof text === 'string') {
        try {
          list = JSON.parse(text);
        } catch {
          list = text
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean);
        }
      }
      if (!Array.isArray(list)) throw new Error('expected a list');
      if (type === 'MULTISELECT') {
        const values = allowedValues(input);
        const bad = values && !input.allowCustomValue ? list.filter((v) => !values.includes(String(v))) : [];
        if (bad.length) throw new Error(`${bad.join(', ')} not allowed; choose from: ${values!.join(', ')}`);
        return list.map(String);
      }
      return input.itemType
        ? list.map((item, i) => {
            try {
              return coerceInput(input, item, input.itemType);
            } catch (e) {
              throw new Error(`item ${i}: ${(e as Error).message}`);
            }
          })
        : list;
    }
    case 'DATETIME': {
      const d = typeof text === 'string' || typeof text === 'number' ? new Date(text) : undefined;
      if (!d || Number.isNaN(d.getTime()) || (typeof text === 'string' && !/\d{4}-\d{2}-\d{2}T/.test(text))) {
        throw new Error('expected an ISO-8601 date-time such as 2026-11-26T10:00:00Z');
      }
      return d.toISOString();
    }
    case 'DATE':
      if (typeof text !== 'string' || !DATE.test(text) || Number.isNaN(Date.parse(text))) throw new Error('expected a date such as 2026-11-26');
      return text;
    case 'TIME':
      if (typeof text !== 'string' || !TIME.test(text)) throw new Error('expected a time such as 14:30 or 14:30:00');
      return text;
    case 'DURATION':
      if (typeof text !== 'string' || parseDuration(text) === undefined) throw new Error('expected an ISO-8601 duration such as PT15M');
      return text.toUpperCase();
    case 'JSON': {
      if (typeof raw !== 'string') return raw;
      try {
        return JSON.parse(raw);
      } catch (e) {
        throw new Error(`invalid JSON: ${(e as Error).message}`);
      }
    }
    case 'URI': {
      try {
        return new URL(String(text)).toString() && String(text);
      } catch {
        throw new Error(`expected a URI such as https://example.com, got ${JSON.stringify(raw)}`);
      }
    }
    case 'EMAIL':
      if (typeof text !== 'string' || !EMAIL.test(text)) throw new Error('expected an email address');
      return text;
    case 'FILE':
      return coerceFileInput(raw);
  }
}

/**
 * Validates the inputs given to an execution against the flow's declarations.
 * Unknown inputs are errors (a typo would otherwise be silently ignored).
 */
export function resolveInputs(declared: readonly FlowInput[], provided: Record<string, unknown>): { values: Record<string, unknown>; errors: InputError[] } {
  const { values, errors } = resolveWithDependencies(declared, provided);
  return { values, errors };
}

/**
 * resolveInputs, plus `shown`: the inputs that are on (dependsOn), even when their value is in
 * error — what a form shows. `enabled` holds those resolved without error, whose dependents may
 * be on.
 */
export function resolveWithDependencies(
  declared: readonly FlowInput[],
  provided: Record<string, unknown>,
): { values: Record<string, unknown>; errors: InputError[]; enabled: Set<string>; shown: Set<string> } {
  const values: Record<string, unknown> = {};
  const errors: InputError[] = [];
  const known = new Set(declared.map((i) => i.id));
  for (const key of Object.keys(provided)) {
    if (!known.has(key)) errors.push({ input: key, message: `unknown input '${key}'; this flow declares: ${[...known].join(', ') || 'no inputs'}` });
  }
  // dependsOn: an input comes after those it depends on; one that is off is neither required
  // nor set (a value given for it is ignored, as in Kestra).
  const enabled = new Set<string>();
  const shown = new Set<string>();
  for (const input of inputOrder(declared)) {
    let on: boolean;
    try {
      on = inputEnabled(input, values, enabled);
    } catch (e) {
      errors.push({ input: input.id, message: `input '${input.id}' dependsOn condition: ${(e as Error).message}` });
      continue;
    }
    if (!on) continue;
    shown.add(input.id);
    const errorsBefore = errors.length;
    resolveOne(input);
    // An input in error does not enable its dependents: its own error is the one to fix.
    if (errors.length === errorsBefore) enabled.add(input.id);
  }
  return { values, errors, enabled, shown };

  function resolveOne(input: FlowInput) {
    const raw = provided[input.id];
    if (!isBlank(raw)) {
      values[input.id] = tryCoerce(input, raw, errors);
    } else if (input.defaults !== undefined) {
      let rendered: unknown;
      try {
        rendered = renderDefault(input, values);
      } catch (e) {
        errors.push({ input: input.id, message: `input '${input.id}' default: ${(e as Error).message}` });
        return;
      }
      values[input.id] = tryCoerce(input, rendered, errors, 'default');
    } else if (isRequired(input)) {
      errors.push({ input: input.id, message: `input '${input.id}' is required` });
    } else {
      values[input.id] = null;
    }
  }
}

/**
 * Structured values (JSON, ARRAY) are stored as jsonb and travel through Temporal: nesting is
 * bounded so no recursive step (serialisers, the projection, the UI) can run out of stack.
 */
export const MAX_INPUT_DEPTH = 32;

/** Throws when a value nests deeper than MAX_INPUT_DEPTH or holds a NUL character (PostgreSQL refuses it). */
export function checkInputValue(value: unknown): void {
  const stack: { v: unknown; depth: number }[] = [{ v: value, depth: 0 }];
  while (stack.length) {
    const { v, depth } = stack.pop()!;
    if (typeof v === 'string') {
      if (v.includes('\u0000')) throw new Error('text cannot contain the NUL character (\\u0000)');
      continue;
    }
    if (typeof v !== 'object' || v === null) continue;
    if (depth >= MAX_INPUT_DEPTH) throw new Error(`nested deeper than ${MAX_INPUT_DEPTH} levels; flatten the value`);
    for (const [k, child] of Object.entries(v)) {
      if (k.includes('\u0000')) throw new Error('a key cannot contain the NUL character (\\u0000)');
      stack.push({ v: child, depth: depth + 1 });
    }
  }
}

function tryCoerce(input: FlowInput, raw: unknown, errors: InputError[], what = 'value'): unknown {
  try {
    checkInputValue(raw);
    const value = coerceInput(input, raw);
    checkInputValue(value);
    return value;
  } catch (e) {
    errors.push({ input: input.id, message: `input '${input.id}' (${input.type}) ${what}: ${(e as Error).message}` });
    return undefined;
  }
}
