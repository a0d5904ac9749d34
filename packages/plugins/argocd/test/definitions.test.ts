import { PluginRegistry, propsJsonSchema, outputsJsonSchema, z } from '@baton/plugin-sdk';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { definitions } from '../src/index';
import { runtimes } from '../src/runtime';

/** The Argo CD half of the seed flow rollout-with-health-gate-and-edge-update.yaml, verbatim. */
const SEED_FLOW = `
id: rollout-with-health-gate-and-edge-update
namespace: infra.delivery
pluginDefaults:
  - type: io.kestra.plugin.argocd.apps
    values:
      server: "{{ secret('ARGOCD_SERVER') }}"
      token: "{{ secret('ARGOCD_TOKEN') }}"
inputs:
  - id: application
    type: STRING
    defaults: "my-app"
tasks:
  - id: sync
    type: io.kestra.plugin.argocd.apps.Sync
    application: "{{ inputs.application }}"
    prune: true
    timeout: PT10M
  - id: status
    type: io.kestra.plugin.argocd.apps.Status
    application: "{{ inputs.application }}"
    refresh: true
`;

const COMMON_TASK_KEYS = ['id', 'type', 'timeout', 'retry', 'description', 'disabled', 'allowFailure', 'runIf', 'workerGroup', 'logLevel'];

/** What the engine does before `run`: merge plugin defaults, drop common keys, render expressions. */
function engineProps(flow: any, task: any, render: (v: string) => string): Record<string, unknown> {
  const merged: Record<string, unknown> = {};
  for (const d of flow.pluginDefaults ?? []) if (PluginRegistry.typeMatches(d.type, task.type)) Object.assign(merged, d.values);
  Object.assign(merged, task);
  for (const key of COMMON_TASK_KEYS) delete merged[key];
  return JSON.parse(JSON.stringify(merged), (_k, v) => (typeof v === 'string' ? render(v) : v));
}

const fakeRender = (v: string) =>
  v
    .replace(/\{\{\s*secret\('ARGOCD_SERVER'\)\s*\}\}/, 'https://argocd.example.com')
    .replace(/\{\{\s*secret\('(\w+)'\)\s*\}\}/, 'secret-$1')
    .replace(/\{\{\s*inputs\.application\s*\}\}/, 'my-app');

const registry = new PluginRegistry().register(...definitions);

describe('Argo CD definitions', () => {
  it('resolve the Kestra type names of the seed flow', () => {
    expect(registry.resolve('io.kestra.plugin.argocd.apps.Sync')?.id).toBe('argocd.apps.Sync');
    expect(registry.resolve('io.kestra.plugin.argocd.apps.Status')?.id).toBe('argocd.apps.Status');
    expect(registry.resolve('argocd.apps.WaitForHealth')?.aliases).toContain('io.kestra.plugin.argocd.apps.WaitForHealth');
  });

  it("accept the seed flow's props after the defaults merge and apply defaults", () => {
    const flow = parse(SEED_FLOW);
    const [sync, status] = flow.tasks.map((t: any) => {
      const definition = registry.resolve(t.type)!;
      return definition.props.parse(engineProps(flow, t, fakeRender)) as any;
    });
    expect(sync).toMatchObject({ server: 'https://argocd.example.com', token: 'secret-ARGOCD_TOKEN', application: 'my-app', prune: true, wait: true, dryRun: false });
    expect(status).toMatchObject({ application: 'my-app', refresh: true });
  });

  it('reject wrong types and missing credentials with messages that name the field', () => {
    const sync = registry.resolve('argocd.apps.Sync')!;
    const bad = sync.props.safeParse({ server: 'https://a', token: 't', application: 'x', prune: 'yes', waitTimeout: '10 minutes' });
    expect(bad.success).toBe(false);
    const text = z.prettifyError(bad.error!);
    expect(text).toContain('expected boolean, received string\n  → at prune');
    expect(text).toContain('must be an ISO-8601 duration such as PT30S, PT10M or PT1H\n  → at waitTimeout');

    const noAuth = sync.props.safeParse({ server: 'https://a', application: 'x' });
    expect(noAuth.success).toBe(false);
    expect(z.prettifyError(noAuth.error!)).toMatch(/give a token .*, or username and password\n  → at token/);

    const status = registry.resolve('argocd.apps.Status')!;
    expect(status.props.safeParse({ server: 'a', token: 't', application: 'x', refresh: 'soft' }).success).toBe(false);
    for (const refresh of [true, false, 'normal', 'hard']) {
      expect(status.props.safeParse({ server: 'a', token: 't', application: 'x', refresh }).success).toBe(true);
    }

    const rollback = registry.resolve('argocd.apps.Rollback')!;
    expect(z.prettifyError(rollback.props.safeParse({ server: 'a', token: 't', application: 'x' }).error!)).toMatch(/previous: true/);
    expect(rollback.props.safeParse({ server: 'a', token: 't', application: 'x', historyId: 3, previous: true }).success).toBe(false);
  });

  it('have unique ids and aliases, docs, activity defaults and a runtime each', () => {
    const names = definitions.flatMap((d) => [d.id, ...d.aliases]);
    expect(new Set(names).size).toBe(names.length);
    for (const d of definitions) {
      expect(d.id).toMatch(/^argocd\.apps\.[A-Z]\w+$/);
      expect(d.aliases).toContain(`io.kestra.plugin.${d.id}`);
      expect(d.title.length).toBeGreaterThan(5);
      expect(d.group).toBe('Argo CD');
      expect(d.description).toMatch(/idempotent/i);
      expect(d.description).toMatch(/Needs:/);
      expect(d.activity.timeout).toMatch(/^PT/);
      expect(d.activity.heartbeatTimeout).toMatch(/^PT/);
      expect(runtimes.find((r) => r.definition === d)).toBeDefined();
    }
    const waiting = definitions.filter((d) => ['argocd.apps.Sync', 'argocd.apps.WaitForHealth', 'argocd.apps.Rollback'].includes(d.id));
    for (const d of waiting) expect(d.activity.heartbeatTimeout).toBe('PT10S');
  });

  it('describe every prop and every output field', () => {
    const undescribed: string[] = [];
    const walk = (schema: any, path: string) => {
      for (const [key, value] of Object.entries<any>(schema.properties ?? {})) {
        if (!value.description) undescribed.push(`${path}.${key}`);
        walk(value, `${path}.${key}`);
        if (value.items) walk(value.items, `${path}.${key}[]`);
      }
    };
    for (const d of definitions) {
      const props = propsJsonSchema(d) as any;
      expect(Object.keys(props.properties).length).toBeGreaterThan(3);
      for (const [key, value] of Object.entries<any>(props.properties)) if (!value.description) undescribed.push(`${d.id} props.${key}`);
      walk(outputsJsonSchema(d), `${d.id} outputs`);
    }
    expect(undescribed).toEqual([]);
  });

  it('ship full-flow examples that parse and use the task with credentials from secrets', () => {
    for (const d of definitions) {
      expect(d.examples.length).toBeGreaterThan(0);
      for (const example of d.examples) {
        const flow = parse(example.flow);
        expect(flow.id, `${d.id}: ${example.title}`).toMatch(/^[a-z0-9][a-z0-9_-]*$/);
        expect(flow.namespace).toMatch(/^[a-z0-9.]+$/);
        const tasks = [...(flow.tasks ?? []), ...(flow.errors ?? [])].flatMap((t: any) => [t, ...(t.tasks ?? [])]);
        const uses = tasks.filter((t: any) => t.type === d.id || d.aliases.includes(t.type));
        expect(uses.length, `${d.id}: ${example.title}`).toBeGreaterThan(0);
        expect(example.flow).toMatch(/\{\{ secret\('ARGOCD_(TOKEN|PASSWORD)'\) \}\}/);
        // Every task of this plugin family validates once the defaults are merged and secrets rendered.
        for (const task of tasks) {
          const definition = registry.resolve(task.type);
          if (!definition) continue;
          const props = engineProps(flow, task, (v) => v.replace(/\{\{[^}]*\}\}/g, 'rendered'));
          const result = definition.props.safeParse(props);
          expect(result.success, `${d.id}: ${example.title}: ${result.success ? '' : z.prettifyError(result.error)}`).toBe(true);
        }
      }
    }
  });
});
