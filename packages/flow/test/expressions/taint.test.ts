import { describe, expect, it } from 'vitest';
import { evaluate, render, renderString, type ExpressionFunction, type RenderOptions } from '../../src/expressions';
import { expressionError, kestraContext } from './helpers';

const SECRETS: Record<string, string> = { ARGOCD_TOKEN: 'tok-Abc123', PASSWORD: 'p@ss w0rd', PORT: '8443' };

function secretOptions(extra: Partial<RenderOptions> = {}): { options: RenderOptions; reported: string[] } {
  const reported: string[] = [];
  const secret: ExpressionFunction = Object.assign((name: unknown) => SECRETS[String(name)], { taints: true });
  const credential: ExpressionFunction = Object.assign(() => ({ token: 'cred-Token-9', expiresIn: 3600, scopes: ['read-x'] }), {
    taints: true,
  });
  const plain: ExpressionFunction = () => 'not-a-secret';
  return {
    reported,
    options: { functions: { secret, credential, plain }, onSecretValue: (v) => reported.push(v), ...extra },
  };
}

const ctx = kestraContext();

describe('secret taint', () => {
  it('reports the secret itself', () => {
    const { options, reported } = secretOptions();
    expect(render("{{ secret('ARGOCD_TOKEN') }}", ctx, options)).toBe('tok-Abc123');
    expect(reported).toEqual(['tok-Abc123']);
  });

  it('reports values derived through filters', () => {
    const { options, reported } = secretOptions();
    expect(render("{{ secret('ARGOCD_TOKEN') | upper }}", ctx, options)).toBe('TOK-ABC123');
    expect(reported).toContain('TOK-ABC123');

    const b64 = secretOptions();
    const encoded = render("{{ secret('ARGOCD_TOKEN') | base64encode }}", ctx, b64.options);
    expect(encoded).toBe(Buffer.from('tok-Abc123').toString('base64'));
    expect(b64.reported).toContain(encoded);

    const chain = secretOptions();
    render("{{ secret('PASSWORD') | urlencode | sha256 }}", ctx, chain.options);
    expect(chain.reported).toContain('p%40ss+w0rd');
    expect(chain.reported).toHaveLength(3);
  });

  it('reports the secret part of mixed text, and concatenations', () => {
    const { options, reported } = secretOptions();
    expect(renderString("Bearer {{ secret('ARGOCD_TOKEN') }}", ctx, options)).toBe('Bearer tok-Abc123');
    expect(reported).toContain('tok-Abc123');
    expect(reported).not.toContain('Bearer tok-Abc123');

    const concat = secretOptions();
    const basic = render("Basic {{ ('admin:' ~ secret('PASSWORD')) | base64encode }}", ctx, concat.options);
    expect(concat.reported).toContain('admin:p@ss w0rd');
    expect(concat.reported).toContain((basic as string).slice('Basic '.length));
  });

  it('follows member access into tainted objects and reports whole tainted values', () => {
    const { options, reported } = secretOptions();
    expect(render("{{ credential('argocd').token }}", ctx, options)).toBe('cred-Token-9');
    expect(reported).toContain('cred-Token-9');
    expect(reported).toContain('read-x');

    const typed = secretOptions();
    expect(render("{{ credential('argocd') }}", ctx, typed.options)).toEqual({ token: 'cred-Token-9', expiresIn: 3600, scopes: ['read-x'] });
    expect(typed.reported).toContain('cred-Token-9');

    const json = secretOptions();
    const text = renderString("cfg={{ credential('argocd') }}", ctx, json.options);
    expect(json.reported).toContain(text.slice('cfg='.length));
  });

  it('follows the chosen branch of ternaries and ?? / default', () => {
    const { options, reported } = secretOptions();
    render("{{ inputs.enabled ? secret('PASSWORD') ~ '!' : 'none' }}", ctx, options);
    expect(reported).toContain('p@ss w0rd!');

    const fallback = secretOptions();
    render("{{ inputs.missing ?? (secret('PORT') ~ '0') }}", ctx, fallback.options);
    expect(fallback.reported).toContain('84430');

    const dflt = secretOptions();
    expect(render("{{ '' | default(secret('PORT')) | slice(1) }}", ctx, dflt.options)).toBe('443');
    expect(dflt.reported).toContain('443');
  });

  it('does not taint facts about a secret (comparisons, lengths, tests) or untainted functions', () => {
    const { options, reported } = secretOptions();
    expect(render("{{ secret('ARGOCD_TOKEN') == 'x' }}", ctx, options)).toBe(false);
    expect(render("{{ secret('ARGOCD_TOKEN') | length }}", ctx, options)).toBe(10);
    expect(render("{{ (secret('ARGOCD_TOKEN') | length) ~ ' chars' }}", ctx, options)).toBe('10 chars');
    expect(render("{{ secret('ARGOCD_TOKEN') | startsWith('tok') }}", ctx, options)).toBe(true);
    expect(render("{{ secret('ARGOCD_TOKEN') is empty }}", ctx, options)).toBe(false);
    expect(render('{{ plain() | upper }}', ctx, options)).toBe('NOT-A-SECRET');
    // Each render reports the secret it called for, and nothing derived from it.
    expect(new Set(reported)).toEqual(new Set(['tok-Abc123']));
  });

  it('keeps secrets out of error messages', () => {
    const { options } = secretOptions();
    const error = expressionError(() => render("{{ secret('PASSWORD') | number }}", ctx, options));
    expect(error.message).not.toContain('p@ss');
    expect(error.message).toContain("filter 'number' failed on a secret value");

    const viaCompare = expressionError(() => evaluate("secret('PASSWORD') ~ '!' | date", ctx, options));
    expect(viaCompare.message).not.toContain('p@ss');
  });

  it('reports each derived value once per render', () => {
    const { options, reported } = secretOptions();
    render(["{{ secret('PORT') }}", "{{ secret('PORT') }}", "x {{ secret('PORT') }}"], ctx, options);
    expect(reported).toEqual(['8443']);
  });
});

// SECRET inputs (issue 15): values of the context named by `secretValues` are tainted like
// secret() results, through every path an expression can take to them.
describe('secret taint of context values (SECRET inputs)', () => {
  const PASSWORD = 'Hunter2-Pass';
  const inputs = { region: 'eu', password: PASSWORD, nested: { list: ['x', PASSWORD] } };
  const context = { ...ctx, inputs };
  const run = (template: string) => {
    const reported: string[] = [];
    const value = render(template, context, { secretValues: [PASSWORD], onSecretValue: (v) => reported.push(v) });
    return { value, reported };
  };

  it('reports the value and everything derived from it', () => {
    const cases: [string, string][] = [
      ['{{ inputs.password }}', PASSWORD],
      ["{{ inputs['password'] }}", PASSWORD],
      ['{{ inputs.password | upper }}', PASSWORD.toUpperCase()],
      ['{{ inputs.password | slice(0, 3) }}', 'Hun'],
      ['{{ inputs.password[0] }}', 'H'],
      ['{{ inputs.password | base64encode }}', Buffer.from(PASSWORD).toString('base64')],
      ["{{ inputs.password | replace({'Hunter': 'X'}) }}", 'X2-Pass'],
      ['{{ inputs.password | json }}', JSON.stringify(PASSWORD)],
      ['{{ inputs.password | urlencode }}', encodeURIComponent(PASSWORD)],
      ["{{ 'pre-' ~ inputs.password ~ '-post' }}", `pre-${PASSWORD}-post`],
      ["{{ (inputs.password | split('-'))[1] }}", 'Pass'],
      ['{{ inputs.nested.list[1] | lower }}', PASSWORD.toLowerCase()],
      ['{% set p = inputs.password %}{{ p | upper }}', PASSWORD.toUpperCase()],
      ['{% for v in inputs.nested.list %}{{ v | upper }}{% endfor %}', PASSWORD.toUpperCase()],
    ];
    for (const [template, derived] of cases) {
      const { reported } = run(template);
      expect(reported, template).toContain(derived);
    }
  });

  it('taints a map holding it where it is used whole, but not its plain members', () => {
    expect(run('{{ inputs.region | upper }}').reported).toEqual([]);
    expect(run('{{ inputs.nested.list[0] }}').reported).toEqual([]);
    const whole = run('{{ inputs | json | base64encode }}');
    expect(whole.reported).toContain(whole.value);
    // Typed, the map itself: only the secret inside it is reported (the short 'eu' is not).
    expect(run('{{ inputs }}').reported).toEqual([PASSWORD]);
  });

  it('taints nothing without secretValues', () => {
    const reported: string[] = [];
    render('{{ inputs.password | upper }}', context, { onSecretValue: (v) => reported.push(v) });
    expect(reported).toEqual([]);
  });
});
