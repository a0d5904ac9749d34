// Reading a process's environment with zod: every bad variable is named in one error, so a
// misconfigured start is fixed in one go instead of one variable per restart.
import type { z } from 'zod';

export class EnvError extends Error {
  constructor(readonly problems: { variable: string; message: string }[]) {
    super(`The configuration is not valid (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${problems.map((p) => `  - ${p.variable}: ${p.message}`).join('\n')}`);
    this.name = 'EnvError';
  }
}

/** Parses `env` with `schema` (keys are variable names); throws EnvError naming every bad one. */
export function parseEnv<S extends z.ZodType>(schema: S, env: Record<string, string | undefined>): z.output<S> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  throw new EnvError(
    result.error.issues.map((issue) => ({
      variable: issue.path.length ? String(issue.path[0]) : 'environment',
      message: issue.message,
    })),
  );
}

/** Empty strings count as unset (shells export `VAR=` easily). */
export const unsetIfEmpty = (v: unknown) => (v === '' ? undefined : v);
