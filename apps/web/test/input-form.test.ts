import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { FlowInput } from '../src/modules/api/types';
import { InputForm } from '../src/modules/inputs/components/input-form';
import { initialValues, inputsFromSource, onResumeInputs, serverFieldErrors, toPayload, validateAll, validateField } from '../src/modules/inputs/lib/inputs';

const INPUTS: FlowInput[] = [
  { id: 'name', type: 'STRING', defaults: 'world', validator: '[a-z]+' },
  { id: 'count', type: 'INT', min: 1, max: 10 },
  { id: 'ratio', type: 'FLOAT', defaults: 0.5 },
  { id: 'dryRun', type: 'BOOLEAN', defaults: true },
  { id: 'env', type: 'SELECT', values: ['dev', 'prod'], defaults: 'dev' },
  { id: 'regions', type: 'MULTISELECT', values: ['eu', 'us', 'ap'], defaults: ['eu'] },
  { id: 'at', type: 'DATETIME', required: false },
  { id: 'day', type: 'DATE', required: false },
  { id: 'time', type: 'TIME', required: false },
  { id: 'wait', type: 'DURATION', defaults: 'PT5M' },
  { id: 'payload', type: 'JSON', defaults: { a: 1 } },
  { id: 'url', type: 'URI', required: false },
  { id: 'owner', type: 'EMAIL', required: false },
  { id: 'token', type: 'SECRET' },
  { id: 'hosts', type: 'ARRAY', itemType: 'STRING', required: false },
];

const render = (errors: Record<string, string> = {}) =>
  renderToStaticMarkup(createElement(InputForm, { inputs: INPUTS, values: initialValues(INPUTS), errors, onChange: () => {}, onBlurValidate: () => {}, idPrefix: 'exec' }));

describe('input form', () => {
  it('renders one typed control per input type', () => {
    const html = render();
    const control = (id: string) => {
      const m = new RegExp(`<(input|select|textarea)[^>]*id="exec-${id}"[^>]*>`).exec(html);
      if (!m) throw new Error(`no control for ${id}`);
      return m[0];
    };
    expect(control('name')).toMatch(/^<input/);
    expect(control('count')).toMatch(/type="number"/);
    expect(control('count')).toMatch(/step="1"/);
    expect(control('ratio')).toMatch(/step="any"/);
    expect(control('dryRun')).toMatch(/type="checkbox"/);
    expect(control('dryRun')).toMatch(/checked/);
    expect(control('env')).toMatch(/^<select/);
    expect(html).toMatch(/<div[^>]*id="exec-regions"[^>]*role="group"|role="group"[^>]*id="exec-regions"/);
    expect(control('at')).toMatch(/type="datetime-local"/);
    expect(control('day')).toMatch(/type="date"/);
    expect(control('time')).toMatch(/type="time"/);
    expect(control('payload')).toMatch(/^<textarea/);
    expect(control('url')).toMatch(/type="url"/);
    expect(control('owner')).toMatch(/type="email"/);
    expect(control('token')).toMatch(/type="password"/);
    expect(control('hosts')).toMatch(/^<textarea/);
    // Required marker only where no default exists; hints from the declaration.
    expect(html).toMatch(/count<\/span><span[^>]*> \*<\/span>/);
    expect(html).not.toMatch(/name<\/span><span[^>]*> \*<\/span>/);
    expect(html).toContain('Between 1 and 10');
    expect(html).toContain('Must match [a-z]+');
  });

  it('shows validation messages under their control', () => {
    const html = render({ count: 'Must be ≤ 10' });
    expect(html).toMatch(/role="alert" id="exec-count-error"[^>]*>.*Must be ≤ 10/);
    expect(html).toMatch(/id="exec-count"[^>]*aria-invalid="true"|aria-invalid="true"[^>]*id="exec-count"/);
  });

  it('starts from the declared defaults', () => {
    const v = initialValues(INPUTS);
    expect(v).toMatchObject({ name: 'world', count: '', ratio: '0.5', dryRun: true, env: 'dev', regions: ['eu'], wait: 'PT5M', token: '' });
    expect(JSON.parse(v.payload as string)).toEqual({ a: 1 });
    // Given values win (replay), datetime shown in local time.
    const given = initialValues(INPUTS, { count: 4, at: '2026-11-26T10:00:00.000Z' });
    expect(given.count).toBe('4');
    expect(new Date(given.at as string).toISOString()).toBe('2026-11-26T10:00:00.000Z');
  });

  it('validates like the server does', () => {
    const byId = Object.fromEntries(INPUTS.map((i) => [i.id, i]));
    expect(validateField(byId.count, '')).toBe('count is required');
    expect(validateField(byId.count, '2.5')).toBe('Expected an integer, got 2.5');
    expect(validateField(byId.count, '11')).toBe('Must be ≤ 10');
    expect(validateField(byId.count, '3')).toBeUndefined();
    expect(validateField(byId.name, 'Not Lower')).toMatch(/validator/);
    expect(validateField(byId.env, 'staging')).toMatch(/one of: dev, prod/);
    expect(validateField(byId.owner, 'nobody')).toMatch(/email/);
    expect(validateField(byId.wait, '15 minutes')).toMatch(/ISO-8601 duration/);
    expect(validateField(byId.payload, '{oops')).toMatch(/Invalid JSON/);
    expect(validateField(byId.url, 'not a uri')).toMatch(/URI/);
    expect(validateField(byId.token, '')).toBe('token is required');
    const errors = validateAll(INPUTS, initialValues(INPUTS));
    expect(Object.keys(errors).sort()).toEqual(['count', 'token']);
  });

  it('sends typed JSON, leaving blanks to the server defaults', () => {
    const values = { ...initialValues(INPUTS), count: '3', token: 's3cr3t', hosts: 'web-1\n web-2 \n\n', at: '2026-11-26T10:00:00', payload: '{"b": 2}' };
    const payload = toPayload(INPUTS, values);
    expect(payload).toMatchObject({
      name: 'world',
      count: 3,
      ratio: 0.5,
      dryRun: true,
      env: 'dev',
      regions: ['eu'],
      token: 's3cr3t',
      hosts: ['web-1', 'web-2'],
      payload: '{"b": 2}',
    });
    expect(payload.at).toBe(new Date('2026-11-26T10:00:00').toISOString());
    expect(payload).not.toHaveProperty('day');
    expect(payload).not.toHaveProperty('url');
  });

  it('reads inputs from YAML, onResume inputs of a Pause, and server 422s', () => {
    const yaml =
      'id: x\nnamespace: a\ninputs:\n  - id: a\n    type: INT\ntasks:\n  - id: p\n    type: io.kestra.plugin.core.flow.Pause\n    onResume:\n      - id: ticket\n        type: STRING\n';
    expect(inputsFromSource(yaml)).toEqual([{ id: 'a', type: 'INT' }]);
    expect(onResumeInputs(yaml, 'p')).toEqual([{ id: 'ticket', type: 'STRING' }]);
    expect(inputsFromSource('{{ not yaml')).toEqual([]);
    expect(serverFieldErrors([{ input: 'a', message: "input 'a' (INT) value: expected an integer" }])).toEqual({ a: 'expected an integer' });
  });
});

describe('Kestra input features in the form', () => {
  const DEPENDENT: FlowInput[] = [
    { id: 'cloud', type: 'SELECT', values: ['aws', 'gcp'], prefill: 'gcp' },
    { id: 'region', type: 'STRING', dependsOn: { inputs: ['cloud'], condition: "{{ inputs.cloud == 'aws' }}" } },
    { id: 'zone', type: 'STRING', defaults: '{{ inputs.region }}-a', dependsOn: { inputs: ['region'] } },
  ];
  const html = (values: Record<string, string>) =>
    renderToStaticMarkup(createElement(InputForm, { inputs: DEPENDENT, values, errors: {}, onChange: () => {}, onBlurValidate: () => {}, idPrefix: 'exec' }));

  it('prefill fills the control', () => {
    expect(initialValues(DEPENDENT).cloud).toBe('gcp');
  });

  it('an input whose condition is false is hidden, not required and not sent', () => {
    const values = { ...initialValues(DEPENDENT), region: 'left over' };
    expect(html(values)).not.toContain('exec-region');
    expect(validateAll(DEPENDENT, values)).toEqual({});
    expect(toPayload(DEPENDENT, values)).toEqual({ cloud: 'gcp' });
  });

  it('once the condition holds it is shown and required; a dependent default renders with it', () => {
    const values = { ...initialValues(DEPENDENT), cloud: 'aws' };
    expect(html(values)).toContain('id="exec-region"');
    expect(validateAll(DEPENDENT, values)).toEqual({ region: 'region is required' });
    const filled = html({ ...values, region: 'eu-west-1' });
    expect(filled).toContain('Default: eu-west-1-a');
    expect(toPayload(DEPENDENT, { ...values, region: 'eu-west-1' })).toEqual({ cloud: 'aws', region: 'eu-west-1' });
  });
});
