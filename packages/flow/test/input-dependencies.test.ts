// Kestra's prefill, dotted input ids and dependsOn (Input.java, DependsOn, FlowInputOutput).
import { PluginRegistry } from '@baton/plugin-sdk';
import { definitions as core } from '@baton/plugin-core';
import { describe, expect, it } from 'vitest';
import { inputOrder, nestInputs, resolveInputs, validateFlow, type FlowInput } from '../src';

const registry = new PluginRegistry().register(...core);
const flowWith = (inputs: string, message = 'hi') => `id: f
namespace: company.team
inputs:
${inputs}tasks:
  - id: log
    type: io.kestra.plugin.core.log.Log
    message: "${message}"
`;

describe('prefill', () => {
  const declared: FlowInput[] = [
    { id: 'region', type: 'STRING', prefill: 'eu-west' },
    { id: 'note', type: 'STRING', required: false, prefill: 'hello' },
  ];

  it('is not used when the input is omitted by API: a required input stays required, an optional one is null', () => {
    expect(resolveInputs(declared, {}).errors).toEqual([{ input: 'region', message: "input 'region' is required" }]);
    expect(resolveInputs(declared, { region: 'us-east' })).toEqual({ values: { region: 'us-east', note: null }, errors: [] });
  });

  it('is validated against the type, and refused beside defaults', () => {
    const result = validateFlow(
      flowWith(`  - id: count
    type: INT
    prefill: many
  - id: both
    type: STRING
    defaults: a
    prefill: b
`),
      { registry },
    );
    expect(result.errors.map((e) => [e.line, e.message])).toEqual([
      [6, 'prefill does not fit type INT: expected an integer, got "many"'],
      [10, "input 'both' has both defaults and prefill; keep one (prefill only fills the form, defaults also apply when the input is omitted)"],
    ]);
  });
});

describe('dotted input ids', () => {
  it('nest under inputs, as in Kestra', () => {
    expect(nestInputs({ 'request.name': 'a', 'request.size': 2, plain: true })).toEqual({ request: { name: 'a', size: 2 }, plain: true });
  });

  it('are accepted, readable as inputs.request.name, and refused when a prefix is an input too', () => {
    const ok = validateFlow(
      flowWith(
        `  - id: request.name
    type: STRING
`,
        '{{ inputs.request.name }}',
      ),
      { registry },
    );
    expect(ok.errors).toEqual([]);
    const clash = validateFlow(
      flowWith(`  - id: request
    type: STRING
  - id: request.name
    type: STRING
  - id: bad..id
    type: STRING
`),
      { registry },
    );
    expect(clash.errors.map((e) => e.message)).toEqual([
      "input 'request.name' nests under 'request', which is itself an input; rename one of them",
      'input ids use letters, digits, _ and -, with dots between parts (request.name)',
    ]);
  });
});

describe('dependsOn', () => {
  const declared: FlowInput[] = [
    { id: 'cloud', type: 'SELECT', values: ['aws', 'gcp'] },
    { id: 'region', type: 'STRING', dependsOn: { inputs: ['cloud'], condition: "{{ inputs.cloud == 'aws' }}" } },
    { id: 'zone', type: 'STRING', defaults: '{{ inputs.region }}-a', dependsOn: { inputs: ['region'] } },
  ];

  it('orders inputs after those they depend on', () => {
    expect(inputOrder([declared[2], declared[1], declared[0]]).map((i) => i.id)).toEqual(['cloud', 'region', 'zone']);
  });

  it('an input whose condition is true is required; its dependents render defaults from it', () => {
    expect(resolveInputs(declared, { cloud: 'aws' }).errors).toEqual([{ input: 'region', message: "input 'region' is required" }]);
    expect(resolveInputs(declared, { cloud: 'aws', region: 'eu-west-1' })).toEqual({ values: { cloud: 'aws', region: 'eu-west-1', zone: 'eu-west-1-a' }, errors: [] });
  });

  it('an input whose condition is false is not required and not set, nor is what depends on it', () => {
    expect(resolveInputs(declared, { cloud: 'gcp', region: 'ignored' })).toEqual({ values: { cloud: 'gcp' }, errors: [] });
  });

  it("a condition that cannot render is the input's error, not a crash", () => {
    const broken: FlowInput[] = [{ id: 'a', type: 'STRING', dependsOn: { condition: '{{ inputs.missing == 1 }}' } }];
    const { errors } = resolveInputs(broken, {});
    expect(errors).toHaveLength(1);
    expect(errors[0].message).toMatch(/^input 'a' dependsOn condition: .*missing/);
  });

  it('validation refuses unknown dependencies and cycles, at the line of dependsOn', () => {
    const result = validateFlow(
      flowWith(`  - id: a
    type: STRING
    dependsOn:
      inputs: [b]
  - id: b
    type: STRING
    dependsOn:
      inputs: [a, nope]
`),
      { registry },
    );
    expect(result.errors.map((e) => [e.line, e.message])).toEqual([
      [7, "inputs depend on each other in a cycle through 'a'"],
      [11, "input 'b' depends on 'nope', which is not a declared input"],
      [11, "inputs depend on each other in a cycle through 'b'"],
    ]);
  });

  it('a condition or default may only read inputs resolved before it', () => {
    const result = validateFlow(
      flowWith(`  - id: a
    type: STRING
    defaults: "{{ inputs.b }}"
  - id: b
    type: STRING
    dependsOn:
      condition: "{{ inputs.nope == 1 }}"
  - id: c
    type: STRING
    defaults: "{{ inputs.b }}-x"
    dependsOn:
      condition: "{{ inputs.a == 'x' }}"
`),
      { registry },
    );
    expect(result.errors.map((e) => e.message)).toEqual([
      "input 'a' reads inputs.b before 'b' is resolved; declare 'b' earlier or list it in dependsOn.inputs",
      "input 'b' reads inputs.nope, which is not a declared input",
    ]);
  });
});

// Cases of Kestra's FlowInputOutputTest (core/src/test/java/io/kestra/core/runners).
describe("Kestra's FlowInputOutputTest", () => {
  const s = (id: string, dependsOn?: FlowInput['dependsOn'], extra: Partial<FlowInput> = {}): FlowInput => ({ id, type: 'STRING', ...(dependsOn ? { dependsOn } : {}), ...extra });

  it('shouldResolveEnabledInputsGivenInputWithConditionalExpressionMatchingTrue', () => {
    const inputs = [s('input1'), s('input2', { inputs: ['input1'], condition: "{{ inputs.input1 equals 'value1' }}" })];
    expect(resolveInputs(inputs, { input1: 'value1', input2: 'value2' })).toEqual({ values: { input1: 'value1', input2: 'value2' }, errors: [] });
  });

  it('shouldResolveEnabledInputsGivenInputWithConditionalInputTrue (a chain)', () => {
    const inputs = [s('input1'), s('input2', { inputs: ['input1'], condition: "{{ inputs.input1 equals 'v1' }}" }), s('input3', { inputs: ['input2'] })];
    expect(resolveInputs(inputs, { input1: 'v1', input2: 'v2', input3: 'v3' }).values).toEqual({ input1: 'v1', input2: 'v2', input3: 'v3' });
  });

  it('shouldResolveDisabledInputsGivenInputWithConditionalInputFalse (the chain is off)', () => {
    const inputs = [s('input1'), s('input2', { inputs: ['input1'], condition: "{{ inputs.input1 equals '???' }}" }), s('input3', { inputs: ['input2'] })];
    expect(resolveInputs(inputs, { input1: 'v1', input2: 'v2', input3: 'v3' })).toEqual({ values: { input1: 'v1' }, errors: [] });
  });

  it('shouldResolveDisabledInputsGivenInputWithErroneousConditionalExpression (reported, not set)', () => {
    const inputs = [s('input1'), s('input2', { inputs: ['input1'], condition: "{{ inputs.dummy equals 'dummy' }}" })];
    const { values, errors } = resolveInputs(inputs, { input1: 'value1', input2: 'value2' });
    expect(values).toEqual({ input1: 'value1' });
    expect(errors.map((e) => e.input)).toEqual(['input2']);
  });

  it('resolveInputsGivenDefaultExpressions', () => {
    const inputs = [
      s('input1', undefined, { defaults: "{{ 'hello' }}", required: false }),
      s('input2', { inputs: ['input1'] }, { defaults: '{{ inputs.input1 }}_world', required: false }),
    ];
    expect(resolveInputs(inputs, {}).values).toEqual({ input1: 'hello', input2: 'hello_world' });
  });

  it('shouldGetDefaultWhenPassingNoDataForRequiredInput', () => {
    expect(resolveInputs([s('input', undefined, { defaults: 'default' })], {}).values).toEqual({ input: 'default' });
  });
});
