// Kestra keys a flow copied from a blueprint carries: `extend:` metadata and `allowWarning`.
import { describe, expect, it } from 'vitest';
import { PluginRegistry } from '@baton/plugin-sdk';
import { definitions as core } from '@baton/plugin-core';
import { validateFlow } from '../src';

const registry = new PluginRegistry().register(...core);

describe("Kestra's blueprint keys", () => {
  it('accepts extend: (title, description, tags and more) and uses the title when there is no description', () => {
    const result = validateFlow(
      `
id: from-blueprint
namespace: company.team
extend:
  title: Sync an Argo CD app and verify it
  description: |
    How it works: ...
  tags: [Kubernetes, GitOps]
  ee: false
tasks:
  - id: hello
    type: io.kestra.plugin.core.log.Log
    message: hi
    allowWarning: true
`,
      { registry },
    );
    expect(result.errors).toEqual([]);
    expect(result.plan?.description).toBe('Sync an Argo CD app and verify it');
    expect(result.plan?.tasks[0].allowWarning).toBe(true);
  });

  it('refuses a wrongly typed extend with its line', () => {
    const result = validateFlow(
      `
id: bad-blueprint
namespace: company.team
extend:
  tags: GitOps
tasks:
  - id: hello
    type: io.kestra.plugin.core.log.Log
    message: hi
`,
      { registry },
    );
    expect(result.errors[0]).toMatchObject({ line: 5 });
    expect(result.errors[0].path).toContain('extend');
  });
});
