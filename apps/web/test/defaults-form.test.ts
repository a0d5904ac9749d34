import { describe, expect, it } from 'vitest';
import type { PluginDoc } from '@/modules/api/types';
import { fieldKind, fromForm, lineDiff, pluginsForType, propertiesForType, toForm } from '@/modules/namespaces/lib/defaults-form';

const plugin = (id: string, aliases: string[], properties: Record<string, unknown>): PluginDoc => ({
  id,
  aliases,
  title: id,
  description: '',
  group: '',
  kind: 'runnable',
  idempotent: true,
  activity: {},
  examples: [],
  props: { type: 'object', properties } as PluginDoc['props'],
  outputs: { type: 'object' },
});
const plugins = [
  plugin('netbox.dcim.devices.Create', ['io.kestra.plugin.ee.netbox.CreateDevice'], {
    site: { type: 'string' },
    vcpus: { type: 'integer' },
    tags: { type: 'array', items: { type: 'string' } },
    status: { enum: ['active', 'planned'] },
  }),
  plugin('core.Log', ['io.kestra.plugin.core.log.Log'], { message: { type: 'string' } }),
];

describe('the plugin-defaults form', () => {
  it('finds plugins by exact name, alias or dotted prefix, never by a partial segment', () => {
    expect(pluginsForType('io.kestra.plugin.ee.netbox', plugins).map((p) => p.id)).toEqual(['netbox.dcim.devices.Create']);
    expect(pluginsForType('io.kestra.plugin.ee.net', plugins)).toEqual([]);
    expect([...propertiesForType('core.Log', plugins).keys()]).toEqual(['message']);
  });

  it('chooses a field per schema type', () => {
    expect(fieldKind({ type: 'string' })).toEqual({ kind: 'string' });
    expect(fieldKind({ type: 'integer' })).toEqual({ kind: 'number' });
    expect(fieldKind({ enum: ['a', 'b'] })).toEqual({ kind: 'enum', options: ['a', 'b'] });
    expect(fieldKind({ anyOf: [{ type: 'object' }, { type: 'boolean' }] })).toEqual({ kind: 'boolean' });
    expect(fieldKind({ type: 'array' })).toEqual({ kind: 'json' });
    expect(fieldKind({})).toEqual({ kind: 'any' });
  });

  it('turns typed text into values by the property type, and round-trips', () => {
    const defaults = [{ type: 'io.kestra.plugin.ee.netbox.CreateDevice', values: { site: 'dc1', vcpus: 4, tags: ['a'], status: 'active' }, forced: true }];
    const form = toForm(defaults);
    expect(form[0].properties.find((p) => p.name === 'vcpus')!.text).toBe('4');
    expect(fromForm(form, plugins)).toEqual({ defaults, problems: [] });
    // A string that looks like a number stays a string where the schema says string.
    form[0].properties[0].text = '42';
    expect(fromForm(form, plugins).defaults![0].values.site).toBe('42');
  });

  it('a property of any type takes JSON when it parses and the text otherwise', () => {
    const any = [plugin('core.Return', [], { format: {} })];
    const form = [{ type: 'core.Return', forced: false, properties: [{ name: 'format', text: 'plain words' }] }];
    expect(fromForm(form, any).defaults![0].values.format).toBe('plain words');
    form[0].properties[0].text = '{"a": 1}';
    expect(fromForm(form, any).defaults![0].values.format).toEqual({ a: 1 });
  });

  it('reports what is wrong instead of saving a half-typed value', () => {
    const result = fromForm(
      [
        {
          type: 'io.kestra.plugin.ee.netbox.CreateDevice',
          forced: false,
          properties: [
            { name: 'vcpus', text: 'four' },
            { name: 'tags', text: '[a' },
          ],
        },
        { type: ' ', forced: false, properties: [] },
      ],
      plugins,
    );
    expect(result.defaults).toBeUndefined();
    expect(result.problems).toEqual([
      { entry: 0, property: 'vcpus', message: 'vcpus: not a number' },
      { entry: 0, property: 'tags', message: expect.stringContaining('write JSON') },
      { entry: 1, message: expect.stringContaining('choose the plugin type') },
    ]);
  });

  it('diffs two revisions line by line', () => {
    expect(lineDiff('a\nb\nc', 'a\nx\nc')).toEqual([
      { kind: 'same', text: 'a' },
      { kind: 'removed', text: 'b' },
      { kind: 'added', text: 'x' },
      { kind: 'same', text: 'c' },
    ]);
  });
});
