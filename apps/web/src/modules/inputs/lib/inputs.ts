import { renderDefault } from '@baton/flow/input-dependencies';
import { coerceInput, isRequired, resolveWithDependencies } from '@baton/flow/inputs';
import { parse } from 'yaml';
import type { FlowInput } from '@/modules/api/types';
import { isFileValue } from './file-inputs';

// The model behind the input form: what each control holds (always a string or string list or
// boolean, as controls do), how it turns into the JSON the API takes, and the same validation
// the server runs (`coerceInput` from @baton/flow), so a form never submits what the server
// would refuse.

export type FieldValue = string | string[] | boolean | File;
export type FormValues = Record<string, FieldValue>;

export const choices = (input: FlowInput) => input.values ?? input.options ?? [];

/** Flow inputs declared in a flow's YAML (or [] when it does not parse). */
export function inputsFromSource(source: string | undefined, key: 'inputs' = 'inputs'): FlowInput[] {
  if (!source) return [];
  try {
    const doc = parse(source) as Record<string, unknown> | null;
    const list = doc?.[key];
    return Array.isArray(list) ? list.filter((i): i is FlowInput => !!i && typeof i === 'object' && typeof (i as FlowInput).id === 'string') : [];
  } catch {
    return [];
  }
}

/** onResume inputs of a Pause task, found by id anywhere in the flow. */
export function onResumeInputs(source: string | undefined, taskId: string): FlowInput[] {
  if (!source) return [];
  try {
    const doc = parse(source) as unknown;
    let found: FlowInput[] = [];
    const walk = (v: unknown) => {
      if (found.length || !v || typeof v !== 'object') return;
      if (Array.isArray(v)) return v.forEach(walk);
      const o = v as Record<string, unknown>;
      if (o.id === taskId && Array.isArray(o.onResume)) {
        found = o.onResume as FlowInput[];
        return;
      }
      Object.values(o).forEach(walk);
    };
    walk(doc);
    return found;
  } catch {
    return [];
  }
}

const pad = (n: number) => String(n).padStart(2, '0');

/** An ISO date-time as the local `YYYY-MM-DDTHH:mm:ss` a datetime-local control shows. */
export function toLocalDateTime(iso: string) {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** What a control starts with: the given value, else the default or prefill, else empty. */
export function initialValue(input: FlowInput, given?: unknown): FieldValue {
  const v = given !== undefined && given !== null ? given : (input.defaults ?? input.prefill);
  const type = input.type.toUpperCase();
  if (type === 'BOOLEAN' || type === 'BOOL') return v === true || v === 'true';
  if (type === 'MULTISELECT') return Array.isArray(v) ? v.map(String) : typeof v === 'string' && v ? v.split(',').map((s) => s.trim()) : [];
  if (v === undefined || v === null) return '';
  if (typeof v === 'string' && v.includes('{{')) return ''; // a dynamic default is rendered by the server
  if (type === 'DATETIME') return typeof v === 'string' ? toLocalDateTime(v) : '';
  if (type === 'JSON') return typeof v === 'string' ? v : JSON.stringify(v, null, 2);
  if (type === 'ARRAY') return Array.isArray(v) ? v.map((x) => (typeof x === 'string' ? x : JSON.stringify(x))).join('\n') : String(v);
  return typeof v === 'string' ? v : String(v);
}

export function initialValues(inputs: FlowInput[], given: Record<string, unknown> = {}): FormValues {
  return Object.fromEntries(inputs.map((i) => [i.id, initialValue(i, given[i.id])]));
}

const blank = (v: FieldValue) => v === '' || (Array.isArray(v) && v.length === 0);

/** The value as the API takes it; undefined when left blank (the server applies the default). */
export function toApiValue(input: FlowInput, v: FieldValue): unknown {
  const type = input.type.toUpperCase();
  if (type === 'BOOLEAN' || type === 'BOOL') return v === true;
  if (blank(v)) return undefined;
  if (type === 'DATETIME' && typeof v === 'string') {
    const d = new Date(v);
    return Number.isNaN(d.getTime()) ? v : d.toISOString();
  }
  if (type === 'ARRAY' && typeof v === 'string') {
    const text = v.trim();
    if (text.startsWith('[')) return text; // JSON list: the server parses it
    return text
      .split('\n')
      .map((s) => s.trim())
      .filter(Boolean);
  }
  if ((type === 'INT' || type === 'FLOAT') && typeof v === 'string') return v.trim() === '' ? undefined : Number(v);
  return v;
}

/** The error to show under a control, or undefined. Mirrors the server's coercion. */
export function validateField(input: FlowInput, v: FieldValue): string | undefined {
  const value = toApiValue(input, v);
  if (value === undefined) {
    return isRequired(input as never) ? `${input.displayName ?? input.id} is required` : undefined;
  }
  if (isFileValue(value)) return undefined; // a chosen file: the server stores it and names it
  try {
    coerceInput(input as never, value);
    return undefined;
  } catch (e) {
    return capitalize((e as Error).message);
  }
}

/**
 * The inputs the form shows with the values typed so far (Kestra's dependsOn: an input whose
 * condition is false, or whose dependency is off, is hidden, not required and not sent), and
 * the defaults written as expressions, rendered with the inputs before them.
 */
export function shownInputs(inputs: FlowInput[], values: FormValues): { shown: FlowInput[]; renderedDefaults: Record<string, string> } {
  if (!inputs.some((i) => i.dependsOn || (typeof i.defaults === 'string' && i.defaults.includes('{{')))) return { shown: inputs, renderedDefaults: {} };
  const payload = rawPayload(inputs, values);
  const { values: resolved, enabled, shown } = resolveWithDependencies(inputs as never, payload);
  const renderedDefaults: Record<string, string> = {};
  for (const input of inputs) {
    if (typeof input.defaults !== 'string' || !input.defaults.includes('{{') || !enabled.has(input.id)) continue;
    try {
      const v = renderDefault(input as never, resolved);
      renderedDefaults[input.id] = typeof v === 'string' ? v : JSON.stringify(v);
    } catch {
      // an earlier input is not filled in yet: the server renders the default at run time
    }
  }
  return { shown: inputs.filter((i) => shown.has(i.id) || !i.dependsOn), renderedDefaults };
}

/** The typed values, unchecked, for deciding what is shown (errors are the fields' business). */
function rawPayload(inputs: FlowInput[], values: FormValues): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const input of inputs) {
    const v = toApiValue(input, values[input.id] ?? initialValue(input));
    if (v !== undefined) out[input.id] = v;
  }
  return out;
}

export function validateAll(allInputs: FlowInput[], values: FormValues): Record<string, string> {
  const errors: Record<string, string> = {};
  const inputs = shownInputs(allInputs, values).shown;
  for (const input of inputs) {
    const e = validateField(input, values[input.id] ?? initialValue(input));
    if (e) errors[input.id] = e;
  }
  return errors;
}

export function toPayload(allInputs: FlowInput[], values: FormValues): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const input of shownInputs(allInputs, values).shown) {
    const v = toApiValue(input, values[input.id] ?? initialValue(input));
    if (v !== undefined) out[input.id] = v;
  }
  return out;
}

/** Server 422 errors ({input, message}) by input id. */
export function serverFieldErrors(errors: unknown[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of errors ?? []) {
    const { input, message } = e as { input?: string; message?: string };
    if (input && message) out[input] = message.replace(/^input '[^']+' \([A-Z]+\) value: /, '');
  }
  return out;
}

function capitalize(s: string) {
  return s ? s[0].toUpperCase() + s.slice(1) : s;
}
