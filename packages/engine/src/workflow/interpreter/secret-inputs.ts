// SECRET inputs inside the workflow: their values, and every string derived from them by a
// flowable's expressions, are masked in what the workflow projects (task-run values, errors,
// logs, flow outputs) and handed to each activity, which masks them in its own writes.
import type { ExecutionInput } from '../contracts';

export const SECRET_MASK = '******';
/** The shortest value that can be masked (as in SecretMasker): a shorter piece would leak. */
export const MIN_MASKABLE_LENGTH = 4;

export class SecretInputs {
  private readonly known = new Set<string>();

  constructor(input: ExecutionInput) {
    for (const declared of input.plan.inputs) {
      const value = input.inputs[declared.id];
      if (declared.type === 'SECRET' && typeof value === 'string' && value !== '') this.known.add(value);
    }
    // A subflow started with a parent's secret in its inputs keeps treating it as one.
    for (const value of input.secretValues ?? []) if (value !== '') this.known.add(value);
  }

  /** SECRET input values and what was derived from them so far. */
  get values(): string[] {
    return [...this.known];
  }

  /**
   * A string derived from a SECRET input by an expression. One too short to mask is refused,
   * as runTask refuses it for secret(): a few slices would rebuild the value.
   */
  note = (value: string): void => {
    if (value.length < MIN_MASKABLE_LENGTH) {
      throw new Error(
        `a value derived from a SECRET input is shorter than ${MIN_MASKABLE_LENGTH} characters (a slice, an index or a short value), so it could not be masked; use the whole input instead`,
      );
    }
    this.known.add(value);
  };

  /** Replaces every known secret string (and its JSON-escaped form) inside text and nested data. */
  mask<T>(data: T): T {
    if (this.known.size === 0) return data;
    const needles = [...this.known]
      .flatMap((v) => [v, JSON.stringify(v).slice(1, -1)])
      .filter((v) => v.length >= MIN_MASKABLE_LENGTH)
      .sort((a, b) => b.length - a.length);
    const text = (s: string) => needles.reduce((out, n) => (out.includes(n) ? out.split(n).join(SECRET_MASK) : out), s);
    const deep = (value: unknown, depth: number): unknown => {
      if (typeof value === 'string') return text(value);
      if (depth > 64 || value === null || typeof value !== 'object') return value;
      if (Array.isArray(value)) return value.map((v) => deep(v, depth + 1));
      // Keys too: ForEach keys outputs by loop value, which may derive from a SECRET input.
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [text(k), deep(v, depth + 1)]));
    };
    return deep(data, 0) as T;
  }
}
