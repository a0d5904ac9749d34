// Script tasks at save (packages/plugins/scripts, docs/scripts.md): a container runner refused with its
// line, the flows in docs/scripts.md and the drift-detection blueprint valid against the full plugin
// catalog, the blueprint's `extend:` metadata (the Blueprints page reads it). Here rather than in the
// plugin's package: validation needs @baton/flow, which depends on the catalog, which holds the plugin.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { validateFlow } from '@baton/flow';
import { defaultRegistry } from '@baton/plugin-catalog';

const root = path.resolve(import.meta.dirname, '../../..');
const registry = defaultRegistry();

describe('docs/scripts.md and the drift blueprint', () => {
  it('every complete flow in docs/scripts.md validates', () => {
    const doc = readFileSync(path.join(root, 'docs/scripts.md'), 'utf8');
    const flows = [...doc.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]).filter((y) => /^id: /m.test(y) && /^namespace: /m.test(y));
    expect(flows.length).toBeGreaterThanOrEqual(2);
    for (const flow of flows) expect(validateFlow(flow, { registry }).errors, flow.slice(0, 80)).toEqual([]);
  });

  it('blueprints/ansible-drift-detection.yaml validates and has its extend: metadata', () => {
    const source = readFileSync(path.join(root, 'blueprints/ansible-drift-detection.yaml'), 'utf8');
    expect(validateFlow(source, { registry }).errors).toEqual([]);
    const doc = parse(source) as { extend: { title: string; description: string; tags: string[] }; triggers: { type: string; cron: string }[] };
    expect(doc.extend.title.length).toBeGreaterThan(10);
    expect(doc.extend.description).toContain('SLACK_WEBHOOK_URL');
    expect(doc.extend.tags).toContain('Ansible');
    expect(doc.triggers[0]).toMatchObject({ type: 'io.kestra.plugin.core.trigger.Schedule', cron: '0 3 * * *' });
  });
});

describe('script tasks at save', () => {
  it('refuses a Docker task runner at save, with the line and what to use instead', () => {
    const flow = [
      'id: f',
      'namespace: company.team',
      'tasks:',
      '  - id: build',
      '    type: io.kestra.plugin.scripts.shell.Commands',
      '    taskRunner:',
      '      type: io.kestra.plugin.scripts.runner.docker.Docker',
      '    commands:',
      '      - make',
      '',
    ].join('\n');
    const { errors } = validateFlow(flow, { registry });
    expect(errors.length).toBeGreaterThan(0);
    const error = errors.find((e) => e.message.includes('io.kestra.plugin.core.runner.Process'))!;
    expect(error.message).toContain('not available');
    expect(error.line).toBeGreaterThanOrEqual(6);
  });

  it('accepts the process runner and Kestra-style properties', () => {
    const flow = [
      'id: f',
      'namespace: company.team',
      'tasks:',
      '  - id: build',
      '    type: io.kestra.plugin.scripts.shell.Script',
      '    containerImage: ubuntu:22.04',
      '    taskRunner:',
      '      type: io.kestra.plugin.core.runner.Process',
      '    script: echo hi',
      '',
    ].join('\n');
    expect(validateFlow(flow, { registry }).errors).toEqual([]);
  });
});
