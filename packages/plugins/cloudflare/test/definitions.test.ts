import { PluginRegistry, outputsJsonSchema, propsJsonSchema, z } from '@baton/plugin-sdk';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { definitions } from '../src/index';
import { runtimes } from '../src/runtime';

/** The Cloudflare half of the seed flow rollout-with-health-gate-and-edge-update.yaml, verbatim. */
const SEED_FLOW = `
id: rollout-with-health-gate-and-edge-update
namespace: infra.delivery
pluginDefaults:
  - type: io.kestra.plugin.argocd.apps
    values:
      server: "{{ secret('ARGOCD_SERVER') }}"
      token: "{{ secret('ARGOCD_TOKEN') }}"
  - type: io.kestra.plugin.cloudflare
    values:
      apiToken: "{{ secret('CLOUDFLARE_API_TOKEN') }}"
inputs:
  - id: zoneId
    type: STRING
    defaults: "your_zone_id"
  - id: dnsName
    type: STRING
    defaults: "app.example.com"
  - id: newTarget
    type: STRING
    defaults: "1.2.3.4"
tasks:
  - id: upsert_dns
    type: io.kestra.plugin.cloudflare.dns.records.Upsert
    zoneId: "{{ inputs.zoneId }}"
    recordType: "A"
    name: "{{ inputs.dnsName }}"
    content: "{{ inputs.newTarget }}"

  - id: purge_cache
    type: io.kestra.plugin.cloudflare.cache.Purge
    zoneId: "{{ inputs.zoneId }}"
    files:
      - "https://{{ inputs.dnsName }}/"
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

const inputs: Record<string, string> = { zoneId: 'your_zone_id', dnsName: 'app.example.com', newTarget: '1.2.3.4' };
const seedRender = (v: string) => v.replace(/\{\{\s*secret\('(\w+)'\)\s*\}\}/g, 'secret-$1').replace(/\{\{\s*inputs\.(\w+)\s*\}\}/g, (_m, k) => inputs[k]);

const registry = new PluginRegistry().register(...definitions);

describe('Cloudflare definitions', () => {
  it('resolve the Kestra type names', () => {
    expect(registry.resolve('io.kestra.plugin.cloudflare.dns.records.Upsert')?.id).toBe('cloudflare.dns.records.Upsert');
    expect(registry.resolve('io.kestra.plugin.cloudflare.cache.Purge')?.id).toBe('cloudflare.cache.Purge');
    expect(registry.resolve('io.kestra.plugin.cloudflare.dns.records.Create')?.id).toBe('cloudflare.dns.records.Create');
    expect(registry.resolve('io.kestra.plugin.cloudflare.waf.accessrules.Create')?.id).toBe('cloudflare.firewall.accessRules.Create');
    expect(registry.resolve('io.kestra.plugin.cloudflare.compute.kv.Write')?.id).toBe('cloudflare.kv.Write');
    expect(registry.resolve('io.kestra.plugin.cloudflare.compute.namespaces.Create')?.id).toBe('cloudflare.kv.namespaces.Create');
  });

  it("accept the seed flow's props after the defaults merge", () => {
    const flow = parse(SEED_FLOW);
    const [upsert, purge] = flow.tasks.map((t: any) => registry.resolve(t.type)!.props.parse(engineProps(flow, t, seedRender)) as any);
    expect(upsert).toEqual({
      apiToken: 'secret-CLOUDFLARE_API_TOKEN',
      baseUrl: 'https://api.cloudflare.com/client/v4',
      zoneId: 'your_zone_id',
      recordType: 'A',
      name: 'app.example.com',
      content: '1.2.3.4',
    });
    // The Argo CD defaults (server, token) do not reach Cloudflare tasks.
    expect(purge).toEqual({
      apiToken: 'secret-CLOUDFLARE_API_TOKEN',
      baseUrl: 'https://api.cloudflare.com/client/v4',
      zoneId: 'your_zone_id',
      files: ['https://app.example.com/'],
    });
  });

  it('reject wrong types and missing credentials with messages that name the field', () => {
    const upsert = registry.resolve('cloudflare.dns.records.Upsert')!;
    const bad = upsert.props.safeParse({ apiToken: 't', zoneId: 'z', recordType: 'A', name: 'app', content: '1.2.3.4', ttl: 5, proxied: 'yes' });
    expect(bad.success).toBe(false);
    const text = z.prettifyError(bad.error!);
    expect(text).toContain('ttl must be 1 (automatic) or between 30 and 86400 seconds\n  → at ttl');
    expect(text).toContain('expected boolean, received string\n  → at proxied');

    const noAuth = upsert.props.safeParse({ zoneId: 'z', recordType: 'A', name: 'app', content: '1.2.3.4' });
    expect(z.prettifyError(noAuth.error!)).toMatch(/give an apiToken .*, or email and apiKey\n  → at apiToken/);
    const keyOnly = upsert.props.safeParse({ apiKey: 'k', zoneId: 'z', recordType: 'A', name: 'app', content: '1.2.3.4' });
    expect(z.prettifyError(keyOnly.error!)).toContain('email is required with apiKey');

    const purge = registry.resolve('cloudflare.cache.Purge')!;
    expect(purge.props.safeParse({ apiToken: 't', zoneId: 'z', files: 'https://a/' }).success).toBe(false);
    expect(purge.props.safeParse({ apiToken: 't', zoneId: 'z', files: [{ url: 'https://a/', headers: { Origin: 'x' } }] }).success).toBe(true);
  });

  it('have unique ids and aliases, docs and a runtime each', () => {
    const names = definitions.flatMap((d) => [d.id, ...d.aliases]);
    expect(new Set(names).size).toBe(names.length);
    for (const d of definitions) {
      expect(d.id).toMatch(/^cloudflare\.[a-zA-Z.]+\.[A-Z]\w+$/);
      expect(d.aliases).toContain(`io.kestra.plugin.${d.id}`);
      expect(d.group).toMatch(/^Cloudflare \/ /);
      expect(d.description).toMatch(/idempotent/i);
      expect(d.description).toMatch(/Needs:|needs/);
      expect(d.activity.timeout).toMatch(/^PT/);
      expect(runtimes.find((r) => r.definition === d)).toBeDefined();
    }
    const idempotent = Object.fromEntries(definitions.map((d) => [d.id, d.idempotent]));
    expect(idempotent).toMatchObject({
      'cloudflare.dns.records.Upsert': true,
      'cloudflare.dns.records.Delete': true,
      'cloudflare.cache.Purge': true,
      'cloudflare.kv.Write': true,
      'cloudflare.dns.records.Create': false,
    });
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
      for (const [key, value] of Object.entries<any>(props.properties)) if (!value.description) undescribed.push(`${d.id} props.${key}`);
      walk(outputsJsonSchema(d), `${d.id} outputs`);
    }
    expect(undescribed).toEqual([]);
  });

  it('ship full-flow examples that parse, use the task and validate with credentials from secrets', () => {
    for (const d of definitions) {
      expect(d.examples.length).toBeGreaterThan(0);
      for (const example of d.examples) {
        const flow = parse(example.flow);
        const label = `${d.id}: ${example.title}`;
        expect(flow.id, label).toMatch(/^[a-z0-9][a-z0-9_-]*$/);
        expect(flow.namespace, label).toMatch(/^[a-z0-9.]+$/);
        const tasks = flow.tasks as any[];
        expect(
          tasks.some((t) => t.type === d.id || d.aliases.includes(t.type)),
          label,
        ).toBe(true);
        expect(example.flow, label).toMatch(/\{\{ secret\('CLOUDFLARE_API_TOKEN'\) \}\}/);
        for (const task of tasks) {
          const definition = registry.resolve(task.type);
          if (!definition) continue;
          const result = definition.props.safeParse(engineProps(flow, task, (v) => v.replace(/\{\{[^}]*\}\}/g, 'rendered')));
          expect(result.success, `${label}: ${result.success ? '' : z.prettifyError(result.error)}`).toBe(true);
        }
      }
    }
  });

  it('keep the Cloudflare SDK out of the definitions module', async () => {
    const { readFileSync, readdirSync } = await import('node:fs');
    const dir = new URL('../src/definitions/', import.meta.url);
    const sources = [new URL('../src/index.ts', import.meta.url), ...readdirSync(dir).map((f) => new URL(f, dir))].map((u) => readFileSync(u, 'utf8'));
    for (const source of sources) expect(source).not.toMatch(/from 'cloudflare/);
  });
});
