// docs/nutanix.md: every complete flow in it validates against the full plugin catalog. Here rather
// than in the plugin's package: validation needs @baton/flow, which depends on the catalog.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateFlow } from '@baton/flow';
import { defaultRegistry } from '@baton/plugin-catalog';

const root = path.resolve(import.meta.dirname, '../../..');
const registry = defaultRegistry();

describe('docs/nutanix.md', () => {
  it('every complete flow validates, and names Nutanix tasks by their Kestra types', () => {
    const doc = readFileSync(path.join(root, 'docs/nutanix.md'), 'utf8');
    const flows = [...doc.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]).filter((y) => /^id: /m.test(y) && /^namespace: /m.test(y));
    expect(flows.length).toBeGreaterThanOrEqual(2);
    for (const flow of flows) {
      expect(validateFlow(flow, { registry }).errors, flow.slice(0, 80)).toEqual([]);
      expect(flow).toMatch(/type: io\.kestra\.plugin\.ee\.nutanix\.ahv\./);
    }
  });

  it('a flow without credentials is refused at save with the property and the fix', () => {
    const flow = ['id: f', 'namespace: infra.nutanix', 'tasks:', '  - id: list', '    type: io.kestra.plugin.ee.nutanix.ahv.ListVms', '    host: pc.example.com', ''].join('\n');
    const errors = validateFlow(flow, { registry }).errors;
    expect(JSON.stringify(errors)).toMatch(/token \(an API key\) or username and password/);
  });
});
