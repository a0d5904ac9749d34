// The self-healing VM blueprint validates as shipped, and its trigger is the VM event trigger on
// shut off and crashed with flap detection on (its end-to-end run: vm-event-trigger.int.test.ts).
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { validateFlow } from '@baton/flow';
import { defaultRegistry } from '@baton/plugin-catalog';

const file = path.resolve(import.meta.dirname, '../../../blueprints/kvm-self-healing-vm.yaml');
const source = fs.readFileSync(file, 'utf8');

describe('blueprint kvm-self-healing-vm', () => {
  it('validates as a flow, unchanged', () => {
    const result = validateFlow(source, { registry: defaultRegistry() });
    expect(result.errors, JSON.stringify(result.errors, null, 2)).toEqual([]);
    const trigger = result.plan!.triggers[0]!;
    expect(trigger).toMatchObject({ triggerId: 'kvm.VmEventTrigger', kind: 'polling', workerGroup: 'kvm-hosts' });
    expect(trigger.props.states).toEqual(['VIR_DOMAIN_SHUTOFF', 'VIR_DOMAIN_CRASHED']);
    expect(trigger.props.flapThreshold).toBeGreaterThan(0);
  });

  it("carries Kestra's extend: metadata naming every secret it uses", () => {
    const doc = parse(source);
    expect(doc.extend.title).toMatch(/Self-healing VM/);
    expect(doc.extend.tags).toContain('KVM');
    for (const section of ['## How it works', '## Prerequisites', '## Secrets']) expect(doc.extend.description).toContain(section);
    for (const [, name] of source.matchAll(/secret\('([A-Z0-9_]+)'\)/g)) expect(doc.extend.description).toContain(name);
  });
});
