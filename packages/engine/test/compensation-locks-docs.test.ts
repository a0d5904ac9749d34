import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { validateFlow } from '@baton/flow/validate';
import { defaultRegistry } from '@baton/plugin-catalog';

const registry = defaultRegistry();
const docsDir = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../../docs');

describe.each(['compensation.md', 'locks.md'])('docs/%s', (name) => {
  it('has flows that validate', () => {
    const doc = fs.readFileSync(path.join(docsDir, name), 'utf8');
    const flows = [...doc.matchAll(/```yaml\n(id: [\s\S]*?)```/g)].map((m) => m[1]!);
    expect(flows.length).toBeGreaterThanOrEqual(2);
    for (const source of flows) {
      const { errors, plan } = validateFlow(source, { registry });
      expect(errors, source.split('\n')[0]).toEqual([]);
      // every example uses what it documents
      const uses = name === 'locks.md' ? !!plan?.locks || plan!.tasks.some((t) => t.locks) : plan!.tasks.some((t) => t.compensate);
      expect(uses, source.split('\n')[0]).toBe(true);
    }
  });
});
