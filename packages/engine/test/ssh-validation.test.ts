// The SSH task at save (packages/plugins/ssh, docs/ssh.md): the flows in docs/ssh.md and the plugin's
// examples validate against the full catalog; OPEN_SSH and a missing password are refused with the
// line and the fix. Here rather than in the plugin's package: validation needs @baton/flow, which
// depends on the catalog, which holds the plugin.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateFlow } from '@baton/flow';
import { defaultRegistry, pluginFamilies } from '@baton/plugin-catalog';

const root = path.resolve(import.meta.dirname, '../../..');
const registry = defaultRegistry();

describe('SSH Command at save', () => {
  it('every complete flow in docs/ssh.md and every example of the plugin validates', () => {
    const doc = readFileSync(path.join(root, 'docs/ssh.md'), 'utf8');
    const flows = [...doc.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]).filter((y) => /^id: /m.test(y) && /^namespace: /m.test(y));
    expect(flows.length).toBeGreaterThanOrEqual(2);
    for (const flow of [...flows, ...pluginFamilies.ssh.flatMap((d) => d.examples.map((e) => e.flow))])
      expect(validateFlow(flow, { registry }).errors, flow.slice(0, 120)).toEqual([]);
  });

  it('refuses OPEN_SSH and a PASSWORD login without a password, with the line and the fix', () => {
    const flow = (auth: string) =>
      [
        'id: f',
        'namespace: company.team',
        'tasks:',
        '  - id: remote',
        '    type: io.kestra.plugin.fs.ssh.Command',
        '    host: h',
        '    username: u',
        auth,
        '    commands:',
        '      - ls',
        '',
      ].join('\n');
    const openSsh = validateFlow(flow('    authMethod: OPEN_SSH\n    password: x'), { registry }).errors;
    expect(openSsh.find((e) => e.message.includes('OPEN_SSH'))).toMatchObject({ line: 8 });
    expect(openSsh.map((e) => e.message).join(' ')).toContain('PUBLIC_KEY');
    const noPassword = validateFlow(flow('    authMethod: PASSWORD'), { registry }).errors;
    expect(noPassword.map((e) => e.message).join(' ')).toMatch(/no password for authMethod PASSWORD.*secret\('SSH_PASSWORD'\)/);
  });
});
