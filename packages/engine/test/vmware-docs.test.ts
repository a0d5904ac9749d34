// docs/vmware.md's flows are complete and valid: each ```yaml block validates against the shipped
// registry, and together they use the VMware tasks and the trigger they document.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateFlow } from '@baton/flow';
import { defaultRegistry } from '@baton/plugin-catalog';

const doc = fs.readFileSync(path.resolve(__dirname, '../../../docs/vmware.md'), 'utf8');
const blocks = [...doc.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!);

describe('docs/vmware.md', () => {
  it('has flows, and each validates', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(2);
    const registry = defaultRegistry();
    for (const flow of blocks) expect(validateFlow(flow, { registry }).errors, flow.split('\n')[0]).toEqual([]);
  });

  it('uses the vcenter tasks and the trigger it documents', () => {
    const all = blocks.join('\n');
    for (const type of ['vcenter.CreateVmSnapshot', 'vcenter.RestoreVmFromSnapshot', 'vcenter.Trigger']) expect(all).toContain(`io.kestra.plugin.ee.vmware.${type}`);
  });

  it('a wrong property is refused with where it is', () => {
    const bad = blocks[0]!.replace('memoryMB: 4096', 'memoryMB: lots');
    const errors = validateFlow(bad, { registry: defaultRegistry() }).errors;
    expect(errors.length).toBeGreaterThan(0);
    expect(JSON.stringify(errors)).toMatch(/memoryMB/);
  });
});
