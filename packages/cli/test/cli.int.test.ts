// The CLI against the running test stack, as a GitOps pipeline would call it.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import '@baton/testing';

const bin = path.resolve(import.meta.dirname, '../bin/baton.mjs');

function baton(...args: string[]) {
  const result = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env: { ...process.env, BATON_URL: inject('apiUrl'), BATON_TOKEN: inject('apiToken') } });
  return { code: result.status, out: result.stdout + result.stderr };
}

describe('baton CLI', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'baton-cli-'));
  fs.mkdirSync(path.join(dir, 'nested'));
  fs.writeFileSync(
    path.join(dir, 'good.yaml'),
    'id: cli-good\nnamespace: test.cli\ninputs:\n  - id: who\n    type: STRING\ntasks:\n  - id: hi\n    type: io.kestra.plugin.core.log.Log\n    message: "hi {{ inputs.who }}"\n',
  );
  fs.writeFileSync(path.join(dir, 'nested', 'bad.yml'), 'id: cli-bad\nnamespace: test.cli\ntasks:\n  - id: hi\n    type: io.kestra.plugin.core.log.Lg\n');

  it('validates a folder and prints file:line:column for each error', () => {
    const { code, out } = baton('flow', 'validate', dir);
    expect(code).toBe(1);
    expect(out).toContain('good.yaml: valid');
    expect(out).toMatch(/nested\/bad\.yml:5:11: tasks\[0\]\.type: unknown task type/);
    expect(out).toContain('1/2 valid');
  });

  it('deploys and runs a flow with inputs, waiting for the end', () => {
    const deployed = baton('flow', 'deploy', path.join(dir, 'good.yaml'));
    expect(deployed.code).toBe(0);
    expect(deployed.out).toContain('test.cli.cli-good revision 1');
    const run = baton('run', 'test.cli', 'cli-good', '--input', 'who=pipeline', '--wait');
    expect(run.out).toMatch(/SUCCESS\s+hi/);
    expect(run.out).toMatch(/execution \w+ SUCCESS/);
    expect(run.code).toBe(0);
  });

  it('exits non-zero with a clear message on bad input', () => {
    const run = baton('run', 'test.cli', 'cli-good');
    expect(run.code).toBe(1);
    expect(run.out).toContain("input 'who' is required");
    expect(baton('run', 'test.cli').code).toBe(2);
  });
});
