import { describe, expect, it } from 'vitest';
import { PluginRegistry } from '@baton/plugin-sdk';
import { definitions as core } from '@baton/plugin-core';
import { applyPluginDefaults, explainPluginDefaults, namespaceChain, parsePluginDefaultsDocument, pluginDefaultsToYaml, validateFlow, type DefaultLayer } from '../src';

const registry = new PluginRegistry().register(...core);
const http = registry.resolve('http.Request')!;

describe('plugin defaults', () => {
  it('task value > flow default > namespace default', () => {
    const props = applyPluginDefaults('io.kestra.plugin.core.http.Request', http, { method: 'PUT' }, [
      [{ type: 'io.kestra.plugin.core.http', values: { method: 'DELETE', uri: 'https://ns', headers: { a: 'ns', b: 'ns' } } }],
      [{ type: 'io.kestra.plugin.core.http.Request', values: { uri: 'https://flow', headers: { b: 'flow' } } }],
    ]);
    expect(props).toEqual({ method: 'PUT', uri: 'https://flow', headers: { a: 'ns', b: 'flow' } });
  });

  it('forced defaults win over the task, and a forced namespace default over a forced flow one', () => {
    const props = applyPluginDefaults('io.kestra.plugin.core.http.Request', http, { method: 'PUT', uri: 'https://task' }, [
      [{ type: 'http', values: { method: 'GET' }, forced: true }],
      [{ type: 'io.kestra.plugin.core.http.Request', values: { method: 'POST', uri: 'https://flow' }, forced: true }],
    ]);
    expect(props).toEqual({ method: 'GET', uri: 'https://flow' });
  });

  it('matches by prefix on segment boundaries, on the Baton id and on aliases', () => {
    expect(applyPluginDefaults('http.Request', http, {}, [[{ type: 'io.kestra.plugin.core', values: { uri: 'x' } }]])).toEqual({ uri: 'x' });
    expect(applyPluginDefaults('http.Request', http, {}, [[{ type: 'io.kestra.plugin.co', values: { uri: 'x' } }]])).toEqual({});
  });

  it('defaults satisfy required properties at validation', () => {
    const result = validateFlow(
      `id: a
namespace: b
pluginDefaults:
  - type: io.kestra.plugin.core.http
    values:
      uri: https://example.com
tasks:
  - id: call
    type: io.kestra.plugin.core.http.Request
`,
      { registry },
    );
    expect(result.errors).toEqual([]);
    expect(result.plan!.tasks[0].props).toEqual({ uri: 'https://example.com' });
  });

  it('says when a default type matches no plugin', () => {
    const result = validateFlow(
      `id: a
namespace: b
pluginDefaults:
  - type: io.kestra.plugin.nothing
    values: {}
tasks:
  - id: x
    type: io.kestra.plugin.core.log.Log
    message: hi
`,
      { registry },
    );
    expect(result.errors[0]).toMatchObject({ path: 'pluginDefaults[0].type', line: 4 });
  });

  // The cases Kestra users trip on, across the whole tree: instance, tenant, namespaces, flow.
  describe('across the namespace tree', () => {
    const tree = (flow: DefaultLayer['defaults'] = []): DefaultLayer[] => [
      { source: 'instance', defaults: [{ type: 'io.kestra.plugin.core.http', values: { uri: 'https://instance', options: { connectTimeout: 'PT1S', readTimeout: 'PT9S' } } }] },
      { source: 'namespace infra', defaults: [{ type: 'io.kestra.plugin.core.http.Request', values: { headers: { team: 'infra', env: 'prod' } } }] },
      { source: 'namespace infra.net', defaults: [{ type: 'http.Request', values: { headers: { team: 'net' }, options: { readTimeout: 'PT30S' } } }] },
      { source: 'flow', defaults: flow },
    ];

    it('the closest non-forced default wins, nested objects merge key by key', () => {
      const { props, supplied } = explainPluginDefaults('io.kestra.plugin.core.http.Request', http, {}, tree());
      expect(props).toEqual({
        uri: 'https://instance',
        headers: { team: 'net', env: 'prod' },
        options: { connectTimeout: 'PT1S', readTimeout: 'PT30S' },
      });
      expect(supplied).toEqual([
        { name: 'headers', source: 'namespace infra.net', forced: false },
        { name: 'options', source: 'namespace infra.net', forced: false },
        { name: 'uri', source: 'instance', forced: false },
      ]);
    });

    it('lists replace instead of concatenating', () => {
      const props = applyPluginDefaults('io.kestra.plugin.core.log.Log', undefined, {}, [
        [{ type: 'io.kestra.plugin.core.log', values: { message: ['a', 'b'] } }],
        [{ type: 'io.kestra.plugin.core.log.Log', values: { message: ['c'] } }],
      ]);
      expect(props).toEqual({ message: ['c'] });
    });

    it('a task value beats every non-forced default and is not reported as supplied', () => {
      const { props, supplied } = explainPluginDefaults('http.Request', http, { uri: 'https://task' }, tree());
      expect(props.uri).toBe('https://task');
      expect(supplied.map((s) => s.name)).not.toContain('uri');
    });

    it("forced on a prefix reaches every task below it, and a parent's forced beats a child's and the flow's", () => {
      const layers = tree([{ type: 'io.kestra.plugin.core.http.Request', values: { uri: 'https://flow-forced' }, forced: true }]);
      layers[1] = { source: 'namespace infra', defaults: [{ type: 'io.kestra.plugin.core', values: { uri: 'https://infra-forced' }, forced: true }] };
      const { props, supplied } = explainPluginDefaults('http.Request', http, { uri: 'https://task' }, layers);
      expect(props.uri).toBe('https://infra-forced');
      expect(supplied.find((s) => s.name === 'uri')).toEqual({ name: 'uri', source: 'namespace infra', forced: true });
    });

    it('namespaceChain lists the namespaces root first', () => {
      expect(namespaceChain('infra.provisioning.eu')).toEqual(['infra', 'infra.provisioning', 'infra.provisioning.eu']);
      expect(namespaceChain('solo')).toEqual(['solo']);
    });

    it('validation reports which properties defaults supply, at the task', () => {
      const result = validateFlow(
        `id: a
namespace: infra.net
tasks:
  - id: call
    type: io.kestra.plugin.core.http.Request
`,
        { registry, defaultLayers: tree().slice(0, 3) },
      );
      expect(result.errors).toEqual([]);
      expect(result.suppliedDefaults).toEqual([
        {
          taskId: 'call',
          line: 5,
          column: 5,
          properties: expect.arrayContaining([{ name: 'uri', source: 'instance', forced: false }]),
        },
      ]);
    });
  });

  describe('the plugin-defaults document', () => {
    it('parses the list form and round-trips through YAML', () => {
      const text = `- type: io.kestra.plugin.core.http
  values:
    uri: https://example.com
- type: io.kestra.plugin.core.log.Log
  values:
    level: WARN
  forced: true
`;
      const parsed = parsePluginDefaultsDocument(text, registry);
      expect(parsed.errors).toEqual([]);
      expect(parsed.defaults).toHaveLength(2);
      expect(parsePluginDefaultsDocument(pluginDefaultsToYaml(parsed.defaults!), registry).defaults).toEqual(parsed.defaults);
      expect(parsePluginDefaultsDocument('', registry)).toEqual({ defaults: [], errors: [] });
    });

    it('points at unknown types and properties with a line, a column and a hint', () => {
      const parsed = parsePluginDefaultsDocument(
        `- type: io.kestra.plugin.core.http.Request
  values:
    urii: https://example.com
- type: io.kestra.plugin.nope
  values: {}
- type: io.kestra.plugin.core.log.Log
  value: {}
`,
        registry,
      );
      expect(parsed.defaults).toBeUndefined();
      expect(parsed.errors).toEqual([
        expect.objectContaining({ line: 3, column: 5, message: expect.stringMatching(/no property 'urii'; did you mean 'uri'/) }),
        expect.objectContaining({ line: 4, message: expect.stringMatching(/no plugin type matches 'io.kestra.plugin.nope'/) }),
        expect.objectContaining({ line: 6, message: expect.stringMatching(/missing required key 'values'/) }),
        expect.objectContaining({ line: 7, message: expect.stringMatching(/unknown key 'value'/) }),
      ]);
    });

    it('says what shape it wants when the document is not a list', () => {
      const parsed = parsePluginDefaultsDocument('type: io.kestra.plugin.core.http\n', registry);
      expect(parsed.errors[0].message).toMatch(/YAML list/);
      expect(parsePluginDefaultsDocument('- type: [\n', registry).errors[0]).toMatchObject({ line: 2 });
    });
  });
});
