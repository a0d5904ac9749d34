import { describe, expect, it } from 'vitest';
import { PluginRegistry } from '@baton/plugin-sdk';
import { definitions as core } from '@baton/plugin-core';
import { applyPluginDefaults, validateFlow } from '../src';

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

  it('forced defaults win over the task, and a forced flow default over a forced namespace one', () => {
    const props = applyPluginDefaults('io.kestra.plugin.core.http.Request', http, { method: 'PUT', uri: 'https://task' }, [
      [{ type: 'http', values: { method: 'GET', uri: 'https://ns' }, forced: true }],
      [{ type: 'io.kestra.plugin.core.http.Request', values: { method: 'POST' }, forced: true }],
    ]);
    expect(props).toEqual({ method: 'POST', uri: 'https://ns' });
  });

  it('matches by prefix on segment boundaries, on the Baton id and on aliases', () => {
    expect(applyPluginDefaults('http.Request', http, {}, [[{ type: 'io.kestra.plugin.core', values: { uri: 'x' } }]])).toEqual({ uri: 'x' });
    expect(applyPluginDefaults('http.Request', http, {}, [[{ type: 'io.kestra.plugin.co', values: { uri: 'x' } }]])).toEqual({});
  });

  it('defaults satisfy required properties at validation', () => {
    const result = validateFlow(`id: a
namespace: b
pluginDefaults:
  - type: io.kestra.plugin.core.http
    values:
      uri: https://example.com
tasks:
  - id: call
    type: io.kestra.plugin.core.http.Request
`, { registry });
    expect(result.errors).toEqual([]);
    expect(result.plan!.tasks[0].props).toEqual({ uri: 'https://example.com' });
  });

  it('says when a default type matches no plugin', () => {
    const result = validateFlow(`id: a
namespace: b
pluginDefaults:
  - type: io.kestra.plugin.nothing
    values: {}
tasks:
  - id: x
    type: io.kestra.plugin.core.log.Log
    message: hi
`, { registry });
    expect(result.errors[0]).toMatchObject({ path: 'pluginDefaults[0].type', line: 4 });
  });
});
