import { PluginError, z } from '@baton/plugin-sdk';

/**
 * Parses the task's properties with its schema. The engine validates them already; parsing
 * again here applies defaults even when a caller (a test, a replay) passes raw values, and
 * turns a schema failure into INVALID_PROPERTIES naming each field.
 */
export function readProps<S extends z.ZodType>(schema: S, raw: unknown, taskType: string): z.output<S> {
  const result = schema.safeParse(raw);
  if (!result.success) {
    throw new PluginError('INVALID_PROPERTIES', `invalid properties for ${taskType}:\n${z.prettifyError(result.error)}`, {
      retryable: false,
    });
  }
  return result.data;
}
