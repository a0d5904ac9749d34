// Kestra coerces a number or a boolean written where a property takes text; what it cannot take
// is said plainly instead of zod's "Invalid input".
import { describe, expect, it } from 'vitest';
import { parseProps, z } from '@baton/plugin-sdk';
import { validateFlow } from '../src';
import { defaultRegistry } from '@baton/plugin-catalog';

const registry = defaultRegistry();
const flow = (task: string) => `id: a\nnamespace: b\ntasks:\n${task}`;

describe('Kestra coercion of task properties', () => {
  it('a number or a boolean where text is expected is that text', () => {
    const result = validateFlow(flow('  - id: l\n    type: io.kestra.plugin.core.log.Log\n    message: 42\n'), { registry });
    expect(result.errors).toEqual([]);
    const schema = z.object({ message: z.union([z.string(), z.array(z.string())]), count: z.number().optional(), flag: z.string().optional() });
    const parsed = parseProps(schema, { message: 2, count: 3, flag: true });
    expect(parsed.success && parsed.data).toEqual({ message: '2', count: 3, flag: 'true' });
  });

  it('leaves numbers alone where numbers are taken, and does not turn a map into text', () => {
    const schema = z.object({ count: z.number(), message: z.string() });
    const parsed = parseProps(schema, { count: 'x', message: { a: 1 } });
    expect(parsed.success).toBe(false);
  });

  it('says what a union property takes instead of "Invalid input"', () => {
    const result = validateFlow(flow('  - id: l\n    type: io.kestra.plugin.core.log.Log\n    message: {a: 1}\n'), { registry });
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0].message).not.toBe('Invalid input');
    expect(result.errors[0].message).toMatch(/'message' takes .*string.*, not a map/);
  });
});
