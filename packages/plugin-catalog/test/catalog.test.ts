import { describe, expect, it } from 'vitest';
import { purgeDefinitions } from '@baton/plugin-core';
import { defaultRegistry, pluginFamilies } from '../src';
import { pluginRuntimes, runtimeFamilies } from '../src/runtimes';

describe('plugin catalog', () => {
  it('has a runtime for every runnable definition, and a definition for every runtime', () => {
    expect(Object.keys(runtimeFamilies).sort()).toEqual(Object.keys(pluginFamilies).sort());
    const registry = defaultRegistry();
    const runnable = Object.values(pluginFamilies)
      .flat()
      .filter((d) => d.kind !== 'flowable')
      .map((d) => d.id);
    const withRuntime = new Set(pluginRuntimes().map((r) => r.definition.id));
    // The retention tasks need the database: the worker builds their runtimes itself (engine-runtimes.ts).
    expect(runnable.filter((id) => !withRuntime.has(id)).sort()).toEqual(purgeDefinitions.map((d) => d.id).sort());
    for (const id of withRuntime) expect(registry.resolve(id), id).toBeDefined();
  });
});
