// Kestra's input features beyond types (kept apart from inputs.ts, which coerces one value):
// - dotted ids: `request.name` is `inputs.request.name` in expressions (nested objects);
// - dependsOn: `{inputs: [ids], condition}` — an input whose condition is false (or whose
//   dependency is itself off) is not shown, not required and not set;
// - defaults written as expressions render with the inputs resolved before them.
// Pure: it runs in the API, the browser's form and the workflow (Pause's onResume).
import { findReferences, render } from './expressions';
import type { FlowInput } from './flow-schema';

/** Dotted ids as nested maps, as Kestra's handleNestedInputs does: {'a.b': 1} → {a: {b: 1}}. */
export function nestInputs(values: Record<string, unknown>): Record<string, unknown> {
  if (!Object.keys(values).some((k) => k.includes('.'))) return values;
  const out: Record<string, unknown> = {};
  for (const [id, value] of Object.entries(values)) {
    const parts = id.split('.');
    let target = out;
    for (const part of parts.slice(0, -1)) {
      const next = target[part];
      target = (target[part] = typeof next === 'object' && next !== null && !Array.isArray(next) ? next : {}) as Record<string, unknown>;
    }
    target[parts[parts.length - 1]] = value;
  }
  return out;
}

/** The ids an input depends on (its dependsOn.inputs). */
export function dependenciesOf(input: FlowInput): string[] {
  return input.dependsOn?.inputs ?? [];
}

/**
 * Declared inputs in an order where each comes after the inputs it depends on, otherwise in
 * declaration order. Validation refuses unknown dependencies and cycles; should either get here,
 * the input simply keeps its place.
 */
export function inputOrder(declared: readonly FlowInput[]): FlowInput[] {
  const byId = new Map(declared.map((i) => [i.id, i]));
  const out: FlowInput[] = [];
  const placed = new Set<string>();
  const visiting = new Set<string>();
  const place = (input: FlowInput) => {
    if (placed.has(input.id) || visiting.has(input.id)) return;
    visiting.add(input.id);
    for (const dep of dependenciesOf(input)) {
      const d = byId.get(dep);
      if (d) place(d);
    }
    visiting.delete(input.id);
    placed.add(input.id);
    out.push(input);
  };
  declared.forEach(place);
  return out;
}

const isExpression = (v: unknown): v is string => typeof v === 'string' && (v.includes('{{') || v.includes('{%'));

/**
 * Whether an input is on, given the values of the inputs resolved before it (`enabled`: the ids
 * that are on). Throws with the reason when its condition cannot be evaluated.
 */
export function inputEnabled(input: FlowInput, values: Record<string, unknown>, enabled: ReadonlySet<string>): boolean {
  if (!input.dependsOn) return true;
  if (dependenciesOf(input).some((dep) => !enabled.has(dep))) return false;
  const condition = input.dependsOn.condition;
  if (condition === undefined) return true;
  const result = render(condition, { inputs: nestInputs(values) });
  return result === true || (typeof result === 'string' && result.trim() === 'true');
}

/** The input's default, rendered with the inputs before it when written as an expression. */
export function renderDefault(input: FlowInput, values: Record<string, unknown>): unknown {
  return isExpression(input.defaults) ? render(input.defaults, { inputs: nestInputs(values) }) : input.defaults;
}

/** Checks of a flow's input declarations that look across inputs: [path under the input, message]. */
export function checkInputDeclarations(inputs: readonly FlowInput[]): { index: number; key: string; message: string }[] {
  const problems: { index: number; key: string; message: string }[] = [];
  const ids = new Set(inputs.map((i) => i.id));
  inputs.forEach((input, index) => {
    if (input.prefill !== undefined && input.defaults !== undefined) {
      problems.push({
        index,
        key: 'prefill',
        message: `input '${input.id}' has both defaults and prefill; keep one (prefill only fills the form, defaults also apply when the input is omitted)`,
      });
    }
    for (const dep of dependenciesOf(input)) {
      if (dep === input.id) problems.push({ index, key: 'dependsOn', message: `input '${input.id}' cannot depend on itself` });
      else if (!ids.has(dep)) problems.push({ index, key: 'dependsOn', message: `input '${input.id}' depends on '${dep}', which is not a declared input` });
    }
    // What a condition or an expression default reads must be resolved before it: an input
    // declared earlier, or one listed in dependsOn.inputs.
    const before = new Set([...inputs.slice(0, index).map((i) => i.id), ...dependenciesOf(input)]);
    for (const [key, text] of [
      ['dependsOn', input.dependsOn?.condition],
      ['defaults', input.defaults],
    ] as const) {
      if (typeof text !== 'string' || !text.includes('{{')) continue;
      let refs: string[][] = [];
      try {
        refs = findReferences(text);
      } catch {
        continue; // a syntax error is reported on its own
      }
      for (const ref of refs) {
        if (ref[0] !== 'inputs' || !ref[1]) continue;
        // inputs.request.name reads `request.name`; inputs.request reads every `request.*`.
        const path = ref.slice(1);
        const read = [...ids].filter((id) => {
          const parts = id.split('.');
          const n = Math.min(parts.length, path.length);
          return parts.slice(0, n).join('.') === path.slice(0, n).join('.');
        });
        const shown = path.join('.');
        if (!read.length) problems.push({ index, key, message: `input '${input.id}' reads inputs.${shown}, which is not a declared input` });
        for (const id of read) {
          if (!before.has(id) && id !== input.id)
            problems.push({ index, key, message: `input '${input.id}' reads inputs.${shown} before '${id}' is resolved; declare '${id}' earlier or list it in dependsOn.inputs` });
        }
      }
    }
    // `a` and `a.b` cannot both exist: inputs.a would be a value and a map at once.
    const parts = input.id.split('.');
    for (let n = 1; n < parts.length; n++) {
      const prefix = parts.slice(0, n).join('.');
      if (ids.has(prefix)) problems.push({ index, key: 'id', message: `input '${input.id}' nests under '${prefix}', which is itself an input; rename one of them` });
    }
  });
  const byId = new Map(inputs.map((i, index) => [i.id, { deps: dependenciesOf(i), index }]));
  for (const [id, { index }] of byId) {
    const seen = new Set<string>();
    const stack = [...(byId.get(id)?.deps ?? [])].filter((d) => d !== id);
    while (stack.length) {
      const current = stack.pop()!;
      if (current === id) {
        problems.push({ index, key: 'dependsOn', message: `inputs depend on each other in a cycle through '${id}'` });
        break;
      }
      if (seen.has(current)) continue;
      seen.add(current);
      stack.push(...(byId.get(current)?.deps ?? []));
    }
  }
  return problems;
}
