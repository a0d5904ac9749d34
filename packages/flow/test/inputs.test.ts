import { describe, expect, it } from 'vitest';
import { resolveInputs, type FlowInput } from '../src';

const declared: FlowInput[] = [
  { id: 'name', type: 'STRING', validator: '[a-z]+' },
  { id: 'count', type: 'INT', min: 1, max: 5, defaults: 2 },
  { id: 'ratio', type: 'FLOAT', required: false },
  { id: 'flag', type: 'BOOLEAN', defaults: false },
  { id: 'env', type: 'SELECT', values: ['dev', 'prod'], defaults: 'dev' },
  { id: 'hosts', type: 'MULTISELECT', values: ['a', 'b', 'c'], required: false },
  { id: 'when', type: 'DATETIME', required: false },
  { id: 'day', type: 'DATE', required: false },
  { id: 'at', type: 'TIME', required: false },
  { id: 'wait', type: 'DURATION', required: false },
  { id: 'config', type: 'JSON', required: false },
  { id: 'site', type: 'URI', required: false },
  { id: 'mail', type: 'EMAIL', required: false },
  { id: 'token', type: 'SECRET', required: false },
  { id: 'ports', type: 'ARRAY', itemType: 'INT', required: false },
];

describe('resolveInputs', () => {
  it('coerces form strings to typed values and applies defaults', () => {
    const { values, errors } = resolveInputs(declared, {
      name: 'web',
      ratio: '0.5',
      flag: 'true',
      hosts: 'a,c',
      when: '2026-11-26T10:00:00Z',
      day: '2026-11-26',
      at: '14:30',
      wait: 'pt5m',
      config: '{"a":1}',
      site: 'https://example.com/x',
      mail: 'ops@example.com',
      token: 'x',
      ports: '[80, 443]',
    });
    expect(errors).toEqual([]);
    expect(values).toMatchObject({
      name: 'web',
      count: 2,
      ratio: 0.5,
      flag: true,
      env: 'dev',
      hosts: ['a', 'c'],
      when: '2026-11-26T10:00:00.000Z',
      wait: 'PT5M',
      config: { a: 1 },
      ports: [80, 443],
    });
  });

  it('lists every invalid input with what was expected', () => {
    const { errors } = resolveInputs(declared, { name: 'Web!', count: '9', env: 'staging', hosts: ['z'], mail: 'nope', ports: '["x"]', extra: 1 });
    const byInput = Object.fromEntries(errors.map((e) => [e.input, e.message]));
    expect(byInput.name).toContain('does not match the validator');
    expect(byInput.count).toContain('must be ≤ 5');
    expect(byInput.env).toContain('must be one of: dev, prod');
    expect(byInput.hosts).toContain('z not allowed');
    expect(byInput.mail).toContain('expected an email address');
    expect(byInput.ports).toContain('item 0');
    expect(byInput.extra).toContain("unknown input 'extra'");
  });

  it('requires inputs without defaults', () => {
    const { errors } = resolveInputs(declared, {});
    expect(errors).toEqual([{ input: 'name', message: "input 'name' is required" }]);
  });
  it('refuses values nested deeper than 32 levels and NUL characters, as input errors (issue 15)', () => {
    const declaredJson = [
      { id: 'doc', type: 'JSON' as const },
      { id: 'name', type: 'STRING' as const, required: false },
    ];
    let deep: unknown = 1;
    for (let i = 0; i < 5000; i++) deep = [deep];
    const asValue = resolveInputs(declaredJson, { doc: deep });
    expect(asValue.errors).toEqual([{ input: 'doc', message: expect.stringContaining('nested deeper than 32') }]);
    const asText = resolveInputs(declaredJson, { doc: `${'['.repeat(5000)}1${']'.repeat(5000)}` });
    expect(asText.errors[0].message).toContain('nested deeper than 32');
    const nul = resolveInputs(declaredJson, { doc: { a: 'x\u0000y' }, name: 'a\u0000' });
    expect(nul.errors.map((e) => e.input).sort()).toEqual(['doc', 'name']);
    expect(resolveInputs(declaredJson, { doc: { a: [[['fine']]] } }).errors).toEqual([]);
  });
});

// Kestra's FILE input: an uploaded file's kestra:/// URI, or a namespace file (`defaults: nsfile:///hello.txt`).
describe('FILE inputs', () => {
  const file: FlowInput[] = [{ id: 'doc', type: 'FILE', defaults: 'nsfile:///hello.txt' }];
  it('take kestra:/// and nsfile:// URIs, the default included', () => {
    expect(resolveInputs(file, {}).values.doc).toBe('nsfile:///hello.txt');
    expect(resolveInputs(file, { doc: 'nsfile://company.team/sql/a.sql' }).values.doc).toBe('nsfile://company.team/sql/a.sql');
    expect(resolveInputs(file, { doc: 'kestra:///company/flow/executions/e1/inputs/doc/a.csv' }).values.doc).toBe('kestra:///company/flow/executions/e1/inputs/doc/a.csv');
  });

  it('refuse anything else, saying what to send', () => {
    for (const doc of ['nsfile:hello.txt', 'file:///etc/passwd', 'https://example.com/a', 'nsfile://bad ns/x']) {
      const { errors } = resolveInputs(file, { doc });
      expect(errors.map((e) => e.message).join()).toContain('or nsfile:///path of a namespace file');
    }
  });
});
