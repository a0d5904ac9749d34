// `baton expression render`, spawned as users run it: offline, JSON out, exit code 0 or 1.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const bin = path.resolve(import.meta.dirname, '../bin/baton.mjs');

function baton(...args: string[]) {
  // No server: BATON_URL points nowhere, and rendering must not need it.
  const result = spawnSync(process.execPath, [bin, 'expression', 'render', ...args], { encoding: 'utf8', env: { ...process.env, BATON_URL: 'http://127.0.0.1:9' } });
  return { code: result.status, out: result.stdout, err: result.stderr };
}

// Each spawn loads TypeScript through tsx (a second or more on a busy machine), hence the timeout.
describe('baton expression render', { timeout: 90_000 }, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'baton-expr-'));
  const vars = path.join(dir, 'vars.json');
  fs.writeFileSync(vars, JSON.stringify({ inputs: { name: 'web', replicas: 3, tags: ['a', 'b'] } }));
  const yamlVars = path.join(dir, 'vars.yaml');
  fs.writeFileSync(yamlVars, 'inputs:\n  name: api\n');

  it('renders text by default and typed values with --typed', () => {
    expect(baton('--vars', vars, 'Hello {{ inputs.name | upper }}')).toMatchObject({ code: 0, out: '{"value":"Hello WEB"}\n' });
    expect(JSON.parse(baton('--vars', vars, '{{ inputs.replicas * 2 }}').out)).toEqual({ value: '6' });
    expect(JSON.parse(baton('--typed', '--vars', vars, '{{ inputs.replicas * 2 }}').out)).toEqual({ value: 6 });
    expect(JSON.parse(baton('--typed', '--vars', vars, '{{ inputs.tags }}').out)).toEqual({ value: ['a', 'b'] });
    expect(JSON.parse(baton('--vars', yamlVars, '{{ inputs.name }}').out)).toEqual({ value: 'api' });
  });

  it('renders tags without variables', () => {
    const template = '{% for t in ["x", "y"] %}{{ loop.index }}={{ t }}{% if not loop.last %},{% endif %}{% endfor %}';
    expect(JSON.parse(baton(template).out)).toEqual({ value: '0=x,1=y' });
  });

  it('prints the error as JSON and exits 1', () => {
    const result = baton('--vars', vars, '{{ inputs.nmae }}');
    expect(result.code).toBe(1);
    const { error } = JSON.parse(result.out);
    expect(error).toContain("inputs has no property 'nmae'");
    expect(error).toContain("did you mean 'name'");
  });

  it('refuses bad usage with exit code 2', () => {
    expect(baton().code).toBe(2);
    expect(baton('--vars', path.join(dir, 'missing.json'), '{{ 1 }}').code).toBe(2);
  });
});
